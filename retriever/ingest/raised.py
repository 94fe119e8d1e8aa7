"""Footnote marks in a PDF: a note's number set small and raised, glued to the figure before it.

pdfplumber reads a superscript where it stands, so "năm 2025¹" was quoted "năm 20251" and "12%²" as
"12%2". A mark is told by its shape (digits, a bracket, a note symbol), its size (at most 80% of the
character before it) and its place (its foot above that character's); what it follows tells a power from
a note's number as on a web page (`retriever.ingest.marks.shown_mark`: m², mc², 10⁶ are powers)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from retriever.ingest.marks import shown_mark

_MARK_CHARS = set("0123456789[]()*†‡§¶-−+")
_SMALLER = 0.8  # a mark's size at most this share of the character it follows
_RAISED = 0.15  # its foot at least this share of that character's size above that character's foot


def _row(char: dict) -> int:
    """A band of 10 points down the page: a character's neighbours are in its band and the two beside it."""
    return int(char["top"] // 10)


def _left_of(char: dict, near: list[dict]) -> dict | None:
    """The character just before `char` on its line: ending at most a character's width before it."""
    best = None
    for other in near:
        if other is char or other["x1"] > char["x0"] + 0.5 or other["x1"] < char["x0"] - char["size"]:
            continue
        beside = other["top"] < char["bottom"] and other["bottom"] > char["top"]
        if beside and (best is None or other["x1"] > best["x1"]):
            best = other
    return best


def note_marks(chars: list[dict]) -> dict[int, str]:
    """id of each character of a raised mark -> what stays of it ("" for a note's number)."""
    rows: dict[int, list[dict]] = defaultdict(list)
    for char in chars:
        rows[_row(char)].append(char)
    runs: dict[int, list[dict]] = {}  # id of a mark's base character -> the mark's characters, left to right
    in_marks: set[int] = set()
    for char in sorted(chars, key=lambda c: c["x0"]):
        if char["text"] not in _MARK_CHARS:
            continue
        near = [*rows[_row(char) - 1], *rows[_row(char)], *rows[_row(char) + 1]]
        base = _left_of(char, near)
        while base is not None and id(base) in in_marks:
            base = _left_of(base, near)  # the second digit of "12": its base is the first's
        if base is None or char["size"] > _SMALLER * base["size"]:
            continue
        if base["bottom"] - char["bottom"] < _RAISED * base["size"]:
            continue
        runs.setdefault(id(base), [base]).append(char)
        in_marks.add(id(char))
    found: dict[int, str] = {}
    for base, *marks in runs.values():
        before = "".join(c["text"] for c in _line_before(base, rows))
        kept = shown_mark("".join(c["text"] for c in marks), before, linked=False)
        for index, char in enumerate(marks):
            found[id(char)] = kept if index == 0 else ""
    return found


def _line_before(base: dict, rows: dict[int, list[dict]]) -> list[dict]:
    """A few characters ending with `base` on its line, to tell a unit or a 10 before a mark."""
    line = [c for c in rows[_row(base)] if abs(c["bottom"] - base["bottom"]) < 1 and c["x1"] <= base["x1"]]
    return sorted(line, key=lambda c: c["x0"])[-4:]


def without_note_marks(page: Any) -> tuple[Any, bool]:
    """The page with each raised mark dropped or made a power (pdfplumber's objects are filtered, and a
    power's character takes its superscript form); and whether it had any."""
    marks = note_marks(page.chars)
    if not marks:
        return page, False
    for char in page.chars:
        if marks.get(id(char)):
            char["text"] = marks[id(char)]
    return page.filter(lambda obj: obj.get("object_type") != "char" or marks.get(id(obj), "-") != ""), True


def closed_up(text: str) -> str:
    """A line whose mark was dropped before a comma ("mỗi tấn³, mức") is read "mỗi tấn , mức": the gap
    the mark left is a space to pdfplumber."""
    return re.sub(r"(?<=\S) +(?=[,.;:!?)])", "", text)
