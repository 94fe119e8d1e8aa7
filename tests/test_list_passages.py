"""A list under its lead-in is quoted with it: the lead-in alone ("… phải trang bị tối thiểu:") answers
nothing, and an item alone does not say what it is a list of."""

from __future__ import annotations

from pathlib import Path

from retriever.library import Library, LibraryConfig

NOTICE = """# Thông báo phòng cháy chữa cháy tại khu dân cư

Ủy ban nhân dân phường đề nghị các hộ gia đình chấp hành nghiêm các quy định về phòng cháy, chữa cháy.

Các hộ gia đình phải trang bị tối thiểu:

- 01 bình chữa cháy xách tay loại 4 kg đặt ở vị trí dễ lấy;
- 01 thiết bị báo cháy tự động tại khu vực bếp;
- lối thoát nạn thứ hai qua ban công hoặc mái nhà.

Công dân đến làm thủ tục tại bộ phận một cửa cần mang theo:

Căn cước công dân còn hiệu lực;

Giấy xác nhận cư trú do công an phường cấp.

Tổ dân phố kiểm tra việc trang bị trước ngày 30 tháng 4 năm 2026 và báo cáo kết quả về phường.
"""


def test_a_lead_in_and_its_items_are_one_quote(e5, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "pccc.md").write_text(NOTICE, "utf-8")
    library, _ = Library.open(LibraryConfig(data, tmp_path / "index"), e5)
    try:
        equipped = library.search("Hộ gia đình phải trang bị những gì để phòng cháy?", 3).results[0].text
        # the lead-in alone was quoted
        assert equipped.startswith("Các hộ gia đình phải trang bị tối thiểu: 01 bình chữa cháy")
        assert equipped.endswith("lối thoát nạn thứ hai qua ban công hoặc mái nhà.")
        papers = library.search("Đi làm thủ tục ở bộ phận một cửa cần mang giấy tờ gì?", 3).results[0].text
        assert papers == ("Công dân đến làm thủ tục tại bộ phận một cửa cần mang theo: Căn cước công dân còn hiệu "
                          "lực; Giấy xác nhận cư trú do công an phường cấp.")
        # the article itself keeps its paragraphs as they are
        article = library.article(library.search("Tổ dân phố kiểm tra trước ngày nào?", 1).results[0].doc_id)
        assert article is not None and "Các hộ gia đình phải trang bị tối thiểu:" in article.paragraphs
    finally:
        library.close()
