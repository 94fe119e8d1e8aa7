"""Markdown read as its rendered page reads: links, italics, code and footnote marks are text, not markup."""

from __future__ import annotations

from pathlib import Path

from retriever.ingest.files import parse_source, read_source

PAGE = """# Phú Yên đón 1,2 triệu lượt khách trong quý I

_Tuy Hòa, ngày 5/4/2025_

Theo [Sở Văn hóa, Thể thao và Du lịch](https://phuyen.gov.vn/so_vhttdl) tỉnh Phú Yên, quý I tỉnh đón *khoảng*
1,2 triệu lượt khách, tăng `18%` so với cùng kỳ[^1].

![Gành Đá Đĩa](ganh-da-dia.jpg)

| Tháng | Lượt khách |
|---|---|
| [Tháng 1](t1.md) | **380.000** |

[^1]: Số liệu sơ bộ của Cục Thống kê tỉnh Phú Yên, công bố đầu tháng Tư.
"""


def test_markdown_inline_syntax_is_read_as_the_text_it_shows(tmp_path: Path) -> None:
    (tmp_path / "phu-yen.md").write_text(PAGE, "utf-8")
    [document] = parse_source(read_source(tmp_path / "phu-yen.md", tmp_path))
    assert document.date == "2025-04-05"  # the italic dateline was a paragraph, and the article undated
    assert [p.text for p in document.paragraphs] == [
        "Theo Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Yên, quý I tỉnh đón khoảng 1,2 triệu lượt khách, tăng 18% "
        "so với cùng kỳ.",
        "Tháng: Tháng 1; Lượt khách: 380.000",
        "Số liệu sơ bộ của Cục Thống kê tỉnh Phú Yên, công bố đầu tháng Tư.",
    ]
