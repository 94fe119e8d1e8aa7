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

from typing import Any

from retriever.ingest.official import MOTTO
from retriever.text import collapse_spaces

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
