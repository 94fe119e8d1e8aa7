"""Tables as passages: one a row, each value named by its column ("Tỉnh: Kiên Giang; Sản lượng (tấn):
2.083.420"), so that a row answers a question on its own. Word's tables and ruled tables in PDFs alike.

A form's table names its fields down its first column instead ("Họ và tên | Nguyễn Văn A", "Ngày sinh |
01/02/1990"), with no header row: each row is a label and its value ("Họ và tên: Nguyễn Văn A"). Read with
its first row for a header, every row was quoted as "Họ và tên: Ngày sinh; Nguyễn Văn A: 01/02/1990"."""

from __future__ import annotations

import re
from typing import Any

from retriever.text import collapse_spaces, word_count

LABEL_WORDS = 6  # a field's label is a few words ("Nơi đăng ký thường trú"); a value may be a sentence
_SENTENCE_END = re.compile(r"[.;!?…]$")


def row_passages(rows: list[list[str]], header: bool | None = None) -> list[str]:
    """A table's rows as passages: named by the first row (`header`), or each a label and its value
    (`header` False: a form's fields, label left and value right); None: told by the cells (`is_key_value`).
    A table of one row is its cells joined."""
    rows = [[collapse_spaces(cell) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if len(rows) < 2:
        return [" ".join(cell for cell in row if cell) for row in rows]
    if header is False or (header is None and is_key_value(rows)):
        return [line for row in rows if (line := _fields(row))]
    header_row, *data = rows
    lines = []
    for row in data:
        pairs = [f"{name}: {value}" if name else value for name, value in zip(header_row, row, strict=False) if value]
        lines.append("; ".join(pairs))
    return [line for line in lines if line]


def is_key_value(rows: list[list[str]]) -> bool:
    """Whether a table of two columns (or of label and value pairs side by side: "Họ và tên | Nguyễn Văn A |
    Ngày sinh | 01/02/1990") names its fields down its label columns rather than in a header row. Its
    labels are short, hold no figure, name no one and differ from each other; and a colon ends them, as a
    form's ("Họ và tên:"), or its first row gives values ("Họ và tên | Nguyễn Văn A"), or it is not set apart
    from the rows under it as a header is: "Loại xe | Phí" names its column, where each row under it gives a
    figure ("Xe máy | 5.000 đồng"). Read either way, a table of data still gives its pairs ("Xe máy: 5.000
    đồng"), where a form read with a header gave none: a doubtful table is read as a form."""
    widths = {len(row) for row in rows}
    if len(rows) < 2 or len(widths) != 1 or (width := widths.pop()) % 2:
        return False
    labels = [row[i] for row in rows for i in range(0, width, 2) if row[i] or row[i + 1]]
    if not all(_label(label.rstrip(":").strip()) for label in labels) or len(set(labels)) < len(labels):
        return False
    if any(label.endswith(":") for label in labels):
        return True
    if any(_named(row[i]) for row in rows[1:] for i in range(0, width, 2)):
        return False  # a list of people or places, under their columns' names ("Họ và tên | Chức vụ")
    first = [rows[0][i] for i in range(1, width, 2)]
    if any(_value(cell) for cell in first):
        return True
    below = [row[i] for row in rows[1:] for i in range(1, width, 2) if row[i]]
    return not all(_figure(cell) for cell in below)


def _label(cell: str) -> bool:
    return 0 < word_count(cell) <= LABEL_WORDS and not _figure(cell) and not _SENTENCE_END.search(cell)


def _figure(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell)


def _named(cell: str) -> bool:
    """A person's or a place's name: two words and more, each capitalised ("Nguyễn Văn A", "Hà Nội")."""
    words = cell.split()
    return len(words) >= 2 and all(word[:1].isupper() and not any(ch.isupper() for ch in word[1:]) for word in words)


def _value(cell: str) -> bool:
    """A cell that gives a value rather than names a column: a figure or a date, a name, an address on the
    web, or more words than a column's name."""
    return _figure(cell) or _named(cell) or "@" in cell or "://" in cell or word_count(cell) > LABEL_WORDS


def _fields(row: list[str]) -> str:
    """A row of a form's table: its labels and their values; a label without a value says nothing."""
    pairs = [f"{label.rstrip(':').strip()}: {value}" if label else value
             for label, value in zip(row[::2], row[1::2], strict=True) if value]
    return "; ".join(pairs)


def ruled_tables(page: Any) -> list[tuple[tuple[float, float, float, float], list[str]]]:
    """The ruled tables of a pdfplumber `page` (cells drawn with lines, as Word and spreadsheets export
    them) of at least two rows and two columns: each one's box and its rows as passages. Read as lines,
    a table came out as one flat passage of headers and numbers that no row could be told apart in."""
    found = []
    for table in page.find_tables():
        rows = [[cell or "" for cell in row] for row in table.extract()]
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            found.append((tuple(table.bbox), row_passages(rows)))
    return found
