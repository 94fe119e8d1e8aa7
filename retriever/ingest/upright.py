"""A scanned page made straight before Tesseract reads it: its tilt undone (`deskewed`), and the turn that
makes it upright as Tesseract's orientation detection tells it (`upright_turn`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

MAX_SKEW = 10.0  # degrees a page may lie crooked and still be straightened
MIN_SKEW = 0.3  # less is left as it is: Tesseract reads it well, and every rotation blurs a little
SKEW_WIDTH = 600  # pixels: the skew is measured on a copy this wide
SKEW_GAIN = 1.1  # a straightened page's rows must be this much sharper than as it lies
MIN_CONTRAST = 40  # grey levels between paper and print, fewer: no rows of text to line up (a blank, a blur)


def skew(image: Image.Image) -> float:
    """The page's tilt in degrees (counter-clockwise), up to MAX_SKEW: the angle that, undone, makes the rows of
    text sharpest (the dark-pixel count per row changes most from row to row)."""
    import numpy as np
    from PIL import Image

    small = image.copy()
    small.thumbnail((SKEW_WIDTH, SKEW_WIDTH * 2))
    # measured on the middle of the page: a photo's corners (the table, the dark wedges a crooked shot leaves)
    # are rows of "ink" that line up at no angle of the text's
    width, height = small.size
    small = small.crop((width // 6, height // 6, width - width // 6, height - height // 6))
    # ink is what is darker than halfway between the page's paper and its darkest print: a fixed cut (140)
    # took a notice photographed in dim light (paper at 120-137) for ink all over, every angle scored alike
    # but 0°, which scored nothing, and the page was turned for no reason and came back unread
    low, high = np.percentile(np.asarray(small, dtype=np.float32), [0.2, 98])  # text may be 1% of a page
    if high - low < MIN_CONTRAST:
        return 0.0
    cut = (low + high) / 2
    dark = small.point(lambda value: 255 if value < cut else 0).convert("1")

    def sharpness(angle: float) -> float:
        rows = np.asarray(dark.rotate(-angle, resample=Image.Resampling.BILINEAR), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    best = float(max(np.arange(coarse - 0.3, coarse + 0.31, 0.1), key=sharpness))
    # no rows of text to line up (a picture, a blur): any angle scores alike, and the page stays as it is
    straight = sharpness(0.0)
    return best if straight > 0 and sharpness(best) > straight * SKEW_GAIN else 0.0


def deskewed(image: Image.Image) -> Image.Image:
    """Tesseract's layout analysis loses whole lines of a page tilted by a degree or two: straighten it first."""
    from PIL import Image

    angle = skew(image)
    if abs(angle) < MIN_SKEW:
        return image
    import numpy as np

    # the corners turned in take the paper's colour: white ones around a grey page were read as its edge
    paper = int(np.percentile(np.asarray(image), 98))
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=paper)


def upright_turn(image: Image.Image, budget: float) -> int:
    """Degrees to turn the page clockwise to make it upright, per Tesseract's OSD; 0 when unsure."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0", timeout=budget,
                                       output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:
        return 0  # too few characters to tell: the page stays as it is
    rotate = int(osd.get("rotate", 0)) % 360
    return rotate if float(osd.get("orientation_conf", 0.0)) >= 1.0 else 0
