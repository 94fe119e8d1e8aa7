"""Scanned pages made on the fly: known Vietnamese text rendered with DejaVu onto a white page image,
as a scanner or a phone would deliver it (running header, page number, slight rotation, JPEG).

Tests and `benchmarks.ocr` OCR these and compare with the text they were made from."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9
BODY_POINTS = 11
HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

# an official letter (công văn) in the usual shape: each paragraph states facts that questions ask about
LETTER = (
    "Ủy ban nhân dân tỉnh Quảng Nam đề nghị các sở, ngành và địa phương tăng cường công tác phòng "
    "chống thiên tai trong mùa mưa bão năm nay.",
    "Theo dự báo của Đài Khí tượng Thủy văn, từ tháng 9 đến tháng 11 có khả năng xuất hiện từ 3 đến 5 "
    "cơn bão và áp thấp nhiệt đới ảnh hưởng trực tiếp đến khu vực miền Trung.",
    "Các huyện miền núi phải rà soát toàn bộ khu dân cư có nguy cơ sạt lở đất, lập danh sách hộ dân "
    "cần di dời và bố trí nơi ở tạm an toàn trước ngày 15 tháng 9.",
    "Sở Nông nghiệp và Phát triển nông thôn chủ trì kiểm tra an toàn 74 hồ chứa thủy lợi, nhất là các "
    "hồ đã xuống cấp, và báo cáo kết quả về Ủy ban nhân dân tỉnh.",
    "Kinh phí dự phòng 12 tỷ đồng được phân bổ cho công tác cứu hộ, cứu nạn và khắc phục hậu quả "
    "thiên tai, do Sở Tài chính quản lý và cấp phát theo quy định.",
)


@dataclass(frozen=True)
class Scan:
    dpi: int = 300
    angle: float = 0.0  # degrees, counter-clockwise, as a page lies crooked on the glass
    jpeg_quality: int | None = 75  # None: PNG
    header: str = HEADER
    page_number: int | None = 1
    blur: float = 0.0  # Gaussian radius in pixels: a shaky phone


def _wrap(draw: ImageDraw.ImageDraw, paragraph: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, current = [], ""
    for word in paragraph.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]


def page_image(paragraphs: tuple[str, ...], scan: Scan = Scan()) -> Image.Image:
    width, height = (round(inches * scan.dpi) for inches in A4_INCHES)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(FONT, round(BODY_POINTS * scan.dpi / 72))
    small = ImageFont.truetype(FONT, round(9 * scan.dpi / 72))
    margin = round(MARGIN_INCHES * scan.dpi)
    line_height = round(BODY_POINTS * 1.5 * scan.dpi / 72)
    if scan.header:
        draw.text((width // 2, margin // 2), scan.header, font=small, fill=0, anchor="mm")
    y = margin
    for paragraph in paragraphs:
        for line in _wrap(draw, paragraph, body, width - 2 * margin):
            draw.text((margin, y), line, font=body, fill=0)
            y += line_height
        y += line_height // 2
    if scan.page_number is not None:
        draw.text((width // 2, height - margin // 2), str(scan.page_number), font=small, fill=0, anchor="mm")
    if scan.angle:
        image = image.rotate(scan.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if scan.blur:
        image = image.filter(ImageFilter.GaussianBlur(scan.blur))
    return image


def encoded(image: Image.Image, scan: Scan = Scan()) -> bytes:
    out = io.BytesIO()
    if scan.jpeg_quality is None:
        image.save(out, "PNG", dpi=(scan.dpi, scan.dpi))
    else:
        image.save(out, "JPEG", quality=scan.jpeg_quality, dpi=(scan.dpi, scan.dpi))
    return out.getvalue()


def scanned_pdf(pages: list[Image.Image], dpi: int = 300) -> bytes:
    """A PDF of page images and nothing else, as a scanner writes it (no text layer)."""
    out = io.BytesIO()
    first, *rest = [page.convert("RGB") for page in pages]
    first.save(out, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return out.getvalue()
