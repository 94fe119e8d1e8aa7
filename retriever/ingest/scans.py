"""Scans and photos as documents: pages read by OCR (retriever/ingest/ocr.py) become the same
positioned lines a text PDF gives, so running headers, page numbers and paragraphs carried over a
page break are handled by the rules text PDFs use (retriever/ingest/layout.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from retriever.errors import UnreadableInputError
from retriever.ingest import ocr, ocr_cache
from retriever.ingest.bounded import run_bounded
from retriever.ingest.images import open_image
from retriever.ingest.layout import BODY_SIZE, Line, PageLines, parse_lines
from retriever.ingest.news import ParsedText, ends_sentence
from retriever.ingest.ocr import OcrJob, OcrPage
from retriever.text import ITEM_MARK

if TYPE_CHECKING:
    from PIL import Image

POINTS = 72.0
RENDER_BATCH = 4  # pages rendered by one child: a few MB each come back through its pipe


def parse_image(raw: bytes, fallback_title: str, job: OcrJob) -> ParsedText:
    """A photo or image file (JPEG, PNG) of a document."""
    pages = ocr_cache.cached(job.cache, raw)
    if pages is None:
        image, dpi = open_image(raw, job.options.max_pixels)
        pages = ocr.read_images(iter([(image, dpi)]), 1, job.options, job.progress)
        _check(pages)
        ocr_cache.store(job.cache, raw, pages)
    [page] = pages
    # a photo has no known scale: positions stay in pixels, which the layout rules only compare
    return parse_lines([(float(page.height), _lines(page, 1.0, BODY_SIZE))], {}, fallback_title)


def pdf_pages(raw: bytes, numbers: list[int], job: OcrJob) -> list[OcrPage]:
    """OCR of the pages of a PDF that have no text layer (0-based `numbers`)."""
    pages = ocr_cache.cached(job.cache, raw)
    if pages is not None:
        return pages
    if len(numbers) > job.options.max_pages:
        raise UnreadableInputError(
            "ocr_pages", f"the scan has {len(numbers)} pages without text, more than the limit of "
            f"{job.options.max_pages}: split it into smaller files",
            count=len(numbers), limit=job.options.max_pages,
        )
    pages = ocr.read_images(_rendered(raw, numbers, job), len(numbers), job.options, job.progress, numbers)
    _check(pages)
    ocr_cache.store(job.cache, raw, pages)
    return pages


def _rendered(raw: bytes, numbers: list[int], job: OcrJob) -> Iterator[tuple[Image.Image, float]]:
    """Each page as a grey image, rendered a few at a time in a child under the parse limits (pdfium parses
    the page's content, which a hostile file may make a bomb of)."""
    from PIL import Image

    for start in range(0, len(numbers), RENDER_BATCH):
        batch = numbers[start : start + RENDER_BATCH]
        for size, pixels, dpi in run_bounded(render_pages, raw, batch, job.options.dpi, job.options.max_pixels):
            yield Image.frombytes("L", size, pixels), dpi


Rendered = tuple[tuple[int, int], bytes, float]  # a page's size, grey pixels and dpi


def render_pages(raw: bytes, numbers: list[int], dpi: int, max_pixels: int) -> list[Rendered]:
    """The pages at `dpi`, less where that would exceed `max_pixels`: (size, grey pixels, dpi) each."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(raw)
    rendered = []
    try:
        for number in numbers:
            page = document[number]
            width, height = page.get_size()
            scale = min(dpi / POINTS, (max_pixels / max(width * height, 1.0)) ** 0.5)
            image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
            page.close()
            rendered.append((image.size, image.tobytes(), scale * POINTS))
    finally:
        document.close()
    return rendered


def scanned_lines(page: OcrPage, size: float) -> list[Line]:
    """A PDF page's OCR paragraphs in PDF points, beside the text pages' lines."""
    return _lines(page, POINTS / page.dpi if page.dpi else 1.0, size)


def _lines(page: OcrPage, scale: float, size: float) -> list[Line]:
    return [
        Line(page.number, p.text, p.x0 * scale, p.x1 * scale, p.top * scale, size, whole=True, reach=p.right * scale)
        for p in (_sentences_joined(page.paragraphs) if ocr.legible(page) else ())
    ]


LINE_GAP = 1.0  # of a line's height: more between two lines is a blank line, which a heading stands over


def _next_line(before: ocr.OcrParagraph, paragraph: ocr.OcrParagraph) -> bool:
    """`paragraph` starts on the line after `before`'s last: "Kết quả thực hiện", a blank line, then "2.000 hộ
    dân …" is a heading over its text."""
    return (before.bottom > 0 and 0 <= paragraph.top - before.bottom <= LINE_GAP * before.height
            and paragraph.x0 < before.right and before.x0 < paragraph.right)  # in the same column


def _sentences_joined(paragraphs: tuple[ocr.OcrParagraph, ...]) -> list[ocr.OcrParagraph]:
    """Tesseract's paragraphs, with one whose sentence goes on in the next joined to it: a screenshot's
    notice came as "… cung cấp điện từ 7 giờ" and "30 đến 16 giờ 30 …", and was quoted cut at "7 giờ". The
    next goes on where it starts in lower case or with a number that marks no item, on the line below the
    unended one; a heading in capitals ends without a mark ("THÔNG BÁO" over "15/4/2025 …")."""
    joined: list[ocr.OcrParagraph] = []
    for paragraph in paragraphs:
        before = joined[-1] if joined else None
        if before is not None and _next_line(before, paragraph) and not ends_sentence(before.text) \
                and before.text != before.text.upper() and not ITEM_MARK.match(paragraph.text) \
                and (paragraph.text[:1].islower() or paragraph.text[:1].isdigit()):
            joined[-1] = replace(before, text=f"{before.text} {paragraph.text}", x1=paragraph.x1,
                                 right=max(before.right, paragraph.right))
        else:
            joined.append(paragraph)
    return joined


def _check(pages: list[OcrPage]) -> None:
    if any(ocr.legible(page) for page in pages):
        return
    timed_out = next((page.error for page in pages if page.error), "")
    if timed_out:
        raise UnreadableInputError("ocr_failed", f"the text could not be read ({timed_out})", reason=timed_out)
    blurred = [page.confidence for page in pages if page.paragraphs]
    if blurred:
        confidence = f"{max(blurred):.0f}%"
        raise UnreadableInputError(
            "ocr_blurred", f"the scan is too blurred to read reliably (confidence {confidence}): send a sharper one",
            confidence=confidence,
        )
    raise UnreadableInputError(
        "ocr_nothing", "no text could be read in the image: send a sharp, well-lit photo or scan of a document"
    )


def lines_of(pages: PageLines, scanned: list[OcrPage], size: float) -> PageLines:
    """The PDF's pages with the scanned ones' lines filled in."""
    by_number = {page.number: page for page in scanned}
    return [
        (height, scanned_lines(by_number[number], size) if number in by_number else lines)
        for number, (height, lines) in enumerate(pages)
    ]
