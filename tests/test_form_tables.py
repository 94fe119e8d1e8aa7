"""A form's table in what admins add: labels down the first column, values beside them and no header row
("Họ và tên | Nguyễn Văn A"). Each row is quoted as its label and its value, in Word, PDF and web pages
alike; a table with a header row still names its columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.ingest.files import parse_source, read_source
from retriever.ingest.tables import row_passages

INTRO = "Hồ sơ đăng ký dự tuyển viên chức của thí sinh được tóm tắt trong bảng dưới đây."
FORM = (("Họ và tên", "Nguyễn Văn An"), ("Ngày sinh", "01/02/1990"),
        ("Địa chỉ", "Số 12 đường Nguyễn Huệ, phường Bến Nghé, Quận 1"))
FORM_ROWS = ["Họ và tên: Nguyễn Văn An", "Ngày sinh: 01/02/1990",
             "Địa chỉ: Số 12 đường Nguyễn Huệ, phường Bến Nghé, Quận 1"]


def texts(path: Path) -> list[str]:
    [document] = parse_source(read_source(path, path.parent))
    return [p.text for p in document.paragraphs]


@pytest.mark.parametrize(("rows", "passages"), [
    # a form: a name, a date, an address beside their labels
    ([list(row) for row in FORM], FORM_ROWS),
    # an administrative procedure's card: every value is words, none a figure
    ([["Tên thủ tục", "Đăng ký khai sinh"], ["Cơ quan thực hiện", "Ủy ban nhân dân cấp xã"],
      ["Lệ phí", "Miễn phí"]],
     ["Tên thủ tục: Đăng ký khai sinh", "Cơ quan thực hiện: Ủy ban nhân dân cấp xã", "Lệ phí: Miễn phí"]),
    # labels ending in a colon, as forms type them
    ([["Họ và tên:", "Nguyễn Văn An"], ["Giới tính:", "Nam"]], ["Họ và tên: Nguyễn Văn An", "Giới tính: Nam"]),
    # two fields a row, side by side
    ([["Họ và tên", "Nguyễn Văn An", "Ngày sinh", "01/02/1990"], ["Dân tộc", "Kinh", "Tôn giáo", "Không"]],
     ["Họ và tên: Nguyễn Văn An; Ngày sinh: 01/02/1990", "Dân tộc: Kinh; Tôn giáo: Không"]),
    # headers: a column's name over figures, over figures in the first column, over people's names
    ([["Loại xe", "Phí"], ["Xe máy", "5.000 đồng"], ["Ô tô", "20.000 đồng"]],
     ["Loại xe: Xe máy; Phí: 5.000 đồng", "Loại xe: Ô tô; Phí: 20.000 đồng"]),
    ([["Năm", "Sản lượng"], ["2023", "2.640 tấn"], ["2024", "2.760 tấn"]],
     ["Năm: 2023; Sản lượng: 2.640 tấn", "Năm: 2024; Sản lượng: 2.760 tấn"]),
    ([["Họ và tên", "Chức vụ"], ["Nguyễn Văn An", "Giám đốc"], ["Trần Thị Bình", "Phó giám đốc"]],
     ["Họ và tên: Nguyễn Văn An; Chức vụ: Giám đốc", "Họ và tên: Trần Thị Bình; Chức vụ: Phó giám đốc"]),
    ([["Tỉnh", "Diện tích (ha)", "Sản lượng (tấn)"], ["Kiên Giang", "285.400", "2.083.420"]],
     ["Tỉnh: Kiên Giang; Diện tích (ha): 285.400; Sản lượng (tấn): 2.083.420"]),
])
def test_a_forms_rows_are_its_labels_and_values_and_a_headed_tables_name_their_columns(
        rows: list[list[str]], passages: list[str]) -> None:
    assert row_passages(rows) == passages


def test_a_form_in_a_word_file_is_quoted_a_field_a_passage(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Hồ sơ dự tuyển viên chức năm 2025", level=1)
    word.add_paragraph(INTRO)
    table = word.add_table(rows=0, cols=2)
    for label, value in FORM:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    word.save(str(tmp_path / "ho-so.docx"))
    assert texts(tmp_path / "ho-so.docx") == [INTRO, *FORM_ROWS]


def test_a_word_tables_row_marked_to_repeat_as_its_header_is_its_header(tmp_path: Path) -> None:
    from docx import Document as WordDocument
    from docx.oxml import OxmlElement

    word = WordDocument()
    word.add_heading("Danh sách liên hệ các phòng ban", level=1)
    word.add_paragraph("Các phòng ban của trường tiếp sinh viên trong giờ hành chính từ thứ Hai đến thứ Sáu.")
    table = word.add_table(rows=0, cols=2)
    for label, value in (("Phòng ban", "Người phụ trách"), ("Phòng Đào tạo", "Lê Minh Châu")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # Word's "Repeat as header row"
    word.save(str(tmp_path / "lien-he.docx"))
    assert texts(tmp_path / "lien-he.docx")[1:] == ["Phòng ban: Phòng Đào tạo; Người phụ trách: Lê Minh Châu"]


def test_a_form_in_a_pdf_is_quoted_a_field_a_passage(tmp_path: Path) -> None:
    from tests.page_layouts import _headlined_page

    pdf = _headlined_page("Hồ sơ dự tuyển viên chức năm 2025", body_size=11)
    pdf.ln(4)
    pdf.multi_cell(0, 6, INTRO)
    pdf.ln(4)
    with pdf.table(first_row_as_headings=False) as table:
        for cells in FORM:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.output(str(tmp_path / "ho-so.pdf"))
    assert texts(tmp_path / "ho-so.pdf") == [INTRO, *FORM_ROWS]


@pytest.mark.parametrize("cell", ["th", "td"])
def test_a_form_in_a_web_page_is_quoted_a_field_a_passage(tmp_path: Path, cell: str) -> None:
    rows = "".join(f"<tr><{cell}>{label}</{cell}><td>{value}</td></tr>" for label, value in FORM)
    (tmp_path / "ho-so.html").write_text(
        "<html><head><title>Hồ sơ dự tuyển viên chức năm 2025</title></head><body><article>"
        f"<h1>Hồ sơ dự tuyển viên chức năm 2025</h1><p>{INTRO}</p><table>{rows}</table>"
        "<p>Thí sinh kiểm tra lại thông tin và báo cho hội đồng tuyển dụng nếu có sai sót.</p>"
        "</article></body></html>", "utf-8")
    assert texts(tmp_path / "ho-so.html")[:4] == [INTRO, *FORM_ROWS]
