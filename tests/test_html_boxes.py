"""A news page as sites print it: a box of other articles set inside the text, and the site's header
showing today's date above the article's own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from retriever.ingest.files import parse_source, read_source

OWN = [
    "Tính từ đầu năm 2025 đến nay, toàn thành phố đã ghi nhận 9.850 ca mắc sốt xuất huyết, chưa có trường hợp "
    "tử vong.",
    "Trong tháng 9, Hà Nội đã phun hóa chất diệt muỗi tại 85 ổ dịch và huy động hơn 20.000 lượt người tham "
    "gia chiến dịch diệt bọ gậy.",
]
OTHER = ("Sốt xuất huyết ở trẻ em có thể diễn biến nặng nhanh; cha mẹ cần theo dõi sát các dấu hiệu như đau bụng, "
         "nôn nhiều, chảy máu cam.")


def page(header: str = "", markup: str = "") -> str:
    return f"""<html lang="vi"><head><meta charset="utf-8">{markup}
<title>Hà Nội ghi nhận hơn 1.200 ca sốt xuất huyết trong tuần</title></head><body>
<header><div class="logo">Sức Khỏe Đời Sống</div>{header}</header>
<main><div class="article">
<h1>Hà Nội ghi nhận hơn 1.200 ca sốt xuất huyết trong tuần</h1>
<div class="meta"><span class="author">Thu Trang</span> <span class="time">14:25 | 18/09/2025</span></div>
<p>{OWN[0]}</p>
<div class="related"><h3>Tin liên quan</h3><ul><li><a href="/a1">Cách phân biệt sốt xuất huyết và cúm mùa
</a></li><li><a href="/a2">Bộ Y tế cảnh báo mùa dịch sốt xuất huyết năm 2025 đến sớm</a></li></ul></div>
<div class="box-tinlienquan"><div class="item"><a href="/b1">Trẻ em mắc sốt xuất huyết</a><p>{OTHER}</p></div></div>
<p>{OWN[1]}</p>
</div></main></body></html>"""


def parsed(tmp_path: Path, html: str):
    (tmp_path / "sot-xuat-huyet.html").write_text(html, "utf-8")
    [document] = parse_source(read_source(tmp_path / "sot-xuat-huyet.html", tmp_path))
    return document


def test_a_box_of_other_articles_inside_the_text_leaves_the_rest_of_the_article_its_own(tmp_path: Path) -> None:
    document = parsed(tmp_path, page())
    own = [p.text for p in document.paragraphs if not p.teaser]
    # after "Tin liên quan", the article's own last paragraph was marked as another article's teaser
    assert own == OWN
    assert all(OTHER in p.text for p in document.paragraphs if p.teaser)
    # a container's class that only contains the word ("position-relative", as Bootstrap names them) is no box
    contained = page().replace('<div class="article">', '<div class="article position-relative">')
    assert [p.text for p in parsed(tmp_path, contained).paragraphs if not p.teaser] == OWN


def test_the_site_headers_date_of_today_is_not_the_articles(tmp_path: Path) -> None:
    today = f'<div class="date-now">{date.today():%d/%m/%Y}</div>'  # the day the page was saved
    assert parsed(tmp_path, page(header=today)).date == "2025-09-18"
    # a date the page's markup gives stays the article's
    marked = '<meta property="article:published_time" content="2025-09-17T08:00:00+07:00">'
    assert parsed(tmp_path, page(header=today, markup=marked)).date == "2025-09-17"


def test_a_container_named_after_related_posts_is_the_article_and_a_date_of_another_day_stands(
        tmp_path: Path) -> None:
    around = page().replace('<div class="article">', '<div class="single-post has-related-posts">')
    document = parsed(tmp_path, around.replace("</main>", '<div class="comments"><p>Bình luận</p></div></main>'))
    assert [p.text for p in document.paragraphs if not p.teaser] == OWN
    # a date that is not today's, read where the page prints it, is the page's as before: not the date line
    # of a notice the text quotes
    byline = '<span class="author">Thu Trang</span> <span class="time">14:25 | 18/09/2025</span>'
    notice = ("<blockquote><p>Hà Nội, ngày 5 tháng 3 năm 2024</p><p>Sở Y tế yêu cầu các quận, huyện tổ chức chiến "
              "dịch diệt bọ gậy hằng tuần.</p></blockquote><p class='date'>Cập nhật: 18/09/2025 14:25</p>")
    quoted = page().replace(f'<div class="meta">{byline}</div>', "").replace(f"<p>{OWN[1]}</p>",
                                                                             f"<p>{OWN[1]}</p>{notice}")
    assert parsed(tmp_path, quoted).date == "2025-09-18"


ROUTE = "Tuyến đi qua các phố Kim Mã, Cầu Giấy, Phạm Văn Đồng và cầu Thăng Long, với 18 điểm dừng đón trả khách."
FARE = "Giá vé tuyến E09 là 9.000 đồng một lượt; xe chạy từ 5 giờ sáng đến 22 giờ mỗi ngày, 15 phút một chuyến."
COMMENT = "Xe buýt điện chạy êm, sạch sẽ, tôi đi tuyến này hàng ngày thấy rất tiện lợi và đúng giờ."


def test_a_pages_table_of_contents_and_its_readers_comments_are_not_its_text(tmp_path: Path) -> None:
    (tmp_path / "buyt.html").write_text(f"""<html><head><title>Hà Nội mở tuyến buýt điện đến Nội Bài</title></head>
<body><div class="detail"><h1>Hà Nội mở tuyến buýt điện đến Nội Bài</h1>
<div class="toc"><p>Nội dung chính</p><ul><li><a href="#p1">Lộ trình tuyến E09</a></li>
<li><a href="#p2">Giá vé và giờ chạy</a></li></ul></div>
<p>Sở Giao thông vận tải Hà Nội cho biết tuyến buýt điện E09 dài 32 km, từ Kim Mã đến sân bay Nội Bài.</p>
<h2 id="p1">Lộ trình tuyến E09</h2><p>{ROUTE}</p><h2 id="p2">Giá vé và giờ chạy</h2><p>{FARE}</p>
<div id="comments" class="comments"><h3>Bình luận (1)</h3><div class="comment-item"><b>Lan Phương</b>
<p>{COMMENT}</p><a>Trả lời</a></div></div></div></body></html>""", "utf-8")
    [document] = parse_source(read_source(tmp_path / "buyt.html", tmp_path))
    # the contents' entries opened one heading after another ("Giá vé và giờ chạy" over the first paragraph),
    # and a reader's comment was quoted as a teaser of another article
    assert [(p.heading, p.text[:30], p.teaser) for p in document.paragraphs] == [
        ("", "Sở Giao thông vận tải Hà Nội c", False),
        ("Lộ trình tuyến E09", ROUTE[:30], False),
        ("Giá vé và giờ chạy", FARE[:30], False),
    ]


def test_a_legal_documents_number_in_the_pages_title_is_not_its_date(tmp_path: Path) -> None:
    rule = "Không tổ chức dạy thêm, học thêm đối với học sinh đã được nhà trường tổ chức dạy 2 buổi/ngày."
    (tmp_path / "thong-tu.html").write_text(
        "<html><head><title>Thông tư 12/2024/TT-BGDĐT quy định về dạy thêm, học thêm - Cổng thông tin Bộ GDĐT"
        "</title></head><body><div class='vb'><h1>Thông tư quy định về dạy thêm, học thêm</h1>"
        f"<p><b>Điều 3. Nguyên tắc dạy thêm, học thêm</b></p><p>1. {rule}</p></div></body></html>", "utf-8")
    [document] = parse_source(read_source(tmp_path / "thong-tu.html", tmp_path))
    # the number (12, of 2024) was read as a month: dated 1 December 2024, months after it was issued
    assert document.date == "" and [p.text for p in document.paragraphs] == [f"1. {rule}"]


@pytest.mark.parametrize("headline_inside", [True, False])
def test_an_article_in_a_container_named_comments_enabled_is_the_article(tmp_path: Path, headline_inside: bool) -> None:
    headline = "<h1>Hà Nội mở tuyến buýt điện đến Nội Bài</h1>"
    lead = "Sở Giao thông vận tải Hà Nội cho biết tuyến buýt điện E09 dài 32 km, từ Kim Mã đến sân bay Nội Bài."
    body = "".join(f"<p>{p}</p>" for p in (lead, ROUTE, FARE.replace(" đồng", "&nbsp;đồng")))
    article = f'{headline}<div class="comments-enabled">{body}</div>' if not headline_inside else (
        f'<div class="comments-enabled">{headline}{body}</div>')
    (tmp_path / "buyt.html").write_text(f"""<html><head><title>Hà Nội mở tuyến buýt điện đến Nội Bài</title></head>
<body><div class="menu"><a href="/">Trang chủ</a> <a href="/xa-hoi">Xã hội</a></div>{article}
<div class="footer-links">Liên hệ quảng cáo: 0243 123 4567.</div></body></html>""", "utf-8")
    # trafilatura leaves the container out as comments; taken out as comments too, the page had no text left
    [document] = parse_source(read_source(tmp_path / "buyt.html", tmp_path))
    assert [p.text[:30] for p in document.paragraphs] == [lead[:30], ROUTE[:30], FARE[:30]]


ATTACHMENTS = [
    '<p>Tệp đính kèm: <a href="/f/kh-45.pdf">KH-45-SGDĐT.pdf</a> <a href="/f/kh-45.pdf">Tải về</a></p>',
    '<p>Văn bản đính kèm: Kế hoạch số 45/KH-SGDĐT <a href="/f/kh-45.pdf">(Tải xuống)</a></p>',
    '<table><tr><th>Tên tệp</th><th>Dung lượng</th><th>Tải về</th></tr><tr><td>KH-45-SGDĐT.pdf</td>'
    '<td>245 KB</td><td><a href="/f/kh-45.pdf">Tải về</a></td></tr></table>',
]


@pytest.mark.parametrize("attachments", ATTACHMENTS, ids=["labelled", "a button in brackets", "a table of files"])
def test_a_pages_attachments_and_download_buttons_are_not_its_text(tmp_path: Path, attachments: str) -> None:
    """The files listed under an article to download are the page's furniture, quoted as a passage of its own;
    a sentence that speaks of downloading is text."""
    download = "Thí sinh có thể tải về mẫu phiếu đăng ký dự tuyển trên cổng thông tin của Sở"
    html = ("<html><head><meta charset='utf-8'><title>Kế hoạch tuyển sinh lớp 10 năm học 2025-2026</title></head>"
            "<body><article><h1>Kế hoạch tuyển sinh lớp 10 năm học 2025-2026</h1>"
            f"<p>{OWN[0]}</p><p>{download}</p>{attachments}<p>{OWN[1]}</p></article></body></html>")
    assert [p.text for p in parsed(tmp_path, html).paragraphs] == [OWN[0], download, OWN[1]]
