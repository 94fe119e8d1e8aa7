"""Formats' figures for the README: paragraphs extracted vs. paragraphs written, and page furniture quoted.

Run: python -m benchmarks.formats   (needs the dev extras: fpdf2 makes the PDFs)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from retriever.ingest.files import parse_source, read_source
from tests.documents import (
    DOCX_LIST,
    DOCX_PARAGRAPHS,
    DOCX_TABLE_ROWS,
    PDF_HEADER,
    PDF_PARAGRAPHS,
    make_docx,
    make_pdf,
)
from tests.test_formats import ARTICLE_HTML

HTML_PARAGRAPHS = (5, ("Trang chủ", "Tin liên quan", "Giá cà phê hôm nay", "Bản quyền"))


def row(name: str, path: Path, expected: list[str] | int, furniture: tuple[str, ...]) -> str:
    [document] = parse_source(read_source(path, path.parent))
    texts = [p.text for p in document.paragraphs]
    written = expected if isinstance(expected, int) else len(expected)
    exact = "–" if isinstance(expected, int) else f"{sum(t in expected for t in texts)}/{written}"
    quoted = sum(any(f in t for f in furniture) for t in texts)
    return f"| {name} | {written} | {len(texts)} | {exact} | {quoted} | {document.title} · {document.date or '–'} |"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        html = root / "page.html"
        html.write_text(ARTICLE_HTML, "utf-8")
        print("| format (test document) | paragraphs written | extracted | extracted verbatim | "
              "with header/footer/page number/menu | title · date |")
        print("|---|---|---|---|---|---|")
        print(row("PDF, 2 pages, running header, page numbers, paragraph across the break",
                  make_pdf(root / "a.pdf"), list(PDF_PARAGRAPHS), (PDF_HEADER, "Trang 1", "Trang 2")))
        print(row("DOCX: 2 headings, 2 paragraphs, 2-item list, table (header + 2 rows)",
                  make_docx(root / "b.docx"), [*DOCX_PARAGRAPHS, *DOCX_LIST, *DOCX_TABLE_ROWS], ()))
        print(row("HTML: menu, 3 paragraphs, 2-item list, related links, footer", html, *HTML_PARAGRAPHS))


if __name__ == "__main__":
    # no options: the parser is here for --help (and to refuse what it does not know) before the work starts
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    main()
