"""Photos and image files decoded for OCR, in a child under the parse limits (retriever/ingest/bounded.py).

A PNG is a zlib stream: a file of a few hundred KB can declare a picture that needs gigabytes once decoded,
and Pillow decodes a PNG whole (only a JPEG can be decoded at a reduced size). So the size the file declares
is checked against a budget before anything is decoded, the decoding runs in a child with a memory ceiling,
and what comes back is the grey page already shrunk to the OCR pixel budget."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from retriever.errors import UnreadableInputError
from retriever.ingest.bounded import run_bounded

if TYPE_CHECKING:
    from PIL import Image

DECODE_LIMIT = 400_000_000  # pixels: a bigger image is refused unread (a decompression bomb, not a page)
# bytes a whole decode may take (pixels × bands): a format decoded whole (PNG) above it is refused unread.
# A 600 dpi A4 colour scan is about 100 MB; a 10 000 × 10 000 colour PNG is 300 MB
FULL_DECODE_BYTES = 400_000_000

Decoded = tuple[tuple[int, int], bytes, "float | None"]  # the page's size, grey pixels, its dpi when known


def open_image(raw: bytes, max_pixels: int) -> tuple[Image.Image, float | None]:
    """A photo or image file as a grey page of at most `max_pixels`, turned upright by its EXIF tag, and
    its dpi when the file says (scaled with the page). UnreadableInputError: too large, or not an image."""
    from PIL import Image

    size, pixels, dpi = run_bounded(decode, raw, max_pixels)
    return Image.frombytes("L", size, pixels), dpi


def decode(raw: bytes, max_pixels: int) -> Decoded:
    """`open_image`'s work, done in the limited child."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        opened = Image.open(io.BytesIO(raw))
    except Image.DecompressionBombError as error:
        # Pillow's own bomb limit (about 179 million pixels) comes before ours: the same refusal, in words
        raise _too_large(*_declared_size(raw)) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise _corrupt() from error
    width, height = opened.size
    whole = opened.format != "JPEG"  # a JPEG decodes at a reduced size (draft); anything else whole
    if width * height > DECODE_LIMIT or (whole and width * height * len(opened.getbands()) > FULL_DECODE_BYTES):
        raise _too_large(width, height)
    try:
        opened.draft("L", fit(width, height, max_pixels))  # JPEG decodes at a reduced size: less memory
        image = ImageOps.exif_transpose(opened.convert("L"))
    except (OSError, SyntaxError, ValueError) as error:
        raise _corrupt() from error
    declared = image.info.get("dpi")
    dpi = float(declared[0]) if declared and declared[0] and declared[0] > 30 else None
    shrunk = fit(*image.size, max_pixels)
    if shrunk != image.size:
        # shrunk here rather than before OCR: the pixels sent back through the pipe are the budget's, not the file's
        dpi = dpi * shrunk[0] / image.size[0] if dpi else None
        image = image.resize(shrunk, Image.Resampling.LANCZOS)
    return image.size, image.tobytes(), dpi


def fit(width: int, height: int, max_pixels: int) -> tuple[int, int]:
    scale = min(1.0, (max_pixels / max(width * height, 1)) ** 0.5)
    return max(1, int(width * scale)), max(1, int(height * scale))


def _declared_size(raw: bytes) -> tuple[int, int]:
    """The size in the file's header, read without Pillow's bomb check (which refuses before saying it)."""
    from PIL import JpegImagePlugin, PngImagePlugin

    for plugin in (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile):
        try:
            return plugin(io.BytesIO(raw)).size
        except (OSError, SyntaxError, ValueError):
            continue
    return 0, 0


def _too_large(width: int, height: int) -> UnreadableInputError:
    return UnreadableInputError("image_huge", f"the image is {width}×{height} pixels, too large to read",
                                width=width, height=height)


def _corrupt() -> UnreadableInputError:
    # Pillow's own words name an in-memory buffer ("cannot identify image file <_io.BytesIO …>")
    return UnreadableInputError("image_corrupt", "not a readable image (damaged, or not a JPEG, PNG or WebP)")
