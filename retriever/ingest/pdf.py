"""Text PDFs (pdfplumber): paragraphs rebuilt from the page layout.

A PDF holds positioned lines, not paragraphs. Lines are joined into paragraphs where the layout
shows no break (same font size, usual line spacing, previous line running to the right margin);
lines repeated in the top or bottom margin of several pages (running headers, footers) and page
numbers are dropped; a paragraph left open at the foot of a page is continued on the next.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from statistics import median

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from retriever.errors import UnreadableInputError
from retriever.ingest.news import ParsedText, dateline_date, derive_title, find_date, is_date_line, source_of
from retriever.models import Paragraph
from retriever.text import collapse_spaces, word_count

log = logging.getLogger(__name__)

MARGIN_SHARE = 0.12  # top and bottom share of the page where running headers and footers live
PARAGRAPH_GAP = 1.4  # a line gap this many times the usual one starts a new paragraph
SHORT_LINE = 0.85  # a line ending before this share of the text width ends its paragraph
WORD_GAP = 0.15  # a horizontal gap this share of the font size separates words
_PAGE_NUMBER = re.compile(
    r"^(trang|page|tr\.)?\s*[-–—]?\s*(\d{1,4}|[ivxlc]{1,6})\s*((/|of|trên)\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE
)
_OPEN_END = re.compile(r"[^.!?…:;\"”’)]$")
# page content is what pdfminer turns into objects (hundreds of bytes per character drawn): a text PDF
# of a thousand pages holds a few MB of it, a bomb holds a small stream that inflates to gigabytes
MAX_CONTENT_BYTES = 64 * 1024 * 1024
_STREAM = re.compile(rb"<<((?:(?!>>\s*stream)[\s\S]){0,2000})>>\s*stream\r?\n")
_NOT_CONTENT = (b"/Image", b"/Length1", b"/FontFile", b"/Type1C", b"/CIDFontType0C", b"/OpenType", b"/Metadata")


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float


@dataclass
class Block:
    text: str
    size: float
    page: int


def parse_pdf(raw: bytes, fallback_title: str) -> ParsedText:
    """Raises ValueError naming the reason when the PDF cannot be read as text."""
    check_content_size(raw)
    pages, metadata = _read_lines(raw)
    lines = _drop_furniture(pages)
    if not lines:
        raise UnreadableInputError("no_paragraphs", "no text paragraphs found in this PDF")
    body_size = Counter(round(line.size) for line in lines).most_common(1)[0][0]
    blocks = _blocks(lines, _right_edge(lines), body_size)
    # from the page as printed: on page 1 the title may sit in the margin where later pages repeat it
    title = _title(next(page for _, page in pages if page), body_size)
    return _document(blocks, body_size, title, metadata, fallback_title)


def check_content_size(raw: bytes) -> None:
    """Inflate the compressed streams that may be page content, counting, before pdfminer parses them:
    UnreadableInputError past MAX_CONTENT_BYTES. Images, fonts and metadata are not parsed, so not counted.
    A fast path with a clear reason; the parser's memory limit (`bounded`) still covers what this misses."""
    total = 0
    for match in _STREAM.finditer(raw):
        header = match.group(1)
        if b"/FlateDecode" not in header or any(mark in header for mark in _NOT_CONTENT):
            continue
        inflater = zlib.decompressobj()
        data = raw[match.end() :]
        try:
            while data and not inflater.eof:
                total += len(inflater.decompress(data, 1024 * 1024))
                data = inflater.unconsumed_tail
                if total > MAX_CONTENT_BYTES:
                    size = f"{MAX_CONTENT_BYTES // 1024 // 1024} MB"
                    raise UnreadableInputError(
                        "pdf_size", f"the PDF's page content unpacks to more than {size} (a compressed bomb?)",
                        size=size,
                    )
        except zlib.error:
            continue  # a damaged stream: pdfminer decides what to make of it


def _read_lines(raw: bytes) -> tuple[list[tuple[float, list[Line]]], dict]:
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            metadata = dict(pdf.metadata or {})
            pages = [(page.height, _page_lines(page, number)) for number, page in enumerate(pdf.pages)]
    except PdfminerException as error:
        if any(isinstance(arg, MemoryError) for arg in error.args):
            raise MemoryError from error  # the parse limits' business (`bounded`): not a damaged file
        if any(isinstance(arg, PDFPasswordIncorrect) for arg in error.args):
            raise UnreadableInputError(
                "pdf_locked", "the PDF is password-protected: remove the password and send it again"
            ) from error
        message = f"not a readable PDF (damaged or incomplete file: {error})"
        raise UnreadableInputError("pdf_corrupt", message) from error
    except MemoryError:
        raise  # the parse limits' business (`bounded`): not a damaged file
    except Exception as error:  # pdfminer raises a wide range of errors on broken files
        raise UnreadableInputError("pdf_corrupt", f"not a readable PDF ({type(error).__name__}: {error})") from error
    if pages and not any(lines for _, lines in pages):
        raise UnreadableInputError(
            "pdf_no_text", "the PDF has no text layer (a scanned document?): OCR is not supported"
        )
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


def _drop_furniture(pages: list[tuple[float, list[Line]]]) -> list[Line]:
    """Page numbers, and margin lines that recur (digits aside) on more than one page."""

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", text.lower())

    def in_margin(line: Line, height: float) -> bool:
        return line.top < height * MARGIN_SHARE or line.top > height * (1 - MARGIN_SHARE)

    recurring = Counter(
        shape(text) for height, lines in pages for text in {line.text for line in lines if in_margin(line, height)}
    )
    kept = []
    for height, lines in pages:
        for line in lines:
            margin = in_margin(line, height)
            if margin and (_PAGE_NUMBER.match(line.text) or (len(pages) > 1 and recurring[shape(line.text)] > 1)):
                continue
            kept.append(line)
    return kept


def _right_edge(lines: list[Line]) -> tuple[float, float]:
    return min(line.x0 for line in lines), max(line.x1 for line in lines)


def _blocks(lines: list[Line], edges: tuple[float, float], body_size: int) -> list[Block]:
    left, right = edges
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and abs(a.size - b.size) < 0.5]
    pitch = median(g for g in gaps if g > 0) if any(g > 0 for g in gaps) else 0.0
    blocks: list[Block] = []
    previous: Line | None = None
    for line in lines:
        if previous is None or _breaks(previous, line, pitch, left, right):
            blocks.append(Block(line.text, line.size, line.page))
        else:
            blocks[-1].text = _join(blocks[-1].text, line.text)
        previous = line
    return blocks


def _breaks(previous: Line, line: Line, pitch: float, left: float, right: float) -> bool:
    if abs(previous.size - line.size) >= 0.5:
        return True
    if line.page != previous.page:
        # a paragraph left open at the foot of a page goes on at the top of the next
        return not (_OPEN_END.search(previous.text) and previous.x1 >= left + (right - left) * SHORT_LINE)
    if pitch and line.top - previous.top > pitch * PARAGRAPH_GAP:
        return True
    short = previous.x1 < left + (right - left) * SHORT_LINE
    return short and not _OPEN_END.search(previous.text)


def _join(text: str, line: str) -> str:
    if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
        return text[:-1] + line  # a word hyphenated at the line end
    return f"{text} {line}"


def _title(first_page: list[Line], body_size: int) -> str:
    """The first run of lines in the largest font on the first page, when larger than the body text."""
    largest = max(line.size for line in first_page)
    if largest < body_size + 1:
        return ""
    start = next(i for i, line in enumerate(first_page) if line.size == largest)
    run = [first_page[start].text]
    for line in first_page[start + 1 :]:
        if abs(line.size - largest) >= 0.5:
            break
        run.append(line.text)
    return " ".join(run)


def _document(blocks: list[Block], body_size: int, title: str, metadata: dict, fallback_title: str) -> ParsedText:
    title_derived = False
    date, source, paragraphs = "", "", []
    for block in blocks:
        if block.text == title:
            continue
        if block.size >= body_size + 1:
            continue  # a heading: it names a section, it does not answer questions
        if is_date_line(block.text) or (not date and word_count(block.text) <= 6 and find_date(block.text)):
            date = date or find_date(block.text)
            continue
        if found := source_of(block.text):
            source = source or found
            continue
        paragraphs.append(Paragraph(block.text))
    if not title:
        title = collapse_spaces(str(metadata.get("Title") or ""))
    if not title:
        title, title_derived = (derive_title(paragraphs[0].text) if paragraphs else fallback_title), True
    # the article's own dateline says when it was written; the metadata only when the file was made
    date = date or next((found for p in paragraphs[:2] if (found := dateline_date(p.text))), "")
    return ParsedText(title, title_derived, date or _metadata_date(metadata), source, tuple(paragraphs))


def _metadata_date(metadata: dict) -> str:
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", str(metadata.get("CreationDate") or ""))
    return "-".join(match.groups()) if match else ""
