"""Text as it was printed: a range or a compound broken at its own hyphen at a line's end, and a date line
written out in words under a web page's headline."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.ingest.files import parse_source, read_source
from retriever.text import join_line

PAGE = """<html><head><meta charset="utf-8"><title>Giá xăng giảm lần thứ ba liên tiếp</title></head><body>
<div class="meta">Thứ Năm, ngày 3 tháng 12 năm 2026 - 15:00</div>
<article><h1>Giá xăng giảm lần thứ ba liên tiếp</h1>
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
    assert document.date == "2026-12-03"
