"""Test documents made on the fly: PDFs (fpdf2, DejaVu for Vietnamese) and Word files (python-docx).

The texts say what the tests ask about; the layouts carry what real documents carry (running
headers, page numbers, a paragraph broken across pages, headings, a table, a list)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from docx import Document as WordDocument
from fpdf import FPDF

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PDF_TITLE = "Cà phê Đắk Lắk bước vào mùa thu hoạch kỷ lục"
PDF_HEADER = "Bản tin Nông nghiệp Tây Nguyên"
PDF_PARAGRAPHS = (
    "Niên vụ năm nay, tỉnh Đắk Lắk có khoảng 213.000 héc-ta cà phê, trong đó diện tích cho thu hoạch "
    "đạt hơn 200.000 héc-ta với năng suất bình quân 2,8 tấn nhân mỗi héc-ta.",
    "Giá cà phê nhân xô tại các vùng trồng trọng điểm dao động quanh mức 120.000 đồng mỗi kilôgam, "
    "cao gấp đôi so với cùng kỳ năm trước, giúp nhiều hộ nông dân có lãi lớn.",
    "Sở Nông nghiệp tỉnh khuyến cáo người trồng thu hái quả chín đúng độ, phơi sấy đúng kỹ thuật và "
    "không chạy theo số lượng để giữ uy tín cho thương hiệu cà phê Buôn Ma Thuột trên thị trường.",
    "Nhiều hợp tác xã đã liên kết với doanh nghiệp chế biến để bao tiêu sản phẩm, ký hợp đồng trước "
    "vụ với giá sàn bảo đảm, đồng thời hướng dẫn xã viên áp dụng quy trình canh tác bền vững được "
    "chứng nhận quốc tế. Mô hình này giúp người trồng yên tâm đầu tư chăm sóc vườn cây, giảm phụ "
    "thuộc vào thương lái và nâng giá trị hạt cà phê xuất khẩu. Theo đánh giá của ngành nông nghiệp, "
    "chuỗi liên kết đã mở rộng ra hơn 30.000 héc-ta, tăng gần gấp ba lần so với năm năm trước, và "
    "sẽ tiếp tục được nhân rộng ở các huyện phía đông của tỉnh trong thời gian tới.",
    "Tỉnh đặt mục tiêu đến năm 2030 tái canh toàn bộ diện tích cà phê già cỗi bằng giống mới cho "
    "năng suất cao, chịu hạn tốt và kháng được bệnh gỉ sắt.",
)

DOCX_TITLE = "Hồ tiêu Việt Nam trên thị trường thế giới"
DOCX_PARAGRAPHS = (
    "Việt Nam hiện là nước sản xuất và xuất khẩu hồ tiêu lớn nhất thế giới, chiếm khoảng 40% sản lượng "
    "và 60% thị phần xuất khẩu toàn cầu.",
    "Các vùng trồng hồ tiêu chính tập trung ở Tây Nguyên và Đông Nam Bộ, nơi có đất đỏ bazan màu mỡ.",
)
DOCX_LIST = (
    "Đầu tư hệ thống tưới nhỏ giọt tiết kiệm nước cho vườn tiêu",
    "Giảm dùng phân bón hóa học và thuốc bảo vệ thực vật",
)
DOCX_TABLE = (("Năm", "Sản lượng xuất khẩu"), ("2023", "2.640 tấn"), ("2024", "2.760 tấn"))
DOCX_TABLE_ROWS = ("Năm: 2023; Sản lượng xuất khẩu: 2.640 tấn", "Năm: 2024; Sản lượng xuất khẩu: 2.760 tấn")


def _fonts() -> None:
    if not Path(FONT).is_file() or not Path(FONT_BOLD).is_file():
        raise FileNotFoundError(f"{FONT} is missing: install the DejaVu fonts (apt-get install fonts-dejavu-core)")


class _Bulletin(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", size=9)
        self.cell(0, 8, PDF_HEADER, align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=9)
        self.cell(0, 10, f"Trang {self.page_no()}", align="C")


def make_pdf(path: Path) -> Path:
    """Two pages: a running header, page numbers, a heading, and the fourth paragraph running on."""
    _fonts()
    pdf = _Bulletin(format=(148, 190))
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.set_title(PDF_TITLE)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=16)
    pdf.multi_cell(0, 8, PDF_TITLE)
    pdf.set_font("DejaVu", size=10)
    pdf.ln(2)
    pdf.multi_cell(0, 6, "Ngày 12/03/2024")
    pdf.ln(4)
    for paragraph in PDF_PARAGRAPHS:
        pdf.multi_cell(0, 6.5, paragraph)
        pdf.ln(4)
    pdf.output(str(path))
    return path


DATELINE_TITLE = "Lào và Việt Nam ký kết thỏa thuận hợp tác giáo dục"
DATELINE_PARAGRAPH = (
    "Viêng Chăn, ngày 14/03/2025 – Bộ Giáo dục và Thể thao Lào và Bộ Giáo dục và Đào tạo Việt Nam đã ký thỏa "
    "thuận đưa 1.000 lưu học sinh Lào sang học tại Việt Nam mỗi năm trong giai đoạn 2025-2030."
)


def make_dateline_pdf(path: Path) -> Path:
    """A news PDF whose first paragraph opens with its dateline, made (metadata) on another day."""
    from datetime import UTC, datetime

    _fonts()
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.set_creation_date(datetime(2026, 1, 2, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=16)
    pdf.multi_cell(0, 8, DATELINE_TITLE)
    pdf.set_font("DejaVu", size=11)
    pdf.ln(4)
    pdf.multi_cell(0, 6.5, DATELINE_PARAGRAPH)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A page with a drawing and no text layer, as a scanner makes."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def make_locked_pdf(path: Path) -> Path:
    _fonts()
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 6, PDF_PARAGRAPHS[0])
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    """A heading (the title), paragraphs, a sub-heading, a bulleted list and a table with a header row."""
    document = WordDocument()
    document.core_properties.title = "Bản nháp"
    document.add_heading(DOCX_TITLE, level=1)
    document.add_paragraph("Ngày 05/01/2025")
    for paragraph in DOCX_PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.add_heading("Giải pháp phát triển bền vững", level=2)
    for item in DOCX_LIST:
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=0, cols=2)
    for row in DOCX_TABLE:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    document.save(str(path))
    return path


def make_pdf_bomb(inflated: int = 80 * 1024 * 1024) -> bytes:
    """A one-page PDF (about 240 KB) whose content stream inflates to `inflated` bytes of text drawing."""
    import io
    import zlib

    line = b"BT /F1 12 Tf 72 712 Td (Bom) Tj ET\n"
    stream = zlib.compress(line * (inflated // len(line)), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, 2)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_docx_bomb(path: Path, inflated: int = 100 * 1024 * 1024) -> bytes:
    """A real .docx whose word/document.xml is padded (with XML whitespace) to inflate to `inflated` bytes."""
    import io
    import zipfile

    make_docx(path)
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                head, _, tail = content.partition(b"<w:body>")
                content = head + b"<w:body>" + b" " * inflated + tail
            bomb.writestr(info.filename, content)
    return out.getvalue()


def encode_cp1258(text: str) -> bytes:
    """`text` as Windows' Vietnamese code page writes it: letters such as "ơ" and "ê" are single bytes and
    the five tones are combining marks after them (Python's codec maps characters, not decompositions)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    encoded = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        encoded.append((letter + "".join(p for p in parts if p in tones)).encode("cp1258"))
    return b"".join(encoded)

