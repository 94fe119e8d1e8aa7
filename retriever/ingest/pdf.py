"""PDFs: each page's positioned lines from its text layer (pdfplumber), or from OCR for a page that has
none (a scan); paragraphs are rebuilt from them by retriever/ingest/layout.py."""

from __future__ import annotations

import io
import logging
from collections import Counter
from statistics import median

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from retriever.errors import UnreadableInputError
from retriever.ingest.layout import BODY_SIZE, Line, PageLines, parse_lines
from retriever.ingest.news import ParsedText
from retriever.ingest.ocr import OcrJob
from retriever.ingest.scans import lines_of, pdf_pages
from retriever.text import collapse_spaces

log = logging.getLogger(__name__)

WORD_GAP = 0.15  # a horizontal gap this share of the font size separates words


def parse_pdf(raw: bytes, fallback_title: str, ocr: OcrJob | None = None) -> ParsedText:
    """Raises ValueError naming the reason when the PDF cannot be read as text. Pages without a text
    layer are read by OCR when `ocr` is given."""
    pages, metadata = _read_lines(raw)
    blank = [number for number, (_, lines) in enumerate(pages) if not lines]
    if blank:
        if ocr is None:
            raise UnreadableInputError(
                "pdf_no_text", "the PDF has no text layer (a scanned document?): OCR is not supported"
            )
        sizes = Counter(round(line.size) for _, lines in pages for line in lines)
        body = float(sizes.most_common(1)[0][0]) if sizes else BODY_SIZE
        pages = lines_of(pages, pdf_pages(raw, blank, ocr), body)
    return parse_lines(pages, metadata, fallback_title)


def _read_lines(raw: bytes) -> tuple[PageLines, dict]:
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            metadata = dict(pdf.metadata or {})
            pages = [(page.height, _page_lines(page, number)) for number, page in enumerate(pdf.pages)]
    except PdfminerException as error:
        if any(isinstance(arg, PDFPasswordIncorrect) for arg in error.args):
            raise UnreadableInputError(
                "pdf_locked", "the PDF is password-protected: remove the password and send it again"
            ) from error
        message = f"not a readable PDF (damaged or incomplete file: {error})"
        raise UnreadableInputError("pdf_corrupt", message) from error
    except Exception as error:  # pdfminer raises a wide range of errors on broken files
        raise UnreadableInputError("pdf_corrupt", f"not a readable PDF ({type(error).__name__}: {error})") from error
    return pages, metadata


def _page_lines(page: pdfplumber.page.Page, number: int) -> list[Line]:
    found = []
    # a gap relative to the font size: fixed tolerances run words together in tightly set (LaTeX) PDFs
    for line in page.extract_text_lines(return_chars=True, strip=True, x_tolerance_ratio=WORD_GAP):
        text = collapse_spaces(line["text"])
        if text:
            size = median(char["size"] for char in line["chars"]) if line["chars"] else 0.0
            found.append(Line(number, text, line["x0"], line["x1"], line["top"], float(size)))
    return found

