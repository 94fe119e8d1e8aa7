"""What a Word file shows that python-docx's plain reading misses: a change tracked in a table's cell, and
a text box (a sidebar, a callout) beside the paragraphs."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml

from retriever.ingest.files import parse_source, read_source

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
FARE = "Giá vé mỗi lượt trên các tuyến xe buýt điện mới là 9.000 đồng; người trên 60 tuổi được miễn phí vé."


def _texts(path: Path) -> list[str]:
    [document] = parse_source(read_source(path, path.parent))
    return [paragraph.text for paragraph in document.paragraphs]


def test_a_change_tracked_in_a_table_cell_is_read_as_accepted(tmp_path: Path) -> None:
    document = Document()
    document.add_heading("Bảng phí dịch vụ hành chính công năm 2027", 1)
    document.add_paragraph("Ủy ban nhân dân quận Ba Đình công bố mức phí mới áp dụng tại bộ phận một cửa.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Thủ tục", "Mức phí"
    table.cell(1, 0).text = "Chứng thực chữ ký"
    cell = table.cell(1, 1).paragraphs[0]._p
    cell.append(parse_xml(f'<w:del {W} w:id="1" w:author="A"><w:r><w:delText>10.000 đồng</w:delText></w:r></w:del>'))
    cell.append(parse_xml(f'<w:ins {W} w:id="2" w:author="A"><w:r><w:t>15.000 đồng</w:t></w:r></w:ins>'))
    document.save(str(tmp_path / "phi.docx"))
    assert "Thủ tục: Chứng thực chữ ký; Mức phí: 15.000 đồng" in _texts(tmp_path / "phi.docx")


def test_a_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    document = Document()
    document.add_heading("Hà Nội mở thêm 5 tuyến xe buýt điện", 1)
    anchor = document.add_paragraph("Từ tháng 1 năm 2027, Hà Nội đưa vào hoạt động thêm 5 tuyến xe buýt điện mới.")
    content = f"<w:txbxContent><w:p><w:r><w:t>{FARE}</w:t></w:r></w:p></w:txbxContent>"
    # as Word writes it: the drawing for those who read it, a VML shape as the fallback, the same text in both
    anchor._p.append(parse_xml(
        f'<w:r {W} {MC} {V} {WPS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f"{content}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    ))
    document.add_paragraph("Các tuyến mới dùng xe buýt điện, có wifi miễn phí và chỗ cho xe lăn.")
    document.save(str(tmp_path / "xe-buyt.docx"))
    texts = _texts(tmp_path / "xe-buyt.docx")
    assert texts.count(FARE) == 1 and texts.index(FARE) == 1
