"""Tables as passages: one a row, each value named by its column ("Tỉnh: Kiên Giang; Sản lượng (tấn):
2.083.420"), so that a row answers a question on its own. Word's tables and ruled tables in PDFs alike."""

from __future__ import annotations

from typing import Any

from retriever.text import collapse_spaces


def row_passages(rows: list[list[str]]) -> list[str]:
    """A table's rows (the first its header) as passages; a table of one row is its cells joined."""
    rows = [[collapse_spaces(cell) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if len(rows) < 2:
        return [" ".join(cell for cell in row if cell) for row in rows]
    header, *data = rows
    lines = []
    for row in data:
        pairs = [f"{name}: {value}" if name else value for name, value in zip(header, row, strict=False) if value]
        lines.append("; ".join(pairs))
    return [line for line in lines if line]


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
