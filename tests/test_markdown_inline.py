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


def test_front_matter_names_dates_and_sources_the_page_and_a_code_fence_is_no_text_of_its_own(tmp_path: Path) -> None:
    page = ('---\ntitle: "Hướng dẫn đăng ký tài khoản định danh điện tử mức 2"\ndate: 2025-01-08\n'
            "source: Công an tỉnh Bình Dương\ntags: [vneid]\n---\n\n# VNeID – Hướng dẫn nhanh\n\n"
            "Công dân từ đủ 14 tuổi trở lên đến Công an xã, phường nơi cư trú để đăng ký tài khoản mức 2.\n\n"
            "```bash\n# cài bộ công cụ\nnpm install vneid-sdk\n```\n")
    (tmp_path / "huong-dan.md").write_text(page, "utf-8")
    [document] = parse_source(read_source(tmp_path / "huong-dan.md", tmp_path))
    # "--- title: …" was the title, and the front matter's lines were quoted as passages
    assert document.title == "Hướng dẫn đăng ký tài khoản định danh điện tử mức 2"
    assert (document.date, document.source) == ("2025-01-08", "Công an tỉnh Bình Dương")
    said = [p.text for p in document.paragraphs]
    assert said[0].startswith("Công dân từ đủ 14 tuổi") and not any("```" in text or "title:" in text for text in said)
    assert any("# cài bộ công cụ" in text for text in said)  # a comment in code is no heading
