"""PDFs: each page's positioned lines from its text layer (pdfplumber), or from OCR for a page that has
none (a scan); paragraphs are rebuilt from them by retriever/ingest/layout.py.

`read_pdf` parses (under the parse limits, retriever/ingest/bounded.py); `pdf_document` reads the pages
without a text layer by OCR, each within its own limits, and lays out the paragraphs."""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING, Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from retriever.errors import UnreadableInputError
from retriever.ingest.columns import column_lines, gutter
from retriever.ingest.layout import BODY_SIZE, MARGIN_SHARE, Line, PageLines, parse_lines
from retriever.ingest.letterhead import letterhead_columns
from retriever.ingest.news import ParsedText
from retriever.ingest.raised import closed_up, without_note_marks
from retriever.ingest.tables import ruled_tables
from retriever.text import collapse_spaces, looks_vietnamese, nfc

if TYPE_CHECKING:
    from retriever.ingest.ocr import OcrJob

log = logging.getLogger(__name__)

WORD_GAP = 0.15  # a horizontal gap this share of the font size separates words
# page content is what pdfminer turns into objects (hundreds of bytes per character drawn): a text PDF
# of a thousand pages holds a few MB of it, a bomb holds a small stream that inflates to gigabytes
MAX_CONTENT_BYTES = 64 * 1024 * 1024
DAMAGED_PDF = "not a readable PDF (damaged or incomplete file)"
_STREAM = re.compile(rb"<<((?:(?!>>\s*stream)[\s\S]){0,2000})>>\s*stream\r?\n")
_NOT_CONTENT = (b"/Image", b"/Length1", b"/FontFile", b"/Type1C", b"/CIDFontType0C", b"/OpenType", b"/Metadata")



@dataclass(frozen=True)
class PdfLines:
    """What the parse gives back across the process boundary: lines per page, and the two metadata fields used."""

    pages: PageLines
    metadata: dict[str, str]


def parse_pdf(raw: bytes, fallback_title: str, ocr: OcrJob | None = None) -> ParsedText:
    """Raises ValueError naming the reason when the PDF cannot be read. Pages without a text layer are read
    by OCR when `ocr` is given."""
    return pdf_document(read_pdf(raw), raw, fallback_title, ocr)


def read_pdf(raw: bytes) -> PdfLines:
    check_content_size(raw)
    pages, metadata = _read_lines(raw)
    kept = {key: str(metadata[key]) for key in ("Title", "CreationDate") if metadata.get(key)}
    return PdfLines(pages, kept)


def pdf_document(lines: PdfLines, raw: bytes, fallback_title: str, ocr: OcrJob | None) -> ParsedText:
    pages = lines.pages
    blank = [number for number, (_, page) in enumerate(pages) if not page]
    if blank:
        if ocr is None:
            raise UnreadableInputError(
                "pdf_no_text", "the PDF has no text layer (a scanned document?): OCR is not supported"
            )
        # imported here: the parse limits' children import this module, and need none of OCR's libraries
        from retriever.ingest.scans import lines_of, pdf_pages

        sizes = Counter(round(line.size) for _, page in pages for line in page)
        body = float(sizes.most_common(1)[0][0]) if sizes else BODY_SIZE
        pages = lines_of(pages, pdf_pages(raw, blank, ocr), body)
    metadata = lines.metadata
    if len(blank) == len(pages):
        # a scan's file was made the day it was scanned: an old letter was dated today
        metadata = {key: value for key, value in metadata.items() if key != "CreationDate"}
    return parse_lines(pages, metadata, fallback_title)


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


def _read_lines(raw: bytes) -> tuple[PageLines, dict]:
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            metadata = dict(pdf.metadata or {})
            pages = [(page.height, _readable(page, _page_lines(page, number))) for number, page in enumerate(pdf.pages)]
    except PdfminerException as error:
        if any(isinstance(arg, MemoryError) for arg in error.args):
            raise MemoryError from error  # the parse limits' business (`bounded`): not a damaged file
        if any(isinstance(arg, PDFPasswordIncorrect) for arg in error.args):
            raise UnreadableInputError(
                "pdf_locked", "the PDF is password-protected: remove the password and send it again"
            ) from error
        # pdfminer's own words ("No /Root object! - Is this really a PDF?") go to the debug log, not the user
        log.debug("unreadable PDF: %s", error)
        raise UnreadableInputError("pdf_corrupt", DAMAGED_PDF) from error
    except MemoryError:
        raise  # the parse limits' business (`bounded`): not a damaged file
    except SystemError as error:
        # C code that fails to allocate under the child's memory ceiling returns without an exception set
        # ("error return without exception set"): the ceiling's business too
        raise MemoryError from error
    except Exception as error:  # pdfminer raises a wide range of errors on broken files
        log.debug("unreadable PDF: %s", error, exc_info=True)
        raise UnreadableInputError("pdf_corrupt", DAMAGED_PDF) from error
    return pages, metadata


# a page that is a picture of a page: an image over most of it. Its text layer is read where it holds the
# page's text; where it holds a few words in the margin only (a phone scanner's "Scanned with CamScanner", a
# copier's stamp) or Vietnamese without its marks (a copier's OCR in English: "tong san pham tren dia ban"),
# the page is read by OCR instead: with the text layer, the scan's own text was lost or quoted unaccented
_SCAN_COVER = 0.8
_STAMP_WORDS = 15
_CID = re.compile(r"\(cid:\d+\)")
_CID_KINDS, _CID_SHARE = 5, 0.1
_WORD = re.compile(r"[^\W\d_]+")
_SHAPED = 0.8  # of its words shaped as Vietnamese syllables: English text has half or fewer


def _readable(page: Any, lines: list[Line]) -> list[Line]:
    """`lines`, or none where the page must be read by OCR (`pdf_document`): a scan under a stamp or an
    unaccented text layer (above), or glyphs the PDF gives no characters for ("(cid:12)(cid:7)" where a
    font lacks its character map): that text said nothing, and was indexed as the document."""
    text = " ".join(line.text for line in lines)
    glyphs = _CID.findall(text)
    # many glyphs, not a list's one or two bullets without a character ("(cid:127)")
    if len(set(glyphs)) >= _CID_KINDS and len("".join(glyphs)) >= len(text) * _CID_SHARE:
        return []
    area = page.width * page.height
    covered = sum(max(0.0, min(image["x1"], page.width) - max(image["x0"], 0.0))
                  * max(0.0, min(image["bottom"], page.height) - max(image["top"], 0.0)) for image in page.images)
    if not area or covered < _SCAN_COVER * area:
        return lines
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(not ch.isascii() for ch in letters)
    words = [word for word in _WORD.findall(text) if not word.isdigit()]
    # Vietnamese without its accents, not an English document's layer over its page images
    unaccented = accented < len(letters) / 100 and sum(map(looks_vietnamese, words)) >= len(words) * _SHAPED
    # a stamp is a few words in the page's margin: a slide's title and a few words over its background are
    # the slide's text (read by OCR, "Mục tiêu" came out "lục tiêu")
    stamped = len(text.split()) < _STAMP_WORDS and all(
        line.top < page.height * MARGIN_SHARE or line.top > page.height * (1 - MARGIN_SHARE) for line in lines)
    return [] if stamped or unaccented else lines


def _text_lines(page: Any) -> list[dict]:
    # a gap relative to the font size: fixed tolerances run words together in tightly set (LaTeX) PDFs
    return page.extract_text_lines(return_chars=True, strip=True, x_tolerance_ratio=WORD_GAP)


def _page_lines(page: pdfplumber.page.Page, number: int) -> list[Line]:
    found = []
    tables = ruled_tables(page)
    if tables:  # the text around them is read without their cells; each row goes where the table stood
        boxes = [box for box, _ in tables]
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not any(
            box[0] <= (obj["x0"] + obj["x1"]) / 2 <= box[2] and box[1] <= obj["top"] <= box[3] for box in boxes))
    page, marked = without_note_marks(page)
    at = gutter(page)  # two columns: each read top to bottom, not across the page
    # a table across the gutter says the page is not in two columns: without its cells, a letter's closing
    # block ("Nơi nhận:" beside "TM. ỦY BAN NHÂN DÂN") looked like them, and the rows, put back where the
    # table stood, were read after it and dropped with it
    if at is not None and any(x0 < at[0] and x1 > at[1] for (x0, _, x1, _), _ in tables):
        at = None
    lines = column_lines(page, at, _text_lines) if at is not None else _text_lines(page)
    if number == 0 and at is None:
        lines = letterhead_columns(lines, page.width, page.height)
    for line in lines:
        text = nfc(collapse_spaces(line["text"]))  # a text layer in decomposed Vietnamese (macOS) reads as typed
        text = closed_up(text) if marked else text
        if text:
            size = median(char["size"] for char in line["chars"]) if line["chars"] else 0.0
            found.append(Line(number, text, line["x0"], line["x1"], line["top"], float(size),
                              whole=bool(line.get("whole"))))
    body = median(line.size for line in found) if found else BODY_SIZE
    for (x0, top, x1, bottom), rows in tables:
        # whole: a row is a passage of its own, never joined to the text or to the next row. A table within
        # the page's top or bottom margin is a header or footer printed in a frame: its rows go with the
        # margins' lines, dropped where they recur on other pages
        framed = bottom < page.height * MARGIN_SHARE or top > page.height * (1 - MARGIN_SHARE)
        found += [Line(number, nfc(row), x0, x1, top + index * 0.01, body, whole=True, row=not framed)
                  for index, row in enumerate(rows)]
    if tables and at is None:
        found.sort(key=lambda line: line.top)
    return found
