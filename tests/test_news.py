"""The seed articles parse into what a reader would call the article."""

from pathlib import Path

import pytest

from retriever.ingest.news import parse_news_text

DATA = Path(__file__).resolve().parent.parent / "data"


# the bundled articles, by a short name
FILES = {
    "coi-trong": "viet-nam-coi-trong-quan-he-dac-biet-voi-lao.txt",
    "hop-tac": "hop-tac-viet-nam-lao-tiep-tuc-phat-trien.txt",
    "quan-he": "quan-he-huu-nghi-doan-ket-dac-biet-viet-nam-lao.txt",
    "ngoai-giao": "ngoai-giao-dong-gop-cho-quan-he-huu-nghi-lao-viet-nam.txt",
    "tham-khao": "tham-khao-chinh-tri-viet-nam-lao-lan-thu-hai.txt",
}


def parse(name: str):
    return parse_news_text((DATA / FILES[name]).read_text("utf-8"))


@pytest.mark.parametrize(
    ("name", "title", "date", "source"),
    [
        ("coi-trong", "Việt Nam coi trọng quan hệ đặc biệt với Lào", "2021-04-02", "VTV"),
        ("ngoai-giao", "Ngoại giao đóng góp to lớn cho quan hệ hữu nghị vĩ đại Lào - Việt Nam", "2022-09-04",
         "Báo Tin tức"),
        ("tham-khao", "Tham khảo chính trị Việt Nam-Lào lần thứ hai", "2023-06-02", "baochinhphu"),
    ],
)
def test_headline_date_and_source(name, title, date, source):
    parsed = parse(name)
    assert parsed.title == title
    assert not parsed.title_derived
    assert parsed.date == date
    assert source in parsed.source


def test_article_without_headline_gets_a_derived_one():
    parsed = parse("quan-he")
    assert parsed.title_derived
    assert parsed.title.startswith("Quan hệ hữu nghị, đoàn kết đặc biệt")
    assert parsed.title.endswith("toàn diện Việt Nam…")  # cut after the name, not inside it ("Việt…")
    assert parsed.date == "2025-04"
    assert not parsed.paragraphs[0].text.startswith("date")


def test_page_furniture_is_not_a_passage():
    texts = [p.text for name in ("coi-trong", "hop-tac", "ngoai-giao") for p in parse(name).paragraphs]
    for junk in ("Lượt xem", "Trả lời", "Xin chờ", "Phiên bản di động", "Ảnh 1.", "Chú thích ảnh", "(Ảnh:"):
        assert not any(junk in text for text in texts), junk
    assert not any(text.startswith("infographic") for text in texts)


def test_teasers_of_other_articles_are_marked():
    paragraphs = parse("hop-tac").paragraphs
    stadium = next(p for p in paragraphs if "Rajamangala" in p.text)
    assert stadium.teaser
    assert stadium.teaser_title == "Sân vận động Rajamangala đỏ rực màu cờ Việt Nam"
    own = next(p for p in paragraphs if "Trụ sở Chính phủ" in p.text)
    assert not own.teaser


def test_body_right_after_a_teaser_box_at_the_top_is_the_article_itself():
    paragraphs = parse("ngoai-giao").paragraphs
    body = next(p for p in paragraphs if p.text.startswith("Theo Đại sứ, trong những thập kỷ qua"))
    assert not body.teaser
    border = next(p for p in paragraphs if "2.300 km" in p.text)
    assert not border.teaser


BODY = "Tuyến cao tốc Tân Phú - Bảo Lộc dài 66 ki-lô-mét có tổng vốn đầu tư khoảng 17.200 tỷ đồng."
HEADLINE = "Tỉnh Lâm Đồng khởi công tuyến cao tốc mới"


@pytest.mark.parametrize(
    "date_line",
    ["Hà Nội, ngày 12 tháng 5 năm 2025", "ngày 12 tháng 5 năm 2025", "Thứ Hai, ngày 12 tháng 5 năm 2025",
     "Ngày 12/5/2025", "Hà Nội, ngày 12/5/2025",
     # as pages print when they were posted: these were quoted as passages
     "Cập nhật ngày 12/5/2025 lúc 10:30", "Cập nhật lúc 10:30 ngày 12/5/2025", "Đăng ngày 12/5/2025",
     "Ngày cập nhật: 12/05/2025",
     # other separators and forms readers' pages use: these gave no date
     "12-05-2025", "12.05.2025", "ngày 12 tháng 5, 2025", "Thứ hai, 12/5/2025, 08:15 (GMT+7)",
     "Thứ Hai, 12/5/2025 - 08:15",
     # as a notice or a rule says when it was issued
     "Ban hành ngày 12/5/2025", "Ngày ban hành: 12/05/2025", "Ban hành ngày 12 tháng 5 năm 2025"],
)
def test_the_vietnamese_ways_of_dating_a_text_are_its_date_not_a_passage(date_line):
    parsed = parse_news_text(f"{HEADLINE}\n\n{date_line}\n\n{BODY}\n\nDự án dự kiến hoàn thành trong năm 2027.")
    assert parsed.date == "2025-05-12"
    assert [p.text for p in parsed.paragraphs][0] == BODY


def test_a_line_saying_when_something_happens_is_text_not_the_date() -> None:
    when = "Thời gian: 8 giờ 00, ngày 15 tháng 6 năm 2026."
    parsed = parse_news_text(f"{HEADLINE}\n\n{BODY}\n\n{when}\n\nĐịa điểm: Hội trường Ủy ban nhân dân xã.")
    # read as "Hà Nội, ngày …" is, it was dropped and dated the notice
    assert when in [p.text for p in parsed.paragraphs] and parsed.date != "2026-06-15"


def test_a_dateline_opening_the_article_dates_it_and_stays_text():
    opening = f"Viêng Chăn, ngày 14/03/2025 – {BODY}"
    parsed = parse_news_text(f"{HEADLINE}\n\n{opening}")
    assert parsed.date == "2025-03-14" and parsed.paragraphs[0].text == opening
    words = parse_news_text(f"{HEADLINE}\n\nĐà Lạt, ngày 12 tháng 5 năm 2025 – {BODY}")
    assert words.date == "2025-05-12" and words.paragraphs[0].text.startswith("Đà Lạt, ngày 12 tháng 5")
    # a lead that opens with the full date of what it reports; a day without its year says nothing of it
    for lead, date in ((f"Sáng ngày 3/4/2025, {BODY}", "2025-04-03"), (f"Ngày 15/1/2024, {BODY}", "2024-01-15"),
                       (f"Chiều 28/7, {BODY}", "")):
        assert parse_news_text(f"{HEADLINE}\n\n{lead}").date == date, lead


LETTERHEAD = """ỦY BAN NHÂN DÂN
TỈNH KHÁNH HÒA

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1234/QĐ-UBND

Khánh Hòa, ngày 20 tháng 6 năm 2025

QUYẾT ĐỊNH
Về việc công bố mùa du lịch biển Nha Trang năm 2025
"""
DECISION = ("Mùa du lịch biển Nha Trang năm 2025 kéo dài từ ngày 1 tháng 7 đến ngày 30 tháng 9 với 42 sự kiện "
            "văn hóa, thể thao.")


def test_an_official_document_is_named_by_its_kind_and_subject_and_its_letterhead_is_no_passage():
    parsed = parse_news_text(f"{LETTERHEAD}\n{DECISION}\n")
    assert parsed.title == "Quyết định về việc công bố mùa du lịch biển Nha Trang năm 2025"
    assert parsed.date == "2025-06-20" and [p.text for p in parsed.paragraphs] == [DECISION]


def test_a_decision_copied_without_its_motto_is_still_named_by_its_kind_in_capitals_and_subject():
    copied = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA\nKhánh Hòa, ngày 20 tháng 6 năm 2025\n\nQUYẾT ĐỊNH\n" \
             "Về việc công bố mùa du lịch biển Nha Trang năm 2025\n"
    parsed = parse_news_text(f"{copied}\n{DECISION}\n")
    assert parsed.title == "Quyết định về việc công bố mùa du lịch biển Nha Trang năm 2025"
    assert parsed.date == "2025-06-20" and [p.text for p in parsed.paragraphs] == [DECISION]
    # a kind in running text is not a letterhead: "Quyết định" / "Về …" in lower case stays a news article
    news = parse_news_text(f"{HEADLINE}\n\nQuyết định\nVề việc này, tỉnh đã họp ba lần trong tháng năm.\n\n{BODY}")
    assert news.title == HEADLINE


def test_a_short_headline_in_a_box_of_other_articles_heads_the_teaser_under_it():
    page = "\n\n".join([
        "Hai nước ký kết hiệp định hợp tác giáo dục giai đoạn mới",
        "Bộ trưởng hai nước đã ký hiệp định hợp tác giáo dục giai đoạn 2025-2030 tại Hà Nội sáng nay.",
        "Tin liên quan",
        "Báo chí Bulgaria đánh giá tích cực về thành tựu phát triển của Việt Nam",
        "Đại diện các cơ quan báo chí sở tại đã chia sẻ những đánh giá tích cực về thành tựu của Việt Nam.",
        "Bơi ngược sóng",
        "Phải ngót chục năm, hôm rồi tôi mới cầm đến một cuốn tiểu thuyết về những người đi biển.",
    ])
    teasers = {p.text[:8]: p.teaser_title for p in parse_news_text(page).paragraphs if p.teaser}
    # it was credited to the teaser before it, whose headline was carried over
    assert teasers == {"Đại diện": "Báo chí Bulgaria đánh giá tích cực về thành tựu phát triển của Việt Nam",
                       "Phải ngó": "Bơi ngược sóng"}


def test_a_hard_wrapped_line_that_goes_on_with_a_number_stays_in_its_paragraph():
    wrapped = ("Thí sinh đăng ký dự tuyển trực tuyến từ ngày 15 tháng 4 đến hết ngày\r\n"
               "25 tháng 4 năm 2025 tại cổng thông tin tuyển sinh của Sở.\r\n\r\n"
               "Lịch thi\r\n2. Môn Toán thi sáng ngày 6 tháng 6.\r\n")
    parsed = parse_news_text(f"{HEADLINE}\n\n{wrapped}")
    # the date's second half was a passage of its own
    assert [p.text for p in parsed.paragraphs][0] == (
        "Thí sinh đăng ký dự tuyển trực tuyến từ ngày 15 tháng 4 đến hết ngày 25 tháng 4 năm 2025 tại cổng thông "
        "tin tuyển sinh của Sở.")
    assert "Lịch thi 2." not in " ".join(p.text for p in parsed.paragraphs)  # a numbered item is no wrap
