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

# the letter's facts as a reader asks for them: (question, words the quote must hold)
LETTER_FACTS = (
    ("Tỉnh Quảng Nam đề nghị các sở ngành tăng cường việc gì trong mùa mưa bão?", "phòng chống thiên tai"),
    ("Từ tháng 9 đến tháng 11 có thể có bao nhiêu cơn bão ảnh hưởng miền Trung?", "từ 3 đến 5"),
    ("Các huyện miền núi phải bố trí nơi ở tạm cho dân trước ngày nào?", "ngày 15 tháng 9"),
    ("Sở Nông nghiệp kiểm tra an toàn bao nhiêu hồ chứa thủy lợi?", "74 hồ chứa"),
    ("Kinh phí dự phòng cho cứu hộ cứu nạn là bao nhiêu?", "12 tỷ đồng"),
)

# a longer report, set over several pages so that paragraphs run on over page breaks
REPORT = (
    "Năm 2025, tổng sản phẩm trên địa bàn tỉnh tăng 8,2% so với năm trước, cao hơn mức bình quân của cả "
    "nước; trong đó khu vực công nghiệp và xây dựng tăng 11,4%, khu vực dịch vụ tăng 7,6%.",
    "Thu ngân sách nhà nước trên địa bàn đạt 27.450 tỷ đồng, vượt 9% dự toán được giao, nhờ nguồn thu từ "
    "các dự án năng lượng tái tạo và hoạt động xuất nhập khẩu qua cảng biển tăng mạnh.",
    "Kim ngạch xuất khẩu hàng hóa ước đạt 4,1 tỷ đô la Mỹ, chủ yếu là hàng dệt may, đồ gỗ, thủy sản chế "
    "biến và linh kiện điện tử; thị trường Hoa Kỳ chiếm gần một phần ba tổng kim ngạch.",
    "Tỉnh đã giải quyết việc làm cho 21.300 lao động, trong đó có 1.850 người đi làm việc ở nước ngoài theo "
    "hợp đồng; tỷ lệ lao động qua đào tạo đạt 68,5%.",
    "Toàn tỉnh có 412 trường học đạt chuẩn quốc gia, tăng 17 trường so với cuối năm trước; tỷ lệ học sinh "
    "tốt nghiệp trung học phổ thông đạt 98,7%.",
    "Chương trình xây dựng nông thôn mới có thêm 9 xã đạt chuẩn, nâng tổng số lên 156 xã; thu nhập bình "
    "quân đầu người ở khu vực nông thôn đạt 52 triệu đồng mỗi năm.",
    "Ngành y tế đã đưa vào hoạt động Bệnh viện Ung bướu với quy mô 500 giường bệnh, giảm đáng kể số bệnh "
    "nhân phải chuyển lên tuyến trung ương để điều trị.",
    "Năm 2026, tỉnh đặt mục tiêu tăng trưởng kinh tế từ 8,5% đến 9%, tập trung hoàn thành tuyến đường ven "
    "biển dài 67 ki-lô-mét và khởi công khu công nghiệp công nghệ cao ở phía tây thành phố.",
)
REPORT_FACTS = (
    ("Tổng sản phẩm trên địa bàn tỉnh năm 2025 tăng bao nhiêu phần trăm?", "tăng 8,2%"),
    ("Thu ngân sách nhà nước trên địa bàn đạt bao nhiêu?", "27.450 tỷ đồng"),
    ("Kim ngạch xuất khẩu hàng hóa của tỉnh ước đạt bao nhiêu?", "4,1 tỷ đô la"),
    ("Bao nhiêu người đi làm việc ở nước ngoài theo hợp đồng?", "1.850 người"),
    ("Toàn tỉnh có bao nhiêu trường học đạt chuẩn quốc gia?", "412 trường"),
    ("Tổng số xã đạt chuẩn nông thôn mới là bao nhiêu?", "156 xã"),
    ("Bệnh viện Ung bướu có quy mô bao nhiêu giường bệnh?", "500 giường"),
    ("Tuyến đường ven biển dài bao nhiêu ki-lô-mét?", "67 ki-lô-mét"),
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


def character_accuracy(read: str, truth: str) -> float:
    """1 - (edit distance / length of the truth), over the texts with their spacing made uniform."""
    a, b = " ".join(read.split()), " ".join(truth.split())
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return max(0.0, 1 - previous[-1] / max(len(b), 1))


def page_image(paragraphs: tuple[str, ...], scan: Scan = Scan()) -> Image.Image:
    """One page holding `paragraphs` (they must fit)."""
    [page] = document_pages(paragraphs, scan, lines_per_page=10_000)
    return page


def document_pages(paragraphs: tuple[str, ...], scan: Scan = Scan(), lines_per_page: int = 40) -> list[Image.Image]:
    """The paragraphs set as consecutive pages: a paragraph that does not fit goes on over the page break; each
    page has the running header and its number (counting from `scan.page_number`)."""
    width, height = (round(inches * scan.dpi) for inches in A4_INCHES)
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    body = ImageFont.truetype(FONT, round(BODY_POINTS * scan.dpi / 72))
    margin = round(MARGIN_INCHES * scan.dpi)
    rows: list[str | None] = []  # None: the gap between paragraphs
    for paragraph in paragraphs:  # a "\n" in one starts a new line without the gap between paragraphs
        rows += [*(row for part in paragraph.split("\n") for row in _wrap(measure, part, body, width - 2 * margin)),
                 None]
    pages, number = [], scan.page_number
    while rows:
        taken, rows = rows[:lines_per_page], rows[lines_per_page:]
        pages.append(_page(taken, scan, number, width, height))
        number = number + 1 if number is not None else None
    return pages


def _blank(scan: Scan, width: int, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw, ImageFont.FreeTypeFont,
                                                         int, int]:
    """A white page, its pen, the body's font, the margin and the line height, at `scan.dpi`."""
    image = Image.new("L", (width, height), 255)
    body = ImageFont.truetype(FONT, round(BODY_POINTS * scan.dpi / 72))
    return (image, ImageDraw.Draw(image), body, round(MARGIN_INCHES * scan.dpi),
            round(BODY_POINTS * 1.5 * scan.dpi / 72))


def _page(rows: list[str | None], scan: Scan, number: int | None, width: int, height: int) -> Image.Image:
    image, draw, body, margin, line_height = _blank(scan, width, height)
    small = ImageFont.truetype(FONT, round(9 * scan.dpi / 72))
    if scan.header:
        draw.text((width // 2, margin // 2), scan.header, font=small, fill=0, anchor="mm")
    y = margin
    for row in rows:
        if row is None:
            y += line_height // 2
            continue
        draw.text((margin, y), row, font=body, fill=0)
        y += line_height
    if number is not None:
        draw.text((width // 2, height - margin // 2), str(number), font=small, fill=0, anchor="mm")
    return _as_scanned(image, scan)


# an official decision's letterhead as Nghị định 30/2020/NĐ-CP sets it: two columns side by side
DECISION_HEAD = (
    ("UBND TỈNH QUẢNG NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ GIAO THÔNG VẬN TẢI", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 1245/QĐ-SGTVT", "Quảng Nam, ngày 18 tháng 3 năm 2025"),
)
DECISION_TITLE = ("QUYẾT ĐỊNH", "Về việc phân luồng giao thông trên tuyến Quốc lộ 14E")
DECISION_BODY = (
    "Điều 1. Phân luồng giao thông",
    "Từ ngày 01 tháng 4 năm 2025, xe ô tô tải có tổng trọng lượng trên 10 tấn không được lưu thông qua "
    "đoạn tuyến Quốc lộ 14E từ xã Bình Lãnh đến xã Bình Trị mà phải đi theo Quốc lộ 1.",
    "Điều 2. Tổ chức thực hiện",
    "Thanh tra Sở phối hợp với Công an huyện Thăng Bình bố trí lực lượng hướng dẫn tại hai đầu đoạn "
    "tuyến suốt 24 giờ mỗi ngày.",
)
DECISION_CLOSING = (("Nơi nhận:", "KT. GIÁM ĐỐC"), ("- Như Điều 2;", "PHÓ GIÁM ĐỐC"), ("- Lưu: VT.", "Nguyễn Văn Hùng"))


def decision_page(scan: Scan = Scan(header=""), head: tuple[tuple[str, str], ...] = DECISION_HEAD,
                  title: tuple[str, ...] = DECISION_TITLE) -> Image.Image:
    """One page of an official decision: the two-column letterhead, its kind and subject centred, the
    articles, and the recipients beside the signature."""
    width, height = (round(inches * scan.dpi) for inches in A4_INCHES)
    image, draw, body, margin, line_height = _blank(scan, width, height)
    letterhead = ImageFont.truetype(FONT, round(10 * scan.dpi / 72))
    y = margin
    for left, right in head:
        draw.text((margin + round(1.2 * scan.dpi), y), left, font=letterhead, fill=0, anchor="ma")
        draw.text((width - margin - round(1.9 * scan.dpi), y), right, font=letterhead, fill=0, anchor="ma")
        y += line_height
    y += line_height
    for line in title:
        draw.text((width // 2, y), line, font=body, fill=0, anchor="ma")
        y += line_height
    for paragraph in DECISION_BODY:
        y += line_height // 2
        for row in _wrap(draw, paragraph, body, width - 2 * margin):
            draw.text((margin, y), row, font=body, fill=0)
            y += line_height
    y += line_height
    for left, right in DECISION_CLOSING:
        draw.text((margin, y), left, font=letterhead, fill=0)
        draw.text((width - margin - round(1.9 * scan.dpi), y), right, font=letterhead, fill=0, anchor="ma")
        y += line_height
    return _as_scanned(image, scan)


def _as_scanned(image: Image.Image, scan: Scan) -> Image.Image:
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


def png_bomb(width: int, height: int, colour_type: int = 6) -> bytes:
    """A PNG of one white colour, `width` × `height` (RGBA by default): a few hundred KB of zlib that
    decodes to width × height × 4 bytes."""
    import struct
    import zlib

    bands = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\x00" + b"\xff" * (width * bands)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
