"""The letterhead of a Vietnamese official document in a text PDF: two columns side by side, the issuing
body, its number and "V/v …" on the left, the national motto and "Hà Nội, ngày …" on the right (Nghị định
30/2020/NĐ-CP). pdfplumber reads each printed line across the page, so the two columns came as one line
("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"): the motto was never a line of its own, the
document was not recognised as official, its title was its whole bold block and its date the PDF's.

Lines at the top of the first page with a wide gap between their halves are read as the two columns, left
then right, each half a line of its own, where one of the halves is the motto. Nothing else changes: a
table without rules keeps its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retriever.ingest.official import MOTTO
from retriever.text import collapse_spaces, nfc

COLUMN_GAP = 3.0  # a gap this many times the font size between two halves of a line: two columns
TOP_SHARE = 0.35  # of the page's height: where a letterhead stands
SPACE = 0.15  # a gap this share of the font size between two characters is a space (as WORD_GAP)


def letterhead_columns(lines: list[dict[str, Any]], width: float, height: float) -> list[dict[str, Any]]:
    """`lines` (pdfplumber's text lines with their chars), the letterhead's read column by column."""
    middle = width / 2
    ordered = sorted(lines, key=lambda line: line["top"])
    # the letterhead: from the first line parted in two, the lines that are parted or stand on one side of
    # the page ("Số: 1234/QĐ-UBND" alone under the body's name); a line across the middle ("QUYẾT ĐỊNH",
    # the text) ends it
    block: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for line in ordered:
        if line["top"] >= height * TOP_SHARE:
            break
        halves = _halves(line)
        one_side = len(halves) == 1 and (line["x1"] <= middle or line["x0"] >= middle)
        if len(halves) == 2 or (block and one_side):
            block.append((line, halves))
        elif block:
            break
    if not any(MOTTO.match(half["text"]) for _, halves in block for half in halves):
        return lines
    left = [halves[0] for _, halves in block if len(halves) == 2 or halves[0]["x1"] <= middle]
    right = [halves[-1] for _, halves in block if len(halves) == 2 or halves[0]["x0"] >= middle]
    first = block[0][0]["top"]
    read = [dict(part, top=first + index * 0.01, whole=True) for index, part in enumerate(left + right)]
    taken = {id(line) for line, _ in block}
    return sorted(read + [line for line in lines if id(line) not in taken], key=lambda line: line["top"])


def _halves(line: dict[str, Any]) -> list[dict[str, Any]]:
    """The line, or its two halves where one wide gap parts it (more than one: a row of a table)."""
    chars = sorted(line.get("chars") or [], key=lambda char: char["x0"])
    if len(chars) < 2:
        return [line]
    size = max(float(chars[0].get("size") or 0.0), 1.0)
    gaps = [i for i in range(1, len(chars)) if chars[i]["x0"] - chars[i - 1]["x1"] > COLUMN_GAP * size]
    if len(gaps) != 1:
        return [line]
    return [_part(chars[: gaps[0]], line), _part(chars[gaps[0]:], line)]


def _part(chars: list[dict[str, Any]], line: dict[str, Any]) -> dict[str, Any]:
    text = ""
    for previous, char in zip([None, *chars], chars):
        if previous is not None and char["x0"] - previous["x1"] > SPACE * float(char.get("size") or 1.0):
            text += " "
        text += char["text"]
    return {"text": collapse_spaces(text), "x0": chars[0]["x0"], "x1": chars[-1]["x1"], "top": line["top"],
            "chars": chars}


# A scan's word: (text, left, right, top, height) in image pixels, as Tesseract reports it
Word = tuple[str, float, float, float, float]


def scanned_letterhead(paragraphs: list[list[list[int]]], word: Callable[[int], Word], width: float,
                       height: float) -> list[tuple[list[list[int]], bool]]:
    """`paragraphs` (Tesseract's, top to bottom: lines of words, each `word(i)`) of a first page, with its
    letterhead read as it is meant: the left column's lines, then the right column's, each a paragraph of
    its own. Tesseract reads the two columns across ("UBND TỈNH QUẢNG NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    SỞ GIAO THÔNG …") and joins them, or the motto and the date under it, into one paragraph: the motto was
    never a line of its own, so the document was not recognised as official (titled by its letterhead, dated
    the day it was added, its recipients and signature quoted). A paragraph in the top of the page that
    holds the motto among other lines is the letterhead; the others are left as they are. Each paragraph
    comes with True where it is a line of the letterhead."""
    read: list[tuple[list[list[int]], bool]] = []
    found = False
    for lines in paragraphs:
        halves = [_word_halves(line, word) for line in lines]
        parts = [half for pair in halves for half in pair]
        in_top = min(word(i)[3] for line in lines for i in line) < height * TOP_SHARE
        motto = len(parts) > 1 and any(MOTTO.match(_text(part, word)) for part in parts)
        # below the motto's paragraph, another of the letterhead's rows read as one ("Số: 812/SGTVT-QLGT" beside
        # "Quảng Nam, ngày 5 tháng 9 năm 2025", "V/v …" under them)
        more = found and any(len(pair) == 2 for pair in halves)
        if not in_top or not (motto or more):
            read.append((lines, False))
            continue
        found = True
        read += _columns(halves, word)
    return read


def _columns(halves: list[list[list[int]]], word: Callable[[int], Word]) -> list[tuple[list[list[int]], bool]]:
    """The letterhead's lines (each whole, or parted in two), the left column's then the right's, each a
    paragraph of its own. A line on one side only ("Số: 1245/QĐ-UBND" under the body's name, the motto set
    apart from it) belongs to the column it stands in; one across the gap between them ("QUYẾT ĐỊNH",
    centred under them) ends the letterhead, and it and the lines after it stay one paragraph."""
    pairs = [pair for pair in halves if len(pair) == 2]
    left_end = max((word(pair[0][-1])[2] for pair in pairs), default=0.0)
    right_start = min((word(pair[1][0])[1] for pair in pairs), default=0.0)
    left: list[list[int]] = []
    right: list[list[int]] = []
    for index, pair in enumerate(halves):
        if len(pair) == 2:
            left.append(pair[0])
            right.append(pair[1])
        elif not pairs:  # one column: its lines one under another
            left.append(pair[0])
        elif word(pair[0][0])[1] >= (left_end + right_start) / 2:
            right.append(pair[0])
        elif word(pair[0][-1])[2] <= (left_end + right_start) / 2:
            left.append(pair[0])
        else:
            after = [line for rest in halves[index:] for line in rest]
            return [([line], True) for line in left + right] + [(after, False)]
    return [([line], True) for line in left + right]


def _word_halves(line: list[int], word: Callable[[int], Word]) -> list[list[int]]:
    """The line, or its two halves where one wide gap parts it (more than one: a row of a table)."""
    size = max(max(word(i)[4] for i in line), 1.0)
    gaps = [n for n in range(1, len(line)) if word(line[n])[1] - word(line[n - 1])[2] > COLUMN_GAP * size]
    if len(gaps) != 1:
        return [line]
    # a speck read as a character ("|" beside the motto) is no column
    kept = [half for half in (line[: gaps[0]], line[gaps[0]:]) if any(ch.isalnum() for ch in _text(half, word))]
    return kept or [line]


def _text(line: list[int], word: Callable[[int], Word]) -> str:
    return collapse_spaces(nfc(" ".join(word(i)[0] for i in line)))
