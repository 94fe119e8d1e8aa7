"""Tables in scans and photos, as text PDFs' and Word's are read (`retriever.ingest.tables`): one passage a
row, each value named by its column. Tesseract reads a ruled table's rows across, as lines of words with
wide gaps between the cells, and ran its header into the first row: "Huyện Số thí sinh Điểm chuẩn Thăng
Bình 3.250 22,5". Asked "Điểm chuẩn lớp 10 của Quế Sơn là bao nhiêu?", that row, the only one saying
"điểm chuẩn", was quoted first with Thăng Bình's 22,5.

A table here is three lines or more, one after another, each cut by wide gaps into the same number of
cells, whose left edges line up; its first line, with no number, is the header. A cell wrapped over two
lines ("Chủ tịch UBND" over "huyện") gives a line of fewer cells under its row, each under one of the
columns: it goes on that row's cells. Read as lines of their own, they broke the table, which came as one
paragraph with the cells' words run across one another ("Trụ sở tiếp huyện công dân"). Two columns must hold
numbers in half their rows at least, and no header is a label nor any row a list's item: a letter's
closing block ("Nơi nhận:" over "- Như Điều 3;", beside "TM. ỦY BAN NHÂN DÂN") has aligned columns too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

from retriever.ingest.tables import row_passages
from retriever.text import ITEM_MARK, collapse_spaces, nfc

GAP = 2.0  # a gap between words this many times the line's height parts two cells (a word space is ~0.3)
ALIGN = 1.5  # line heights: the cells of one column start this close to one another
MIN_ROWS = 3  # the header and two rows
HEADER_WORDS = 6  # a header's cell is a name ("Số thí sinh"), not a sentence


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    right: float
    height: float
    top: float = 0.0


Line = list[int]  # a line's words, as indices into Tesseract's output
WordOf = Callable[[int], Word]


Cell = tuple[float, str, float]  # left edge, text, right edge


def _cells(line: Line, word_of: WordOf, height: float) -> list[Cell]:
    """(left edge, text, right edge) of each cell of a line of words `height` high: its words parted where a
    gap is wide."""
    words = [word_of(i) for i in line]
    groups: list[list[Word]] = [words[:1]]
    for before, word in zip(words, words[1:], strict=False):
        if word.left - before.right > GAP * height:
            groups.append([word])
        else:
            groups[-1].append(word)
    return [(group[0].left, collapse_spaces(nfc(" ".join(word.text for word in group))), group[-1].right)
            for group in groups]


def _aligned(first: list[Cell], other: list[Cell], height: float) -> bool:
    return len(first) == len(other) and all(abs(a[0] - b[0]) <= ALIGN * height for a, b in zip(first, other))


WRAP_GAP = 1.0  # line heights: a cell's next line stands closer than this under the line before


def _columns(first: list[Cell], other: list[Cell], height: float) -> list[int] | None:
    """The columns of `first` under which the cells of `other`, a line of fewer cells, stand, each starting
    under its column and ending before the next; None when one does not (a line of text under the table)."""
    if not other or len(other) >= len(first):
        return None
    columns: list[int] = []
    for left, _, right in other:
        column = next((k for k, (start, _, _) in enumerate(first) if abs(start - left) <= ALIGN * height), None)
        if column is None or (columns and column <= columns[-1]) or (
                column + 1 < len(first) and right >= first[column + 1][0]):
            return None
        columns.append(column)
    return columns


def _is_table(rows: list[list[str]]) -> bool:
    header, *data = rows
    if len(rows) < MIN_ROWS or any(ch.isdigit() for cell in header for ch in cell):
        return False
    # a label ("Nơi nhận:") over a list ("- Như Điều 3;") is a letter's closing block, beside its signature
    if any(len(cell.split()) > HEADER_WORDS or cell.endswith(":") for cell in header):
        return False
    if any(ITEM_MARK.match(f"{row[0]} ") for row in data):
        return False
    numbered = sum(any(ch.isdigit() for cell in row for ch in cell) for row in data)
    return len(header) >= 3 or numbered * 2 >= len(data)


def table_rows(lines: Sequence[Line], word_of: WordOf) -> dict[int, str]:
    """For the lines of `lines` (in reading order) that are a table's: the header's index → "" (its names go
    into each row), each row's first line's index → its passage, and a wrapped cell's line → "". Other
    lines are not in it."""
    heights = [median(word_of(i).height for i in line) if line else 0.0 for line in lines]
    cut = [_cells(line, word_of, height) if line else [] for line, height in zip(lines, heights, strict=True)]
    found: dict[int, str] = {}
    start = 0
    while start < len(lines):
        end = start + 1
        rows: list[list[str]] = [[text for _, text, _ in cut[start]]]
        firsts = [start]  # the line each row starts on
        if len(cut[start]) >= 2:
            while end < len(lines):
                if _aligned(cut[start], cut[end], heights[start]):
                    rows.append([text for _, text, _ in cut[end]])
                    firsts.append(end)
                elif (columns := _columns(cut[start], cut[end], heights[start])) is not None \
                        and _wrapped(lines[end - 1], lines[end], columns, word_of, heights[start]):
                    for column, (_, text, _) in zip(columns, cut[end], strict=True):
                        rows[-1][column] = f"{rows[-1][column]} {text}".strip()
                else:
                    break
                end += 1
        if len(rows) >= MIN_ROWS and _is_table(rows):
            # `_is_table` took its first line for the header (a label ending in ":" is none)
            passages = row_passages(rows, header=True)
            if len(passages) == len(rows) - 1:  # no row left empty
                found.update(dict.fromkeys(range(start, end), ""))
                found.update(zip(firsts[1:], passages, strict=True))
        start = end
    return found


def _wrapped(above: Line, line: Line, columns: list[int], word_of: WordOf, height: float) -> bool:
    """`line`, a line of fewer cells, goes on the row above it: it leaves the first column to that row, or
    stands as close under it as a paragraph's next line."""
    gap = min(word_of(i).top for i in line) - max(word_of(i).top + word_of(i).height for i in above)
    return columns[0] > 0 or gap < WRAP_GAP * height


def with_tables(read: list[tuple[list[Line], bool]], word_of: WordOf) -> list[tuple[list[Line], bool, str]]:
    """Tesseract's paragraphs (`read`: each one's lines, and whether it is the letterhead's) with the rows of
    the tables among their lines set apart, each with its passage; the other lines keep their paragraphs,
    with "" for text (read as they are). A header line goes into its rows' passages."""
    places = [(n, k) for n, (lines, letterhead) in enumerate(read) if not letterhead for k in range(len(lines))]
    rows = table_rows([read[n][0][k] for n, k in places], word_of)
    tabled = {places[index]: passage for index, passage in rows.items()}
    if not tabled:
        return [(lines, letterhead, "") for lines, letterhead in read]
    out: list[tuple[list[Line], bool, str]] = []
    for n, (lines, letterhead) in enumerate(read):
        run: list[Line] = []
        for k, line in enumerate(lines):
            if (n, k) not in tabled:
                run.append(line)
                continue
            if run:
                out.append((run, letterhead, ""))
                run = []
            if tabled[(n, k)]:
                out.append(([line], False, tabled[(n, k)]))
        if run:
            out.append((run, letterhead, ""))
    return out
