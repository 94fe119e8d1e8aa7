"""A small organisation's own pages, notes and price lists: no <article>, headings and short lists under them.
What the page says is kept, under its heading; its menu and copyright line are not passages."""

from __future__ import annotations

from pathlib import Path

from retriever.ingest.files import parse_source, read_source

CLINIC = """<html><head><title>Trung tâm Y tế phường Bến Thành</title></head><body>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/lh">Liên hệ</a></li></ul>
<h1>Trung tâm Y tế phường Bến Thành</h1>
<p>Trung tâm Y tế phường Bến Thành khám bệnh cho người dân trong phường từ thứ Hai đến thứ Bảy.</p>
<h2>Giờ làm việc</h2>
<p>Buổi sáng từ 7 giờ đến 11 giờ 30, buổi chiều từ 13 giờ 30 đến 17 giờ, kể cả ngày lễ theo lịch trực.</p>
<h2>Giấy tờ cần mang</h2>
<ul><li>Thẻ bảo hiểm y tế còn hạn</li><li>Căn cước công dân</li><li>Sổ tiêm chủng</li></ul>
<p class="foot">© 2025 Trung tâm Y tế phường Bến Thành</p>
</body></html>"""


def headed(path: Path) -> list[tuple[str, str]]:
    [document] = parse_source(read_source(path, path.parent))
    return [(p.heading, p.text) for p in document.paragraphs]


def test_a_hand_made_page_keeps_its_headings_its_short_list_and_its_first_paragraphs_subject(tmp_path: Path) -> None:
    (tmp_path / "tram-y-te.html").write_text(CLINIC, "utf-8")
    # trafilatura kept the three paragraphs and dropped both headings and the list; the first paragraph
    # lost "Trung tâm Y tế phường Bến Thành", taken for the headline run into it
    assert headed(tmp_path / "tram-y-te.html") == [
        ("", "Trung tâm Y tế phường Bến Thành khám bệnh cho người dân trong phường từ thứ Hai đến thứ Bảy."),
        ("Giờ làm việc",
         "Buổi sáng từ 7 giờ đến 11 giờ 30, buổi chiều từ 13 giờ 30 đến 17 giờ, kể cả ngày lễ theo lịch trực."),
        ("Giấy tờ cần mang", "Thẻ bảo hiểm y tế còn hạn"),
        ("Giấy tờ cần mang", "Căn cước công dân"),  # however short: an item of the list under its heading
        ("Giấy tờ cần mang", "Sổ tiêm chủng"),
    ]


def test_a_markdown_lists_short_items_are_kept_under_their_heading(tmp_path: Path) -> None:
    (tmp_path / "huong-dan.md").write_text(
        "# Hướng dẫn làm căn cước\n\n- Trang chủ\n- Liên hệ\n\n"
        "Công dân từ đủ 14 tuổi làm thủ tục cấp căn cước tại công an phường nơi cư trú.\n\n"
        "## Giấy tờ cần mang\n\n- Giấy khai sinh\n- Ảnh 4x6\n", "utf-8"
    )
    assert headed(tmp_path / "huong-dan.md") == [
        ("", "Công dân từ đủ 14 tuổi làm thủ tục cấp căn cước tại công an phường nơi cư trú."),
        ("Giấy tờ cần mang", "Giấy khai sinh"),  # were dropped as page furniture, fewer than five words
        ("Giấy tờ cần mang", "Ảnh 4x6"),
    ]


def test_a_plain_text_list_typed_with_dashes_and_bullets_keeps_its_short_items(tmp_path: Path) -> None:
    (tmp_path / "can-cuoc.txt").write_text(
        "Hướng dẫn làm căn cước\n\n"
        "Công dân từ đủ 14 tuổi làm thủ tục cấp căn cước tại công an phường nơi cư trú.\n\n"
        "Điều 3. Giấy tờ cần mang\n\n- Giấy khai sinh\n• Ảnh 4x6\n"
        "- Đơn đề nghị cấp căn cước theo mẫu CC01 có xác nhận.\n", "utf-8"
    )
    assert headed(tmp_path / "can-cuoc.txt") == [
        ("", "Công dân từ đủ 14 tuổi làm thủ tục cấp căn cước tại công an phường nơi cư trú."),
        ("Điều 3. Giấy tờ cần mang", "Giấy khai sinh"),
        ("Điều 3. Giấy tờ cần mang", "Ảnh 4x6"),
        ("Điều 3. Giấy tờ cần mang", "Đơn đề nghị cấp căn cước theo mẫu CC01 có xác nhận."),
    ]


def test_a_word_file_of_a_price_table_alone_is_named_by_its_file_not_its_first_row(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    table = word.add_table(rows=3, cols=2)
    for row, values in enumerate([("Loại vé", "Giá"), ("Người lớn", "950.000 đồng"), ("Trẻ em", "750.000 đồng")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    word.save(str(tmp_path / "bang-gia-ve.docx"))
    [document] = parse_source(read_source(tmp_path / "bang-gia-ve.docx", tmp_path))
    assert document.title == "bang-gia-ve"  # was "Loại vé: Người lớn; Giá: 950.000 đồng", shown above every quote
    assert [p.text for p in document.paragraphs] == [
        "Loại vé: Người lớn; Giá: 950.000 đồng", "Loại vé: Trẻ em; Giá: 750.000 đồng",
    ]


SCHOOL = """<html><head><title>Thông báo thu học phí học kỳ I</title></head><body>
<div id="menu"><ul><li>Giới thiệu</li><li>Thông báo</li><li>Liên hệ</li></ul></div>
<div id="left"><h3>Danh mục</h3><ul><li>Tổ chuyên môn</li><li>Công khai tài chính</li></ul></div>
<div id="main"><h1>Thông báo thu học phí học kỳ I</h1>
<p>Nhà trường thông báo đến phụ huynh học sinh kế hoạch thu học phí học kỳ I năm học 2025-2026.</p>
<h2>Mức thu</h2><p>Học phí là 300.000 đồng mỗi tháng, thu một lần cho 4 tháng, tổng cộng 1.200.000 đồng.</p>
<h2>Hình thức nộp</h2><ul><li>Chuyển khoản</li><li>Nộp tại phòng kế toán</li></ul></div>
<div id="right"><h3>Văn bản mới</h3><ul><li>Kế hoạch kiểm tra giữa kỳ I năm học 2025-2026</li></ul>
<h3>Thống kê truy cập</h3><p>Tổng lượt truy cập: 1.234.567</p></div>
<div id="footer"><p>Trường THCS Nguyễn Du - Địa chỉ: 12 Nguyễn Du, Gò Vấp - Thiết kế bởi Công ty VNPT</p></div>
</body></html>"""


def test_a_hand_made_pages_menus_sidebars_and_footer_stay_out(tmp_path: Path) -> None:
    (tmp_path / "hoc-phi.html").write_text(SCHOOL, "utf-8")
    # read block by block, the whole body gave the menus, the other notices, the counter and the footer
    assert headed(tmp_path / "hoc-phi.html") == [
        ("", "Nhà trường thông báo đến phụ huynh học sinh kế hoạch thu học phí học kỳ I năm học 2025-2026."),
        ("Mức thu", "Học phí là 300.000 đồng mỗi tháng, thu một lần cho 4 tháng, tổng cộng 1.200.000 đồng."),
        ("Hình thức nộp", "Chuyển khoản"),
        ("Hình thức nộp", "Nộp tại phòng kế toán"),
    ]


def test_a_pages_date_is_its_posting_day_not_the_month_in_its_title(tmp_path: Path) -> None:
    (tmp_path / "lich-tiep.html").write_text(
        "<html><head><title>Lịch tiếp công dân tháng 6/2025 - UBND phường Bến Nghé</title></head><body>"
        "<div id='main'><h1>Lịch tiếp công dân tháng 6/2025</h1><p>Ngày đăng: 28/05/2025</p>"
        "<p>Chủ tịch UBND phường tiếp công dân vào sáng thứ Năm hằng tuần, từ 7 giờ 30 đến 11 giờ.</p>"
        "</div></body></html>", "utf-8"
    )
    [document] = parse_source(read_source(tmp_path / "lich-tiep.html", tmp_path))
    assert document.date == "2025-05-28"  # was 2025-06-01: "tháng 6/2025" read as the 1st


def test_a_page_served_without_its_type_is_read_as_what_it_begins_with(tmp_path: Path) -> None:
    from retriever.collection import store_page
    from retriever.ingest.web import Fetched
    from tests.collection_fixtures import news_page

    page = news_page("Lịch tiêm chủng tháng 12", "Trạm y tế phường tiêm vắc xin sởi cho trẻ vào ngày 15 tháng 12.")
    # refused as "not a web page or a document (?)": no Content-Type, and an address without a suffix
    added = store_page(tmp_path, Fetched("https://tram-y-te.example/tin/123", "", page.encode()))
    assert [d.title for d in added.documents] == ["Lịch tiêm chủng tháng 12"]


def test_a_paragraph_set_all_in_bold_over_text_is_its_heading_in_a_page_and_in_markdown(tmp_path: Path) -> None:
    """Headings typed as bold paragraphs: they were dropped as too short, and the text under them lost its
    subject. A bold name (a byline) and bold lines in a row are no headings."""
    (tmp_path / "hoc-vu.html").write_text(
        "<html><head><title>Hướng dẫn học vụ cho sinh viên</title></head><body><div id='main'>"
        "<h1>Hướng dẫn học vụ cho sinh viên</h1><p><strong>Thu Hằng</strong></p>"
        "<p>Phòng Đào tạo hướng dẫn sinh viên các thủ tục học vụ trong năm học 2025-2026 như sau.</p>"
        "<p><strong>Đăng ký học phần</strong></p>"
        "<p>Sinh viên đăng ký học phần trực tuyến trong hai tuần đầu của học kỳ theo lịch của trường.</p>"
        "<p><b>Lưu ý</b></p><p><b>Hạn chót là ngày 15/9</b></p>"
        "<p>Sinh viên bị cảnh báo học tập khi điểm trung bình học kỳ dưới 1,0 theo quy chế đào tạo.</p>"
        "</div><p>© 2025 Trường Đại học</p></body></html>", "utf-8")
    (tmp_path / "hoc-vu.md").write_text(
        "# Hướng dẫn học vụ cho sinh viên\n\n"
        "Phòng Đào tạo hướng dẫn sinh viên các thủ tục học vụ trong năm học 2025-2026 như sau.\n\n"
        "**Đăng ký học phần**\n\n"
        "Sinh viên đăng ký học phần trực tuyến trong hai tuần đầu của học kỳ theo lịch của trường.\n\n"
        "__Cảnh báo học tập__:\n"
        "Sinh viên bị cảnh báo học tập khi điểm trung bình học kỳ dưới 1,0 theo quy chế đào tạo.\n", "utf-8")
    registration = "Sinh viên đăng ký học phần trực tuyến trong hai tuần đầu của học kỳ theo lịch của trường."
    warning = "Sinh viên bị cảnh báo học tập khi điểm trung bình học kỳ dưới 1,0 theo quy chế đào tạo."
    page = headed(tmp_path / "hoc-vu.html")
    assert page[1:] == [("Đăng ký học phần", registration), ("Đăng ký học phần", "Hạn chót là ngày 15/9"),
                        ("Đăng ký học phần", warning)]
    assert page[0][0] == ""  # "Thu Hằng" heads nothing
    assert headed(tmp_path / "hoc-vu.md")[1:] == [("Đăng ký học phần", registration), ("Cảnh báo học tập:", warning)]
