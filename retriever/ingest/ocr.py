"""Text in images (Tesseract, through pytesseract): scanned PDF pages and photos of documents.

Each page is read on its own, bounded in time (a Tesseract call that runs past `page_seconds` is
killed) and in memory (a photo is decoded in a limited child, retriever/ingest/images.py, and every
page is shrunk to `max_pixels` before Tesseract sees it). A page that reads badly is tried again turned
as Tesseract's orientation detection says; small skew is Tesseract's own layout analysis. The result of a
file is kept beside the data (retriever/ingest/ocr_cache.py).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import mean, median
from typing import TYPE_CHECKING

from retriever.errors import UnreadableInputError
from retriever.ingest.images import fit
from retriever.ingest.letterhead import scanned_letterhead
from retriever.ingest.ocr_tables import Word, with_tables
from retriever.ingest.official import MOTTO
from retriever.ingest.sections import is_section_label
from retriever.ingest.upright import deskewed, upright_turn
from retriever.text import collapse_spaces, join_line, nfc

if TYPE_CHECKING:
    from PIL import Image

# numpy and Pillow are imported where they are used: the parse limits' children import the ingest package,
# and a parser's memory ceiling is meant for the parser, not for libraries it never calls

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})  # WebP: what a browser saves a picture as
WORD_CONFIDENCE = 30.0  # words Tesseract is less sure of than this are noise (texture, pictures), not text
PARAGRAPH_CONFIDENCE = 45.0  # a "paragraph" of mostly unsure words is a picture read as letters
PAGE_FLOOR = 65.0  # a page read with less mean confidence is mostly misread (blurred): it is left out
UPRIGHT_WEIGHT = 0.95  # a page turned as OSD says is kept unless it reads this much worse than as it lay
TURN_BELOW = 75.0  # a page read with less confidence is tried again turned as the orientation detection says

PageProgress = Callable[[int, int], None]  # pages done, pages in all

# One Tesseract process per page, single-threaded: its OpenMP threads would only fight the encoder
# and the other pages for the same cores
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass(frozen=True)
class OcrOptions:
    language: str = "vie"  # Tesseract's traineddata name(s), e.g. "vie+eng"
    dpi: int = 300  # scanned PDF pages are rendered at this resolution
    page_seconds: float = 60.0  # one page's Tesseract time, orientation retry included
    max_pixels: int = 40_000_000  # a page image is shrunk to at most this many pixels before OCR
    max_pages: int = 200  # pages without text in one file; more is refused (split the scan)
    min_confidence: float = 80.0  # pages read with less mean word confidence are named to the admin


@dataclass(frozen=True)
class OcrParagraph:
    text: str
    x0: float  # page image pixels at `OcrPage.dpi`
    x1: float  # right edge of the paragraph's last line: a paragraph running on to the next page reaches it
    top: float
    right: float  # right edge of the widest line
    bottom: float = 0.0  # of its last line; 0: not known (read before it was kept)
    height: float = 0.0  # its words' median height: a line's, the measure of the gaps around it


@dataclass(frozen=True)
class OcrPage:
    number: int  # 0-based, in the file
    width: int
    height: int
    dpi: float
    confidence: float  # mean word confidence, 0-100; 0 when nothing was read
    paragraphs: tuple[OcrParagraph, ...]
    rotated: int = 0  # degrees the page was turned before it could be read
    error: str = ""  # why the page could not be read (timeout), else ""


@dataclass(frozen=True)
class OcrReport:
    """What the admin is told about a file read by OCR."""

    pages: int
    confidence: float  # mean over the pages that were indexed
    doubtful: tuple[int, ...]  # 1-based numbers of indexed pages below the confidence threshold
    unread: tuple[int, ...]  # 1-based numbers of pages left out: too blurred, or out of time


def available() -> bool:
    import pytesseract

    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError):
        return False
    return True


def missing_languages(language: str) -> list[str]:
    """The languages of `language` ("vie+eng") this machine's Tesseract lacks; [] when it has them all, or
    when Tesseract is not installed (scans are then refused with their own reason)."""
    installed = _installed_languages()
    return [name for name in language.split("+") if installed is not None and name not in installed]


@functools.cache
def _installed_languages() -> frozenset[str] | None:
    """Asked of Tesseract once a process: every library opened (each command, each test) checks its setting."""
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return None


@dataclass(frozen=True)
class OcrJob:
    """How to read one file: the options, where its result is kept, whom to tell of each page done."""

    options: OcrOptions
    cache: Path | None = None
    progress: PageProgress | None = None


def read_images(images: Iterator[tuple[Image.Image, float | None]], count: int, options: OcrOptions,
                progress: PageProgress | None = None, numbers: list[int] | None = None) -> list[OcrPage]:
    """OCR each (image, its dpi when known) as a page; `numbers` are the pages' numbers in their file."""
    import pytesseract

    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError) as error:
        raise UnreadableInputError("ocr_missing", "Tesseract is not installed: text in images cannot be read "
                                   "(apt-get install tesseract-ocr tesseract-ocr-vie)") from error
    pages = []
    for done, (image, dpi) in enumerate(images):
        number = numbers[done] if numbers else done
        pages.append(_read_page(image, number, options, dpi))
        if progress is not None:
            progress(done + 1, count)
    return pages


def _read_page(image: Image.Image, number: int, options: OcrOptions, dpi: float | None) -> OcrPage:
    from PIL import Image

    image = image.convert("L")
    width, height = fit(*image.size, options.max_pixels)
    if (width, height) != image.size:
        dpi = dpi * width / image.size[0] if dpi else None
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    import pytesseract

    budget = options.page_seconds
    lying = image
    image = deskewed(image)
    try:
        page = _recognise(image, number, options, dpi, budget)
        # a page wider than tall is a portrait page lying sideways more often than not: Tesseract reads its
        # lines turned well enough to pass TURN_BELOW, but in pieces, and across the letterhead's columns
        doubtful = page.confidence < TURN_BELOW or image.width > image.height
        if doubtful and (turn := upright_turn(image, budget)):
            # straightened once upright: the tilt measured on a page lying sideways was a column's, and the
            # turned page came out crooked, its columns read across one another
            upright = deskewed(lying.rotate(-turn, expand=True))
            turned = _recognise(upright, number, options, dpi, budget, turn)
            # as well read turned as lying (Tesseract turns lines itself): upright, as OSD says, is what the
            # layout rules expect; 61,371 against 61,847 for a decision lying sideways, its columns crossed
            if _weight(turned) >= _weight(page) * UPRIGHT_WEIGHT:
                page = turned
    except RuntimeError as error:  # pytesseract's timeout
        log.warning("OCR of page %d stopped after %.0f s: %s", number + 1, budget, error)
        return OcrPage(number, width, height, dpi or 0.0, 0.0, (), 0, f"timed out after {budget:.0f} s")
    except pytesseract.TesseractError as error:
        log.warning("OCR of page %d failed: %s", number + 1, error)
        return OcrPage(number, width, height, dpi or 0.0, 0.0, (), 0, collapse_spaces(str(error))[:200])
    return page


def _weight(page: OcrPage) -> float:
    return page.confidence * sum(len(p.text) for p in page.paragraphs)


def _recognise(image: Image.Image, number: int, options: OcrOptions, dpi: float | None, budget: float,
               rotated: int = 0) -> OcrPage:
    import pytesseract

    config = f"--psm 3 --dpi {round(dpi)}" if dpi else "--psm 3"
    data = pytesseract.image_to_data(image, lang=options.language, config=config, timeout=budget,
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if data["level"][i] == 5 and word.strip() and float(data["conf"][i]) >= WORD_CONFIDENCE:
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    paragraphs: dict[tuple[int, int], list[list[int]]] = {}
    for (block, par, _), words in sorted(lines.items()):
        paragraphs.setdefault((block, par), []).append(words)
    found, confidences = [], []
    ordered: list[float] = []  # the letterhead's lines' places, column by column
    read = [(lines_of, False) for lines_of in _split_at_labels(data["text"], list(paragraphs.values()))]
    if number == 0:
        read = scanned_letterhead([lines_of for lines_of, _ in read], lambda i: (
            data["text"][i], data["left"][i], data["left"][i] + data["width"][i], data["top"][i], data["height"][i],
        ), image.width, image.height)
    for lines_of, letterhead, row in with_tables(read, lambda i: Word(
            data["text"][i], data["left"][i], data["left"][i] + data["width"][i], data["height"][i], data["top"][i])):
        words = [i for line in lines_of for i in line]
        scores = [float(data["conf"][i]) for i in words]
        if mean(scores) < PARAGRAPH_CONFIDENCE:
            continue
        text = row or _join_lines([_line_text([data["text"][i] for i in line]) for line in lines_of])
        # the motto over every page is no text; the letterhead's names the document official
        if not text or (MOTTO.match(text) and not letterhead):
            continue
        confidences += scores
        last = lines_of[-1]
        top = min(data["top"][i] for i in words)
        if letterhead:  # column by column: the right column's lines stand beside the left's, read after them
            ordered.append(top if not ordered else ordered[0] + len(ordered) * 0.01)
            top = ordered[-1]
        found.append(OcrParagraph(
            text,
            x0=min(data["left"][i] for i in words),
            x1=max(data["left"][i] + data["width"][i] for i in last),
            top=top,
            right=max(data["left"][i] + data["width"][i] for i in words),
            bottom=max(data["top"][i] + data["height"][i] for i in last),
            height=median(data["height"][i] for i in words),
        ))
    confidence = mean(confidences) if confidences else 0.0
    return OcrPage(number, image.width, image.height, dpi or 0.0, confidence, tuple(found), rotated)


def _split_at_labels(text: list[str], paragraphs: list[list[list[int]]]) -> list[list[list[int]]]:
    """Tesseract's paragraphs, with a line that labels a section ("Điều 3. Kinh phí", "II. NHIỆM VỤ") set
    apart: set close to the text around it, it was read into the paragraph before or after."""
    split: list[list[list[int]]] = []
    for lines in paragraphs:
        run: list[list[int]] = []
        for line in lines:
            if is_section_label(collapse_spaces(nfc(" ".join(text[i] for i in line)))):
                split += [part for part in (run, [line]) if part]
                run = []
            else:
                run.append(line)
        if run:
            split.append(run)
    return split


# a number Tesseract cut in two at its own mark, as it does where the print spaces it: "3. 250 thí sinh"
# (3.250), "96, 1%" (96,1%), "2026- 2027"; not "năm 2025. 300 hộ", "ngày 5, 6 và 7", "tăng 5, 10%", nor an
# item's number ("2. 100% học sinh" opening a line, "Khoản 2. 150 người", "tháng 12. 500 hộ")
_THOUSANDS = re.compile(r"^\d{1,3}\.$"), re.compile(r"^\d{3}(?:[.,]\d+)?\W*$")
_DECIMAL = re.compile(r"^\d{1,3},$"), re.compile(r"^\d%\W*$")
_RANGE = re.compile(r"^\d+-$"), re.compile(r"^\d")
# words a number follows as a label or a count of its own: "Điều 3.", "tháng 12."
_LABELS = frozenset({"điều", "khoản", "mục", "bước", "phần", "chương", "câu", "bài", "tháng", "ngày", "năm", "số",
                     "trang", "lần", "quý", "tuần", "kỳ"})


def _line_text(words: list[str]) -> str:
    """A line's words as read, a number cut in two at its own mark joined again."""
    kept: list[str] = []
    for word in filter(None, words):
        last = kept[-1] if kept else ""
        # a number at the line's start, or after a label or a ":", numbers an item: "2. 100%" is item 2
        placed = len(kept) >= 2 and kept[-2].lower() not in _LABELS and not kept[-2].endswith(":")
        glued = placed and any(before.match(last) and after.match(word) for before, after in (_THOUSANDS, _DECIMAL))
        if glued or (last and _RANGE[0].match(last) and _RANGE[1].match(word)):
            kept[-1] = last + word
        else:
            kept.append(word)
    return " ".join(kept)


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in (collapse_spaces(nfc(line)) for line in lines):
        if not line:
            continue
        text = join_line(text, line)
    return text


def legible(page: OcrPage) -> bool:
    return bool(page.paragraphs) and page.confidence >= PAGE_FLOOR


def report(pages: list[OcrPage], options: OcrOptions) -> OcrReport:
    read = [page.confidence for page in pages if legible(page)]
    doubtful = tuple(page.number + 1 for page in pages if legible(page) and page.confidence < options.min_confidence)
    unread = tuple(page.number + 1 for page in pages if page.error or (page.paragraphs and not legible(page)))
    return OcrReport(len(pages), mean(read) if read else 0.0, doubtful, unread)
