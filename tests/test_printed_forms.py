"""Text as it was printed: a range or a compound broken at its own hyphen at a line's end, and a date line
written out in words under a web page's headline."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.ingest.files import parse_source, read_source
from retriever.text import join_line

PAGE = """<html><head><meta charset="utf-8"><title>Giá xăng giảm lần thứ ba liên tiếp</title></head><body>
<div class="top">Thứ Hai, ngày 7 tháng 12 năm 2026</div>
<article><h1>Giá xăng giảm lần thứ ba liên tiếp</h1>
<div class="meta">Thứ Năm, ngày 3 tháng 12 năm 2026 - 15:00</div>
<p>Liên Bộ Công Thương - Tài chính vừa điều chỉnh giá bán lẻ xăng dầu, giá xăng RON 95 giảm 520 đồng mỗi lít.</p>
<p>Đây là lần giảm thứ ba liên tiếp của giá xăng kể từ đầu tháng 11 do giá dầu thế giới đi xuống.</p>
</article></body></html>"""


@pytest.mark.parametrize(("text", "line", "joined"), [
    ("giai đoạn 2021-", "2025 tăng 8%", "giai đoạn 2021-2025 tăng 8%"),
    ("tỉnh Bà Rịa-", "Vũng Tàu", "tỉnh Bà Rịa-Vũng Tàu"),
    ("con-", "tainer", "container"),  # a word split at the line's end
    ("ki-lô-", "mét", "ki-lô-mét"),
    ("Hà Nội -", "Viêng Chăn", "Hà Nội - Viêng Chăn"),  # a dash between words keeps its spaces
])
def test_a_hyphen_at_a_lines_end_joins_as_printed(text: str, line: str, joined: str) -> None:
    assert join_line(text, line) == joined


def test_a_date_written_out_under_the_headline_dates_the_page(tmp_path: Path) -> None:
    (tmp_path / "gia-xang.html").write_text(PAGE, "utf-8")
    [document] = parse_source(read_source(tmp_path / "gia-xang.html", tmp_path))
    assert document.date == "2026-12-03"  # not the site header's today


def test_a_date_in_the_sites_header_or_a_sidebar_dates_nothing(tmp_path: Path) -> None:
    page = PAGE.replace('<div class="meta">Thứ Năm, ngày 3 tháng 12 năm 2026 - 15:00</div>', "").replace(
        "</article>", '</article><aside><div>Tin liên quan</div><div>Thứ Năm, 05/09/2024</div></aside>')
    (tmp_path / "gia-xang.html").write_text(page, "utf-8")
    [document] = parse_source(read_source(tmp_path / "gia-xang.html", tmp_path))
    assert document.date == ""


VACCINATION = (
    "Trạm y tế phường Bến Nghé tổ chức tiêm vắc xin sởi miễn phí cho trẻ từ 9 tháng đến 5 tuổi vào các ngày thứ "
    "Bảy trong tháng 12, từ 7 giờ 30 đến 11 giờ tại số 12 đường Lê Thánh Tôn.",
    "Phụ huynh mang theo sổ tiêm chủng và căn cước công dân của cha hoặc mẹ; trẻ đang sốt hoặc mắc bệnh cấp tính sẽ "
    "được hẹn tiêm vào đợt sau, khi đã khỏi bệnh ít nhất bảy ngày.",
)
NOTES = ("Ghi chú: Lịch tiêm có thể thay đổi tùy theo lượng vắc xin được cấp.",
         "Mọi thắc mắc xin liên hệ trạm y tế phường qua số điện thoại 028 3822 1234.",
         "Thông báo này được niêm yết tại trụ sở Ủy ban nhân dân phường.")


def test_a_notice_with_small_print_under_it_keeps_its_paragraphs_whole(tmp_path: Path) -> None:
    """Lines of 8-point notes are closer together than lines of the 11-point text: with one pitch for both,
    each line of the text was a paragraph (a quote stopped mid-sentence, "… 5 tuổi vào")."""
    from tests.page_layouts import _headlined_page

    pdf = _headlined_page("Thông báo lịch tiêm vắc xin sởi cho trẻ em tại phường Bến Nghé", 11)
    pdf.ln(4)
    for paragraph in VACCINATION:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_y(250)
    pdf.set_font("DejaVu", size=8)
    for note in NOTES:
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "tiem-chung.pdf"))
    [document] = parse_source(read_source(tmp_path / "tiem-chung.pdf", tmp_path))
    assert [p.text for p in document.paragraphs] == [*VACCINATION, *NOTES]
