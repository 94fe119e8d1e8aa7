"""Documents laid out as admins' files are: a page in two columns, a notice of short paragraphs, a ruled
table, a Word footnote. Written with the DejaVu fonts, as tests/documents.py's are."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tests.documents import FONT, FONT_BOLD, _fonts

TWO_COLUMN_TITLE = "Cảng Cái Mép - Thị Vải đón tàu container lớn nhất thế giới"
TWO_COLUMNS = (
    ("Sáng ngày 3/4/2025, cảng quốc tế Cái Mép - Thị Vải ở tỉnh Bà Rịa - Vũng Tàu đã tiếp nhận an toàn tàu "
     "MSC Irina có sức chở 24.346 TEU, con tàu container lớn nhất thế giới hiện nay.",
     "Tàu dài 399,99 mét, rộng 61,3 mét, cập cầu cảng Gemalink sau hành trình từ cảng Thượng Hải. Đây là lần "
     "đầu tiên một cảng biển Việt Nam đón tàu có trọng tải trên 240.000 tấn."),
    ("Theo Cục Hàng hải Việt Nam, lượng hàng container qua khu vực Cái Mép - Thị Vải trong quý I tăng 23% so "
     "với cùng kỳ, đạt khoảng 1,9 triệu TEU.",
     "Các chuyên gia cho rằng việc đón được siêu tàu khẳng định vị thế của cảng nước sâu phía Nam trên các "
     "tuyến vận tải biển trực tiếp đi châu Âu và châu Mỹ."),
)


def _headlined_page(headline: str, body_size: int) -> FPDF:
    """An A4 page with `headline` set in bold, the body font chosen for what follows."""
    _fonts()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=16)
    pdf.multi_cell(0, 8, headline)
    pdf.set_font("DejaVu", size=body_size)
    return pdf


def make_two_column_pdf(path: Path) -> Path:
    """A magazine page: a headline across the page, then two columns of two paragraphs each."""
    pdf = _headlined_page(TWO_COLUMN_TITLE, body_size=10)
    write_two_columns(pdf)
    pdf.output(str(path))
    return path


def write_two_columns(pdf: FPDF) -> None:
    """`TWO_COLUMNS` under what the page holds so far, each column top to bottom."""
    top, gap = pdf.get_y() + 6, 10
    width = (pdf.w - pdf.l_margin - pdf.r_margin - gap) / 2
    for column, paragraphs in enumerate(TWO_COLUMNS):
        y = top
        for paragraph in paragraphs:
            pdf.set_xy(pdf.l_margin + column * (width + gap), y)
            pdf.multi_cell(width, 5, paragraph)
            y = pdf.get_y() + 4


SHORT_TITLE = "Tỉnh Lâm Đồng khởi công tuyến cao tốc mới"
SHORT_PARAGRAPHS = (
    "Tuyến cao tốc Tân Phú - Bảo Lộc dài 66 ki-lô-mét có tổng vốn đầu tư khoảng 17.200 tỷ đồng.",
    "Dự án dự kiến hoàn thành và đưa vào khai thác trong năm 2027 theo kế hoạch của Bộ Xây dựng.",
    "Tỉnh đã bàn giao 95% mặt bằng cho nhà đầu tư.",
)


def make_short_paragraphs_pdf(path: Path) -> Path:
    """A notice of one-line paragraphs set well apart, a date line under its headline."""
    pdf = _headlined_page(SHORT_TITLE, body_size=11)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Ngày 12/5/2025")
    for paragraph in SHORT_PARAGRAPHS:
        pdf.ln(5)
        pdf.multi_cell(0, 6, paragraph)
    pdf.output(str(path))
    return path


TABLE_INTRO = ("Theo báo cáo của Cục Trồng trọt, vụ Đông Xuân năm nay toàn vùng gieo sạ khoảng 1,5 triệu héc-ta, "
               "năng suất bình quân đạt 7,1 tấn mỗi héc-ta. Bảng dưới đây nêu sản lượng của một số tỉnh.")
TABLE = (("Tỉnh", "Diện tích (ha)", "Sản lượng (tấn)"), ("Kiên Giang", "285.400", "2.083.420"),
         ("An Giang", "228.900", "1.739.640"))
TABLE_ROWS = ("Tỉnh: Kiên Giang; Diện tích (ha): 285.400; Sản lượng (tấn): 2.083.420",
              "Tỉnh: An Giang; Diện tích (ha): 228.900; Sản lượng (tấn): 1.739.640")


def make_table_pdf(path: Path) -> Path:
    """A report with a ruled table between two paragraphs, as Word exports one."""
    pdf = _headlined_page("Sản lượng lúa vụ Đông Xuân tại các tỉnh đồng bằng sông Cửu Long", body_size=11)
    pdf.ln(4)
    pdf.multi_cell(0, 6, TABLE_INTRO)
    pdf.ln(4)
    with pdf.table() as table:
        for cells in TABLE:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Giá lúa tươi tại ruộng trong đợt thu hoạch dao động từ 6.800 đến 7.200 đồng mỗi kilôgam.")
    pdf.output(str(path))
    return path


def with_footnote(raw: bytes, note: str) -> bytes:
    """A .docx (python-docx writes none) with one footnote added as Word stores it: a footnotes part, its
    relationship and its content type."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts = {
        "word/footnotes.xml": (f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
                               f'<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{note}'
                               "</w:t></w:r></w:p></w:footnote></w:footnotes>"),
        "[Content_Types].xml": ('<Override PartName="/word/footnotes.xml" ContentType="application/'
                                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'),
        "word/_rels/document.xml.rels": ('<Relationship Id="rIdNote1" Type="http://schemas.openxmlformats.org/'
                                         'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                         "</Relationships>"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item).decode("utf-8") if item.filename in parts else source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", parts[item.filename])
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace("</Relationships>", parts[item.filename])
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", parts["word/footnotes.xml"])
    return out.getvalue()


DECISION_TITLE = "Quyết định về việc ban hành mức thu phí trông giữ xe trên địa bàn thành phố Hà Nội"
DECISION_TEXT = ("Mức thu phí trông giữ xe máy ban ngày là 5.000 đồng một lượt, ban đêm là 8.000 đồng một lượt, "
                 "áp dụng tại các điểm trông giữ xe công cộng.")


def make_decision_pdf(path: Path) -> Path:
    """An official decision as offices print it: a letterhead in two columns side by side (the body and its
    number left; the motto and the place and date right), the kind and subject in bold, the text, and the
    recipients beside the signature."""
    _fonts()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pairs = [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
             ("THÀNH PHỐ HÀ NỘI", "Độc lập - Tự do - Hạnh phúc"),
             ("Số: 1234/QĐ-UBND", "Hà Nội, ngày 15 tháng 3 năm 2025")]
    for left, right in pairs:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(half - 20, 6, left, align="C")
        pdf.set_xy(pdf.l_margin + half, y)
        pdf.cell(half, 6, right, align="C")
        pdf.ln(7)
    pdf.ln(6)
    pdf.set_font("DejaVu", style="B", size=13)
    pdf.multi_cell(0, 7, "QUYẾT ĐỊNH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, DECISION_TITLE.removeprefix("Quyết định v").join(["V", ""]), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 6, DECISION_TEXT, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    for left, right in (("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- Như Điều 3;", "KT. CHỦ TỊCH"),
                        ("- Lưu: VT, KT.", "Nguyễn Văn Hùng")):
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(half - 20, 6, left)
        pdf.set_xy(pdf.l_margin + half, y)
        pdf.cell(half, 6, right, align="C")
        pdf.ln(7)
    pdf.output(str(path))
    return path
