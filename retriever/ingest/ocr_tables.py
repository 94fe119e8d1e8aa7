"""Tables in scans and photos, as text PDFs' and Word's are read (`retriever.ingest.tables`): one passage a
row, each value named by its column. Tesseract reads a ruled table's rows across, as lines of words with
wide gaps between the cells, and ran its header into the first row: "Huyện Số thí sinh Điểm chuẩn Thăng
Bình 3.250 22,5". Asked "Điểm chuẩn lớp 10 của Quế Sơn là bao nhiêu?", that row, the only one saying
"điểm chuẩn", was quoted first with Thăng Bình's 22,5.

A table here is three lines or more, one after another, each cut by wide gaps into the same number of
cells, whose left edges line up; its first line, with no number, is the header. Two columns must hold
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


Line = list[int]  # a line's words, as indices into Tesseract's output
WordOf = Callable[[int], Word]


def _cells(line: Line, word_of: WordOf, height: float) -> list[tuple[float, str]]:
    """(left edge, text) of each cell of a line of words `height` high: its words parted where a gap is wide."""
    words = [word_of(i) for i in line]
    groups: list[list[Word]] = [words[:1]]
    for before, word in zip(words, words[1:], strict=False):
        if word.left - before.right > GAP * height:
            groups.append([word])
        else:
            groups[-1].append(word)
    return [(group[0].left, collapse_spaces(nfc(" ".join(word.text for word in group)))) for group in groups]


def _aligned(first: list[tuple[float, str]], other: list[tuple[float, str]], height: float) -> bool:
    return len(first) == len(other) and all(abs(a - b) <= ALIGN * height for (a, _), (b, _) in zip(first, other))


def _is_table(rows: list[list[tuple[float, str]]]) -> bool:
    header, *data = [[text for _, text in row] for row in rows]
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
    into each row), and each row's index → its passage. Other lines are not in it."""
    heights = [median(word_of(i).height for i in line) if line else 0.0 for line in lines]
    cut = [_cells(line, word_of, height) if line else [] for line, height in zip(lines, heights, strict=True)]
    found: dict[int, str] = {}
    start = 0
    while start < len(lines):
        end = start + 1
        if len(cut[start]) >= 2:
            while end < len(lines) and _aligned(cut[start], cut[end], heights[start]):
                end += 1
        if end - start >= MIN_ROWS and _is_table(cut[start:end]):
            # `_is_table` took its first line for the header (a label ending in ":" is none)
            passages = row_passages([[text for _, text in row] for row in cut[start:end]], header=True)
            if len(passages) == end - start - 1:  # no row left empty
                found[start] = ""
                found.update(zip(range(start + 1, end), passages, strict=True))
        start = end
    return found


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
