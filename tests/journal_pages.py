"""A journal's article as its PDF is printed: a table of contents first, then a page with a running header
in two parts, a headline over two lines, a byline with the date, and two ragged columns (lines end where
their words do, some close to the gutter)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tests.documents import FONT, FONT_BOLD, _fonts

JOURNAL_TITLE = "Đồng bằng sông Cửu Long ứng phó xâm nhập mặn mùa khô 2024"
JOURNAL_PARAGRAPHS = (
    "Mùa khô năm 2024, xâm nhập mặn tại đồng bằng sông Cửu Long đến sớm hơn trung bình nhiều năm khoảng một "
    "tháng, với ranh mặn 4 phần nghìn lấn sâu vào đất liền từ 45 đến 65 kilômét trên các cửa sông chính.",
    "Tỉnh Bến Tre đã công bố tình huống khẩn cấp về thiên tai hạn mặn từ ngày 15 tháng 2, khi có hơn 31.000 hộ "
    "dân thiếu nước sinh hoạt và khoảng 10.500 héc-ta cây ăn trái bị ảnh hưởng.",
    "Bộ Nông nghiệp và Phát triển nông thôn khuyến cáo các địa phương tích trữ nước ngọt trong kênh rạch nội "
    "đồng, vận hành linh hoạt hệ thống cống Cái Lớn - Cái Bé và theo dõi độ mặn hằng ngày trước khi lấy nước.",
    "Các nhà khoa học cho rằng việc khai thác cát lòng sông và nước ngầm quá mức đang làm đồng bằng sụt lún "
    "trung bình 1 đến 2 centimét mỗi năm, khiến tình trạng xâm nhập mặn ngày càng nghiêm trọng hơn.",
    "Tổng kinh phí cho chương trình cấp nước sinh hoạt vùng hạn mặn giai đoạn 2024-2026 ước tính khoảng 8.200 "
    "tỷ đồng, trong đó ngân sách trung ương hỗ trợ 60 phần trăm.",
    "Tại Sóc Trăng, nhiều doanh nghiệp logistics phải thuê sà lan chở nước ngọt từ Cần Thơ về phục vụ sản xuất, "
    "chi phí vận chuyển tăng gấp đôi so với cùng kỳ năm ngoái.",
    "Viện Khoa học Thủy lợi miền Nam đã lắp đặt 120 trạm quan trắc độ mặn tự động, cập nhật dữ liệu mỗi 15 phút "
    "lên ứng dụng di động để người dân chủ động lấy nước.",
    "Người dân Cà Mau được hướng dẫn dùng bồn chứa, túi chứa nước ngọt dung tích từ 2 đến 5 mét khối, do "
    "chương trình hỗ trợ của tỉnh cấp miễn phí cho hộ nghèo.",
)


def _wrapped(pdf: FPDF, text: str, width: float, first: float | None = None) -> list[str]:
    """`text` in lines of `width` (the first of `first`, where it is set in)."""
    lines, line = [], ""
    for word in text.split():
        if line and pdf.get_string_width(f"{line} {word}") > (width if lines or first is None else first):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def make_journal_pdf(path: Path) -> Path:
    _fonts()
    pdf = FPDF(format="A4")
    pdf.add_font("D", fname=FONT)
    pdf.add_font("D", style="B", fname=FONT_BOLD)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("D", style="B", size=12)
    pdf.set_xy(15, 15)
    pdf.cell(0, 8, "MỤC LỤC")
    pdf.set_font("D", size=10)
    for row, (entry, page) in enumerate((("Đồng bằng sông Cửu Long ứng phó xâm nhập mặn", 2),
                                         ("Hồ chứa nước ngọt cho vùng ven biển", 3))):
        pdf.set_xy(15, 25 + 7 * row)
        pdf.cell(160, 6, f"{entry} {'.' * 30}")
        pdf.set_xy(180, 25 + 7 * row)
        pdf.cell(15, 6, str(page), align="R")
    pdf.add_page()
    pdf.set_font("D", size=8)
    pdf.set_xy(10, 10)
    pdf.cell(0, 6, "TẠP CHÍ THỦY LỢI VIỆT NAM · Số 87")
    pdf.set_xy(10, 10)
    pdf.cell(0, 6, "Khoa học - Công nghệ", align="R")
    pdf.set_font("D", style="B", size=17)
    pdf.set_xy(15, 22)
    pdf.multi_cell(180, 9, JOURNAL_TITLE)
    pdf.set_font("D", size=9)
    pdf.set_xy(15, pdf.get_y() + 2)
    pdf.cell(0, 6, "Ngày 20/03/2024 · Nguyễn Minh Tâm")
    pdf.set_font("D", size=10)
    top, width, gap, height = pdf.get_y() + 10, 85, 10, 5.2
    lines: list[str] = []
    for paragraph in JOURNAL_PARAGRAPHS:
        lines += [*_wrapped(pdf, paragraph, width), ""]
    half = (len(lines) + 1) // 2
    for column, chunk in enumerate((lines[:half], lines[half:])):
        for row, line in enumerate(chunk):
            pdf.set_xy(15 + column * (width + gap), top + row * height)
            pdf.cell(width, height, line)
    pdf.output(str(path))
    return path


FOOTNOTED_TITLE = "Cảng Cát Lái quá tải container dịp cuối năm"
FOOTNOTED_PARAGRAPH = (
    "Sở Giao thông vận tải thành phố cho biết sẽ phối hợp với công an phân luồng xe tải từ 6 giờ đến 9 giờ sáng, "
    "đồng thời đề xuất đầu tư nút giao khác mức Mỹ Thủy giai đoạn hai với tổng vốn khoảng 3.800 tỷ đồng, dự kiến "
    "khởi công vào quý II năm 2025."
)
FOOTNOTE = "¹ Nút giao Mỹ Thủy nằm ở phường Cát Lái, thành phố Thủ Đức."


def make_footnoted_pdf(path: Path) -> Path:
    """A paragraph that runs over the page break, with a footnote in small print at the foot of the first page."""
    _fonts()
    pdf = FPDF(format=(148, 210))  # A5
    pdf.add_font("D", fname=FONT)
    pdf.add_font("D", style="B", fname=FONT_BOLD)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("D", style="B", size=15)
    pdf.multi_cell(0, 8, FOOTNOTED_TITLE)
    pdf.set_font("D", size=10)
    lines = _wrapped(pdf, FOOTNOTED_PARAGRAPH, pdf.w - pdf.l_margin - pdf.r_margin)
    cut = len(lines) // 2
    for row, line in enumerate(lines[:cut]):
        pdf.set_xy(pdf.l_margin, pdf.h - 60 + row * 5)
        pdf.cell(0, 5, line)
    pdf.set_font("D", size=7)
    pdf.set_xy(pdf.l_margin, pdf.h - 20)
    pdf.cell(0, 4, FOOTNOTE)
    pdf.add_page()
    pdf.set_font("D", size=10)
    for row, line in enumerate(lines[cut:]):
        pdf.set_xy(pdf.l_margin, 15 + row * 5)
        pdf.cell(0, 5, line)
    pdf.output(str(path))
    return path
