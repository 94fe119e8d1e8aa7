"""Pages set in two columns (magazines, journals, gazettes): each column read top to bottom, the left first.

pdfplumber reads a page line by line across its whole width, so a two-column page came out as each left
line run into the right one beside it, and that was quoted as if verbatim. A column gutter is a band down
the middle of the page that no line crosses but the few that span both columns (a headline, a caption).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

GUTTER_ZONE = (0.3, 0.7)  # share of the page width where a gutter between two columns may lie
MIN_GUTTER = 8.0  # points: narrower gaps are the spaces between words, which differ from line to line
SPANNING_SHARE = 0.1  # rows that may cross the gutter (headlines, captions), as a share of the page's rows
MIN_SIDE_SHARE = 0.25  # each column holds at least this share of the page's characters
FULL_ROW = 0.6  # the median row of a column of text spans at least this share of the column
MIN_CHARS = 200  # a page with less text is not laid out in columns worth finding
HEAD_SHARE = 0.2  # a spanning line with at most this share of the columns' lines above it heads the page

LineReader = Callable[[Any], list[dict]]  # a pdfplumber page (or a filtered one) → its text lines


def gutter(page: Any) -> tuple[float, float] | None:
    """The gutter of a two-column `page` (a pdfplumber page) as (left, right) x, or None for any other
    layout. Rows across the page's top (a newsletter's masthead, its issue line, a headline of two lines)
    are passed over, up to `HEAD_SHARE` of the rows: more of them than `SPANNING_SHARE` allows hid the
    gutter, and the columns were read across, "Công đoàn Khu công nghiệp Chủ tịch Công đoàn …"."""
    chars = [char for char in page.chars if char["text"].strip()]
    if len(chars) < MIN_CHARS:
        return None
    left, _, right, _ = page.bbox
    low, high = left + (right - left) * GUTTER_ZONE[0], left + (right - left) * GUTTER_ZONE[1]
    # the rows crossing each point of the zone, read once for every number of rows passed over
    crossing: list[set[int]] = [set() for _ in range(int(high - low) + 1)]
    for char in chars:
        if char["x1"] < low or char["x0"] > high:
            continue
        for point in range(max(int(char["x0"] - low), 0), min(int(char["x1"] - low) + 1, len(crossing))):
            crossing[point].add(round(char["top"]))
    tops = sorted({round(char["top"]) for char in chars})
    crossed = [sorted(rows) for rows in crossing]
    for skipped in range(int(len(tops) * HEAD_SHARE) + 1):
        if (band := _band(crossed, tops[skipped:], low)) is None:
            continue
        # the characters below the rows passed over, gathered only for a band found
        below = [char for char in chars if round(char["top"]) >= tops[skipped]] if skipped else chars
        if _columns(band, below):
            return band
    return None


def _band(crossed: list[list[int]], rows: list[int], low: float) -> tuple[float, float] | None:
    """The widest band of the zone that no more than `SPANNING_SHARE` of `rows` cross (`crossed`: the rows
    crossing each point, sorted), at least `MIN_GUTTER` wide; rows above the first of `rows` do not count."""
    first = rows[0]
    allowed = max(2, int(len(rows) * SPANNING_SHARE))
    best: tuple[float, float] = (0.0, 0.0)  # width, centre of the widest clear band
    start = None
    counts = [len(tops) - bisect_left(tops, first) for tops in crossed]
    for point, count in enumerate([*counts, allowed + 1]):  # a sentinel closes the last band
        if count <= allowed:
            start = point if start is None else start
            continue
        if start is not None and point - start > best[0]:
            best = (float(point - start), low + (start + point) / 2)
        start = None
    width, centre = best
    return (centre - width / 2, centre + width / 2) if width >= MIN_GUTTER else None


def _columns(band: tuple[float, float], chars: list[dict]) -> bool:
    """Text on both sides of `band`, enough of it, in rows that run their column's width."""
    sides = ([char for char in chars if char["x1"] <= band[0]], [char for char in chars if char["x0"] >= band[1]])
    return min(len(side) for side in sides) >= len(chars) * MIN_SIDE_SHARE and all(map(_runs_full, sides))


def _runs_full(chars: list[dict]) -> bool:
    """Most rows of a column of text run (nearly) its whole width; a table's cells do not, and a table
    read column by column would lose its rows."""
    rows: dict[int, list[dict]] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    left, right = min(char["x0"] for char in chars), max(char["x1"] for char in chars)
    widths = sorted(max(c["x1"] for c in row) - min(c["x0"] for c in row) for row in rows.values())
    return widths[len(widths) // 2] >= (right - left) * FULL_ROW


def column_lines(page: Any, band: tuple[float, float], read: LineReader) -> list[dict]:
    """The page's text lines in reading order: the lines spanning both columns above them, the left
    column, the right one, then spanning lines below. Each column's x positions are stretched to the
    page's text width, so that a line ending short of its column's edge ends its paragraph as it would
    on a page of one column (`retriever.ingest.layout`)."""
    at = (band[0] + band[1]) / 2
    # read across the page, a line of the two columns is both their lines run together: one that spans
    # the columns runs from one to the other without a gutter's gap (a ragged left line that ends in the band
    # found, beside a right one, was taken for one and read across the page)
    spanning = [line for line in read(page) if _spans(line, band)]
    bands = [(line["top"] - 1, line["bottom"] + 1) for line in spanning]

    def in_column(keep: Callable[[dict], bool]) -> Callable[[dict], bool]:
        def test(obj: dict) -> bool:
            if obj.get("object_type") != "char":
                return True
            centre = (obj["top"] + obj["bottom"]) / 2
            return keep(obj) and not any(top <= centre <= bottom for top, bottom in bands)
        return test

    left_lines = read(page.filter(in_column(lambda obj: (obj["x0"] + obj["x1"]) / 2 < at)))
    right_lines = read(page.filter(in_column(lambda obj: (obj["x0"] + obj["x1"]) / 2 >= at)))
    columns = left_lines + right_lines
    if not columns:
        return spanning
    text_left = min(line["x0"] for line in spanning + columns)
    text_right = max(line["x1"] for line in spanning + columns)
    stretched = [*_stretched(left_lines, text_left, text_right), *_stretched(right_lines, text_left, text_right)]
    # the page's head: spanning lines over (nearly) all of the columns' text, a headline, with the few column
    # lines beside or above them (a running header in two parts), read top to bottom; then the columns; then
    # the spanning lines among or below them (a caption), which the columns' text flows around
    tops = sorted(line["top"] for line in columns)
    heads = [line["top"] for line in spanning if bisect_left(tops, line["top"]) <= len(tops) * HEAD_SHARE]
    cut = max(heads, default=float("-inf"))
    head = sorted((line for line in [*spanning, *stretched] if line["top"] <= cut), key=lambda x: (x["top"], x["x0"]))
    body = [line for line in stretched if line["top"] > cut]
    return [*head, *body, *(line for line in spanning if line["top"] > cut)]


def _spans(line: dict, band: tuple[float, float]) -> bool:
    """`line` has text on both sides of the band and no gap as wide as a gutter where the band is. A gutter
    is wider than a word space of its print: a headline's space in 17-point bold measures 8.4 points."""
    chars = sorted((char for char in line["chars"] if char["text"].strip()), key=lambda char: char["x0"])
    if not chars or chars[0]["x0"] >= band[0] or max(char["x1"] for char in chars) <= band[1]:
        return False
    return not any(
        after["x0"] - before["x1"] >= max(MIN_GUTTER, before.get("size", 0.0), after.get("size", 0.0))
        and after["x0"] > band[0] and before["x1"] < band[1]
        for before, after in zip(chars, chars[1:])
    )


def _stretched(lines: list[dict], text_left: float, text_right: float) -> list[dict]:
    if not lines:
        return []
    left, right = min(line["x0"] for line in lines), max(line["x1"] for line in lines)
    scale = (text_right - text_left) / max(right - left, 1.0)
    return [{**line, "x0": text_left + (line["x0"] - left) * scale, "x1": text_left + (line["x1"] - left) * scale}
            for line in lines]
