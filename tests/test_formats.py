"""PDF, Word and HTML converters: paragraphs as the author wrote them, no page furniture, clear refusals."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from retriever.ingest.files import SourceMeta, parse_source, read_source, write_meta
from tests.documents import (
    DOCX_LIST,
    DOCX_PARAGRAPHS,
    DOCX_TABLE_ROWS,
    DOCX_TITLE,
    PDF_HEADER,
    PDF_PARAGRAPHS,
    PDF_TITLE,
    make_docx,
    make_locked_pdf,
    make_pdf,
    make_scanned_pdf,
)

ARTICLE_HTML = """<html><head><title>Sầu riêng xuất khẩu lập kỷ lục - Báo Nông Thôn</title>
<meta property="og:site_name" content="Báo Nông Thôn">
<meta property="article:published_time" content="2024-08-20T08:00:00+07:00">
<link rel="canonical" href="https://nongthon.example/sau-rieng.html"></head>
<body><header><nav><a href="/">Trang chủ</a> <a href="/kt">Kinh tế</a></nav></header>
<article><h1>Sầu riêng xuất khẩu lập kỷ lục trong tám tháng</h1>
<p>Kim ngạch xuất khẩu sầu riêng tám tháng đầu năm đạt 2,1 tỷ USD, tăng 55% so với cùng kỳ năm ngoái.</p>
<p>Trung Quốc tiếp tục là thị trường lớn nhất, chiếm gần 90% giá trị sầu riêng xuất khẩu của Việt Nam.</p>
<p>Các tỉnh Tây Nguyên và Đồng bằng sông Cửu Long đã cấp hơn 700 mã số vùng trồng đạt chuẩn.</p>
<ul><li>Đắk Lắk dẫn đầu với hơn 200 mã số vùng trồng được cấp mới.</li>
<li>Tiền Giang đứng thứ hai về sản lượng sầu riêng cả nước.</li></ul></article>
<aside><h3>Tin liên quan</h3><a href="/x">Giá cà phê hôm nay tăng mạnh</a></aside>
<footer>Bản quyền thuộc Báo Nông Thôn. Ghi rõ nguồn khi phát hành lại.</footer></body></html>"""
NOT_AN_ARTICLE = (
    "<html><body><nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/a'>Thể thao</a></li></ul></nav></body></html>"
)


def parse(path: Path) -> list:
    return parse_source(read_source(path, path.parent))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_pdf_paragraphs_are_rebuilt_without_header_footer_or_page_numbers(tmp_path: Path) -> None:
    [document] = parse(make_pdf(tmp_path / "ca-phe.pdf"))
    assert document.title == PDF_TITLE and not document.title_derived
    assert document.date == "2024-03-12"
    # hard-wrapped lines joined, and the fourth paragraph joined across the page break
    assert texts(document) == list(PDF_PARAGRAPHS)
    joined = " ".join(texts(document))
    assert PDF_HEADER not in joined and "Trang 1" not in joined and "Trang 2" not in joined


def test_pdf_fixture_really_breaks_a_paragraph_across_pages(tmp_path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(make_pdf(tmp_path / "a.pdf")) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) == 2
    assert pages[1].count(PDF_HEADER) == 1 and "Trang 2" in pages[1]
    assert "năm năm trước," in pages[0] and pages[1].split("\n")[1].startswith("và sẽ tiếp tục")


@pytest.mark.parametrize(
    ("maker", "reason"),
    [
        (make_scanned_pdf, "no text could be read"),
        (make_locked_pdf, "password-protected"),
        (lambda path: path.write_bytes(b"%PDF-1.4\n1 0 obj garbage") and path, "not a readable PDF"),
    ],
)
def test_unreadable_pdfs_say_why(tmp_path: Path, maker, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    maker(path)
    with pytest.raises(ValueError, match=reason) as refused:
        parse(path)
    assert "Root" not in str(refused.value) and "Error" not in str(refused.value)  # not pdfminer's words


def test_docx_headings_lists_and_table_rows(tmp_path: Path) -> None:
    [document] = parse(make_docx(tmp_path / "ho-tieu.docx"))
    assert document.title == DOCX_TITLE and not document.title_derived
    assert document.date == "2025-01-05"
    assert texts(document) == [*DOCX_PARAGRAPHS, *DOCX_LIST, *DOCX_TABLE_ROWS]
    assert "Giải pháp phát triển bền vững" not in texts(document)  # a section heading, not a passage
    # ...but the context of the paragraphs under it
    assert {p.heading for p in document.paragraphs if p.text in DOCX_LIST} == {"Giải pháp phát triển bền vững"}
    assert {p.heading for p in document.paragraphs if p.text in DOCX_PARAGRAPHS} == {""}


REGULATION_MD = """# Quy chế đào tạo đại học của Trường Đại học Sông Hồng

## Chương II. Tổ chức đào tạo

### Điều 5. Đăng ký học phần

Mỗi học kỳ, sinh viên phải đăng ký tối thiểu 14 tín chỉ và tối đa 25 tín chỉ, trừ học kỳ cuối khóa.

### Điều 12. Cảnh báo học tập

Sinh viên bị cảnh báo khi điểm trung bình học kỳ dưới 1,0 hoặc điểm trung bình tích lũy dưới 1,2.

## Câu hỏi thường gặp

Trường có học bổng không?

Có. Mỗi năm trường dành khoảng 5 tỷ đồng cho sinh viên có kết quả học tập tốt.
"""


def test_markdown_headings_and_an_faqs_questions_are_the_context_of_the_paragraphs_under_them(tmp_path: Path) -> None:
    path = tmp_path / "quy-che.md"
    path.write_text(REGULATION_MD, "utf-8")
    [document] = parse(path)
    assert document.title == "Quy chế đào tạo đại học của Trường Đại học Sông Hồng"
    # no heading or question is a passage of its own: quoted alone, each answered nothing
    assert [(p.heading, p.text[:20]) for p in document.paragraphs] == [
        ("", "Chương II. Tổ chức đ"),  # a chapter's heading with an article's right under it: its own text
        ("Điều 5. Đăng ký học phần", "Mỗi học kỳ, sinh viê"),
        ("Điều 12. Cảnh báo học tập", "Sinh viên bị cảnh bá"),
        ("", "Câu hỏi thường gặp"),  # however short: a heading the file marks is no page furniture
        ("Trường có học bổng không?", "Có. Mỗi năm trường d"),
    ]


def test_a_heading_or_question_with_nothing_under_it_stays_text(tmp_path: Path) -> None:
    (tmp_path / "chi-tieu-de.md").write_text(
        "# Quy chế học vụ\n\n## Chương I. Quy định chung\n\n## Điều 1. Phạm vi điều chỉnh\n", "utf-8"
    )
    [headings_only] = parse(tmp_path / "chi-tieu-de.md")  # was skipped: "no paragraph of text found"
    assert texts(headings_only) == ["Chương I. Quy định chung", "Điều 1. Phạm vi điều chỉnh"]
    (tmp_path / "phong-van.txt").write_text(
        "Phỏng vấn về đầu tư\n\nÔng đánh giá thế nào về đầu tư của Việt Nam vào Lào?\n\n"
        "Đầu tư của Việt Nam vào Lào đạt 5,5 tỷ USD với hơn 200 dự án.\n\n"
        "Liệu các nhà đầu tư có tiếp tục rót vốn vào ngành khai khoáng của Lào trong thập kỷ tới?\n", "utf-8"
    )
    [interview] = parse(tmp_path / "phong-van.txt")
    # the last question has no answer under it: a paragraph of its own, not lost
    assert [(p.text[:20], p.heading[:20]) for p in interview.paragraphs] == [
        ("Đầu tư của Việt Nam ", "Ông đánh giá thế nào"), ("Liệu các nhà đầu tư ", ""),
    ]


def test_an_faqs_numbered_questions_short_answers_and_short_headings_are_kept(tmp_path: Path) -> None:
    (tmp_path / "hoi-dap.md").write_text(
        "# Hỏi đáp về Trung tâm Y tế phường\n\n1. Trung tâm làm việc vào thứ Bảy không?\n\n"
        "Có, từ 7 giờ đến 11 giờ.\n\nTrung tâm có chỗ gửi xe không?\n\nCó, miễn phí.\n\n## Phụ lục\n", "utf-8"
    )
    [faq] = parse(tmp_path / "hoi-dap.md")
    # a numbered question is a question; an answer of fewer than five words is the answer, not furniture
    assert [(p.heading, p.text) for p in faq.paragraphs] == [
        ("1. Trung tâm làm việc vào thứ Bảy không?", "Có, từ 7 giờ đến 11 giờ."),
        ("Trung tâm có chỗ gửi xe không?", "Có, miễn phí."),
        ("", "Phụ lục"),  # a heading with nothing under it stays, however short
    ]


def test_a_word_files_faq_questions_and_sections_after_text(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph("Thông báo này hướng dẫn sinh viên về lịch thi kết thúc học phần học kỳ I.")
    word.add_heading("1. Thời gian thi", level=2)
    word.add_paragraph("Kỳ thi kết thúc học phần diễn ra từ ngày 5 đến ngày 20 tháng 1 năm 2026.")
    word.add_paragraph("Đi công tác bằng xe cá nhân có được hỗ trợ tiền xăng không?")
    word.add_paragraph("Được khoán 5.000 đồng mỗi km.")
    word.add_heading("Ghi chú", level=2)
    word.save(str(tmp_path / "thong-bao.docx"))
    [document] = parse(tmp_path / "thong-bao.docx")
    # text before the first heading: the heading names a section, not the document
    assert document.title_derived and document.title.startswith("Thông báo này hướng dẫn")
    assert [(p.heading, p.text[:30]) for p in document.paragraphs] == [
        ("", "Thông báo này hướng dẫn sinh v"),
        ("1. Thời gian thi", "Kỳ thi kết thúc học phần diễn "),
        ("Đi công tác bằng xe cá nhân có được hỗ trợ tiền xăng không?", "Được khoán 5.000 đồng mỗi km."),
        ("", "Ghi chú"),
    ]


def test_a_pdfs_headings_and_faq_questions_are_context_not_lost(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.documents import FONT, FONT_BOLD, _fonts

    _fonts()
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=18)
    pdf.multi_cell(0, 9, "Hỏi đáp về quyết toán thuế thu nhập cá nhân")
    lead = ("Tổng cục Thuế hướng dẫn người nộp thuế thu nhập cá nhân những điểm cần biết khi quyết toán năm "
            "2024, từ thời hạn nộp hồ sơ, cách nộp qua mạng đến những khoản giảm trừ gia cảnh được tính.")
    for size, text in [
        (13, lead),  # a lead in larger print, as news PDFs set it: text, not a heading
        (11, "Bài viết tổng hợp các câu hỏi mà người nộp thuế gửi về tổng đài hỗ trợ trong tháng Ba vừa qua."),
        (14, "1. Thời hạn"),
        (11, "Hạn chót quyết toán thuế năm 2024 là ngày nào?"),
        (11, "Người nộp thuế tự quyết toán nộp hồ sơ chậm nhất vào ngày 2 tháng 5 năm 2025. Tổ chức trả thu "
             "nhập quyết toán thay cho người lao động nộp hồ sơ chậm nhất vào ngày 31 tháng 3 năm 2025, trừ "
             "trường hợp được gia hạn theo quy định của Luật Quản lý thuế."),
        (14, "2. Phụ lục"),
    ]:
        pdf.ln(4)
        pdf.set_font("DejaVu", style="B" if size > 11 or text.endswith("?") else "", size=size)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(tmp_path / "hoi-dap-thue.pdf"))
    [document] = parse(tmp_path / "hoi-dap-thue.pdf")
    # the question is the context of its answer, not a passage quoted as its own answer; a heading with a
    # question right under it, and one with nothing under it, stay text instead of vanishing
    assert [(p.heading, p.text[:40]) for p in document.paragraphs] == [
        ("", lead[:40]),
        ("", "Bài viết tổng hợp các câu hỏi mà người n"),
        ("", "1. Thời hạn"),
        ("Hạn chót quyết toán thuế năm 2024 là ngày nào?", "Người nộp thuế tự quyết toán nộp hồ sơ c"),
        ("", "2. Phụ lục"),
    ]


def test_a_markdown_files_markup_stays_out_of_its_quotes_and_its_tables_name_their_columns(tmp_path: Path) -> None:
    (tmp_path / "thuc-don.md").write_text(
        "# Thực đơn quán Sông Hàn\n\nQuán mở cửa từ 7 giờ sáng đến 10 giờ tối tất cả các ngày trong tuần.\n\n"
        "## Đồ uống ##\n\n| Món | Ly nhỏ | Ly lớn |\n|---|---:|---:|\n| Nước mía tươi | 10.000 đồng | 15.000 đồng |\n\n"
        "Món chính\n---\n\n- Cơm gà xối mỡ giòn rụm ăn kèm dưa leo và canh rau.\n\n"
        "> Quán nhận đặt tiệc sinh nhật cho nhóm từ mười người trở lên.\n", "utf-8"
    )
    [menu] = parse(tmp_path / "thuc-don.md")
    assert [(p.heading, p.text) for p in menu.paragraphs][1:] == [
        ("Đồ uống", "Món: Nước mía tươi; Ly nhỏ: 10.000 đồng; Ly lớn: 15.000 đồng"),
        ("Món chính", "Cơm gà xối mỡ giòn rụm ăn kèm dưa leo và canh rau."),
        ("Món chính", "Quán nhận đặt tiệc sinh nhật cho nhóm từ mười người trở lên."),
    ]


def test_a_web_pages_table_rows_name_their_columns(tmp_path: Path) -> None:
    (tmp_path / "gia-ve.html").write_text(
        "<html><head><title>Giá vé Bà Nà Hills 2025</title></head><body><article><h1>Giá vé Bà Nà Hills 2025</h1>"
        "<p>Khu du lịch Bà Nà Hills công bố bảng giá vé cáp treo áp dụng từ ngày 1 tháng 1 năm 2025.</p>"
        "<table><tr><th>Loại vé</th><th>Người lớn</th><th>Trẻ em</th></tr>"
        "<tr><td>Vé cáp treo khứ hồi</td><td>950.000 đồng</td><td>750.000 đồng</td></tr></table>"
        "<p>Trẻ em dưới 1m được miễn phí vé cáp treo khi đi cùng người lớn.</p></article></body></html>", "utf-8"
    )
    [page] = parse(tmp_path / "gia-ve.html")
    # a price says whose it is; the header row is no passage of its own
    assert "Loại vé: Vé cáp treo khứ hồi; Người lớn: 950.000 đồng; Trẻ em: 750.000 đồng" in texts(page)
    assert not any(text.startswith("Loại vé;") for text in texts(page))


def test_a_hand_made_page_without_an_article_keeps_its_blocks_headings_and_tables(tmp_path: Path) -> None:
    (tmp_path / "lich-tiem.html").write_text(
        "<html><head><title>Lịch tiêm chủng</title></head><body><h1>Lịch tiêm chủng mở rộng năm 2025</h1>"
        "<p>Trạm y tế phường Bến Nghé thông báo lịch tiêm chủng cho trẻ em như sau.</p>"
        "<h2>Trẻ được tiêm vắc xin gì?</h2><p>Vắc xin 5 trong 1.</p>"
        "<table><tr><th>Tháng tuổi</th><th>Vắc xin</th></tr><tr><td>2 tháng</td><td>5 trong 1 mũi 1</td></tr></table>"
        "<table><tr><th>Địa điểm</th></tr><tr><td>Số 12 Nguyễn Huệ, Quận 1</td></tr></table>"
        "<ul><li>Mang theo sổ tiêm chủng khi đến trạm.</li></ul></body></html>", "utf-8"
    )
    [page] = parse(tmp_path / "lich-tiem.html")
    # trafilatura ran this page into one passage; read block by block, each keeps its heading and its columns
    assert [(p.heading, p.text) for p in page.paragraphs] == [
        ("", "Trạm y tế phường Bến Nghé thông báo lịch tiêm chủng cho trẻ em như sau."),
        ("Trẻ được tiêm vắc xin gì?", "Vắc xin 5 trong 1."),
        ("Trẻ được tiêm vắc xin gì?", "Tháng tuổi: 2 tháng; Vắc xin: 5 trong 1 mũi 1"),
        ("Trẻ được tiêm vắc xin gì?", "Địa điểm: Số 12 Nguyễn Huệ, Quận 1"),
        ("Trẻ được tiêm vắc xin gì?", "Mang theo sổ tiêm chủng khi đến trạm."),
    ]


def test_a_web_pages_section_headings_are_the_context_of_their_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(ARTICLE_HTML.replace("<ul>", "<h2>Những địa phương dẫn đầu cả nước</h2><ul>"), "utf-8")
    [document] = parse(path)
    assert "Những địa phương dẫn đầu cả nước" not in texts(document)
    assert [p.heading for p in document.paragraphs if p.text.startswith("Đắk Lắk")] == [
        "Những địa phương dẫn đầu cả nước"
    ]


def test_corrupt_docx_says_why(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(ValueError, match=r"not a readable Word \.docx"):
        parse(path)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(ARTICLE_HTML, "utf-8")
    [document] = parse(path)
    assert document.title == "Sầu riêng xuất khẩu lập kỷ lục trong tám tháng"
    assert (document.date, document.source) == ("2024-08-20", "Báo Nông Thôn")
    assert document.url == "https://nongthon.example/sau-rieng.html"
    assert len(document.paragraphs) == 5
    assert not any("Bản quyền" in t or "Giá cà phê" in t or "Trang chủ" in t for t in texts(document))


def test_html_that_is_not_an_article_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(NOT_AN_ARTICLE, "utf-8")
    with pytest.raises(ValueError, match="not an article"):
        parse(path)


def test_sidecar_overrides_title_date_source_and_url(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "ho-tieu.docx")
    before = read_source(path, tmp_path).content_hash
    write_meta(tmp_path, "ho-tieu.docx", SourceMeta(url="https://x.example/a", title="Tiêu đề khác", date="1/2/2020"))
    source = read_source(path, tmp_path)
    [document] = parse_source(source)
    assert source.content_hash != before  # a changed caption re-indexes the file
    assert (document.title, document.date, document.url) == ("Tiêu đề khác", "2020-02-01", "https://x.example/a")
    assert document.source == ""


def test_new_converters_reparse_unchanged_files_but_reuse_their_vectors(tmp_path: Path, monkeypatch) -> None:
    """A PARSER_VERSION bump makes the next build read every file again (copied-in PDFs included)."""
    import retriever.index.local.build as build
    import retriever.index.local.stream as stream
    import retriever.index.sources as sources
    from tests.fakes import HashEncoder

    data = tmp_path / "data"
    data.mkdir()
    make_pdf(data / "a.pdf")
    encoder = HashEncoder()
    build.build_index(data, tmp_path / "index", encoder)
    parsed: list[str] = []
    real = stream.parse_source
    monkeypatch.setattr(
        stream, "parse_source", lambda source, *rest: parsed.append(source.relative) or real(source, *rest)
    )
    monkeypatch.setattr(sources, "PARSER_VERSION", sources.PARSER_VERSION + 1)
    report = build.build_index(data, tmp_path / "index", encoder)
    assert parsed == ["a.pdf"] and report.encoded == 0 and report.passages == len(PDF_PARAGRAPHS)


def test_word_and_web_pages_dated_in_words_take_that_date_and_keep_the_dateline_as_text(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    opening = ("Đà Lạt, ngày 12 tháng 5 năm 2025 – Tuyến cao tốc Tân Phú - Bảo Lộc dài 66 ki-lô-mét có tổng vốn "
               "đầu tư khoảng 17.200 tỷ đồng.")
    later = "Dự án dự kiến hoàn thành và đưa vào khai thác trong năm 2027, sớm hơn kế hoạch một năm."
    word = WordDocument()  # its "created" property is the template's, 2013: the text's date wins
    word.add_heading("Lâm Đồng khởi công tuyến cao tốc mới", level=1)
    for text in (opening, later):
        word.add_paragraph(text)
    word.save(str(tmp_path / "cao-toc.docx"))
    [document] = parse(tmp_path / "cao-toc.docx")
    assert document.date == "2025-05-12" and texts(document) == [opening, later]

    # no date in the markup: the one the text gives, not a year read out of a sentence ("năm 2027")
    (tmp_path / "cao-toc.html").write_text(
        "<html><body><article><h1>Lâm Đồng khởi công tuyến cao tốc mới</h1><p>Hà Nội, ngày 12 tháng 5 năm 2025</p>"
        f"<p>{later}</p><p>{later.replace('2027', '2028')}</p></article></body></html>", "utf-8")
    [page] = parse(tmp_path / "cao-toc.html")
    assert page.date == "2025-05-12" and texts(page)[0] == later


def test_an_official_letter_in_word_is_named_by_its_kind_and_subject(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    from tests.test_news import DECISION, LETTERHEAD

    word = WordDocument()
    for line in [*LETTERHEAD.splitlines(), DECISION]:
        if line:
            word.add_paragraph(line)
    word.save(str(tmp_path / "quyet-dinh.docx"))
    [document] = parse(tmp_path / "quyet-dinh.docx")
    assert document.title == "Quyết định về việc công bố mùa du lịch biển Nha Trang năm 2025"
    assert document.date == "2025-06-20" and texts(document) == [DECISION]


def test_an_official_letter_whose_letterhead_and_signature_are_tables_in_word(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    head = word.add_table(rows=1, cols=2)  # as Word's templates lay them out, in a borderless table
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\n-------\nSố: 789/UBND-KGVX\n" \
                           "V/v tăng cường phòng, chống dịch"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n" \
                           "Quảng Nam, ngày 10 tháng 6 năm 2025"
    word.add_paragraph("Kính gửi:\n- Sở Y tế;\n- UBND các huyện, thị xã, thành phố.")
    body = "Chủ tịch UBND tỉnh yêu cầu Sở Y tế diệt lăng quăng, bọ gậy tại các xã trước ngày 30 tháng 6 năm 2025."
    word.add_paragraph(body)
    fees = word.add_table(rows=2, cols=2)  # a table of data stays rows
    fees.cell(0, 0).text, fees.cell(0, 1).text = "Loại xe", "Phí"
    fees.cell(1, 0).text, fees.cell(1, 1).text = "Xe máy", "5.000 đồng"
    closing = word.add_table(rows=1, cols=2)
    closing.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT, KGVX."
    closing.cell(0, 1).text = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Anh Tuấn"
    word.core_properties.created = datetime(2013, 12, 23)  # a template's, as such files carry
    word.save(str(tmp_path / "cong-van.docx"))
    [letter] = parse(tmp_path / "cong-van.docx")
    # the whole letterhead was one quoted passage, the addressees another, and the date the template's
    assert letter.title == "Công văn về việc tăng cường phòng, chống dịch" and letter.date == "2025-06-10"
    assert texts(letter) == [body, "Loại xe: Xe máy; Phí: 5.000 đồng"]


def _notice(tmp_path: Path, signed: str) -> Path:
    """A ward's notice typed without the national motto: its date over the signer's title and name, laid out
    in a borderless table (`signed` "table") or typed with line breaks ("breaks"); the file started from a
    template (created 2013), last saved in 2025."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Thông báo lịch tiếp công dân", level=1)
    word.add_paragraph("Chủ tịch UBND xã Bình Lãnh tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở xã.")
    if signed == "table":
        signature = word.add_table(rows=1, cols=2)
        signature.cell(0, 1).text = "Bình Lãnh, ngày 5 tháng 9 năm 2025\nCHỦ TỊCH\nNguyễn Văn Tâm"
    else:
        word.add_paragraph("Bình Lãnh, ngày 5 tháng 9 năm 2025\nCHỦ TỊCH\nNguyễn Văn Tâm")
    word.core_properties.created = datetime(2013, 12, 23)
    word.core_properties.modified = datetime(2025, 9, 6)
    word.save(str(tmp_path / f"{signed}.docx"))
    return tmp_path / f"{signed}.docx"


@pytest.mark.parametrize("signed", ["table", "breaks"])
def test_a_word_notice_is_dated_by_the_line_over_its_signature_not_by_its_template(tmp_path: Path,
                                                                                   signed: str) -> None:
    [notice] = parse(_notice(tmp_path, signed))
    # it was dated 2013-12-23, and the date, the signer's title and name were quoted as one passage
    assert notice.date == "2025-09-05"
    assert texts(notice) == ["Chủ tịch UBND xã Bình Lãnh tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở xã."]


def test_a_word_letterhead_without_the_motto_dates_the_letter_and_a_file_without_a_date_is_dated_when_saved(
        tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    head = word.add_table(rows=1, cols=2)  # a party committee's: "ĐẢNG CỘNG SẢN VIỆT NAM" in place of the motto
    head.cell(0, 0).text = "ĐẢNG BỘ TỈNH QUẢNG NAM\nĐẢNG ỦY XÃ BÌNH LÃNH\n*\nSố: 45-TB/ĐU"
    head.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM\nBình Lãnh, ngày 5 tháng 9 năm 2025"
    for line in ("THÔNG BÁO", "Về việc tổ chức hội nghị sơ kết"):
        word.add_paragraph(line)
    body = "Đảng ủy xã tổ chức hội nghị sơ kết công tác 9 tháng vào ngày 20 tháng 9 năm 2025 tại hội trường xã."
    word.add_paragraph(body)
    word.core_properties.created = datetime(2013, 12, 23)
    word.save(str(tmp_path / "thong-bao.docx"))
    [letter] = parse(tmp_path / "thong-bao.docx")
    assert letter.title == "Thông báo về việc tổ chức hội nghị sơ kết" and letter.date == "2025-09-05"
    assert texts(letter) == [body]

    report = WordDocument()
    report.add_heading("Báo cáo tình hình dịch sốt xuất huyết", level=1)
    report.add_paragraph("Trong tuần, toàn xã ghi nhận 12 ca sốt xuất huyết, tăng 3 ca so với tuần trước.")
    report.core_properties.created = datetime(2013, 12, 23)  # started from last year's report
    report.core_properties.modified = datetime(2025, 9, 6)
    report.save(str(tmp_path / "bao-cao.docx"))
    assert parse(tmp_path / "bao-cao.docx")[0].date == "2025-09-06"


def test_an_official_decision_printed_to_pdf_is_named_and_dated_by_its_letterhead(tmp_path: Path) -> None:
    from tests.page_layouts import DECISION_TEXT, DECISION_TITLE, make_decision_pdf

    [decision] = parse(make_decision_pdf(tmp_path / "quyet-dinh.pdf"))
    # its columns were read across the page: the title was the whole bold block, the date the PDF's own
    assert decision.title == DECISION_TITLE and decision.date == "2025-03-15"
    assert texts(decision) == [DECISION_TEXT]


def test_a_lead_set_as_a_heading_is_quoted_as_text(tmp_path: Path) -> None:
    lead = ("Sáng 3/3, giá vàng miếng SJC được các doanh nghiệp niêm yết ở mức 93 triệu đồng/lượng bán ra, tăng "
            "1,2 triệu đồng so với cuối tuần trước.")
    body = "Giá vàng nhẫn 9999 cũng tăng mạnh, lên 92,3 triệu đồng/lượng bán ra tại Bảo Tín Minh Châu."
    (tmp_path / "gia-vang.html").write_text(
        f'<html><body><article><h1>Giá vàng SJC tăng vọt</h1><h2 class="sapo">{lead}</h2><p>{body}</p>'
        "<h2>Giá vàng thế giới</h2><p>Giá vàng thế giới đứng ở mức 2.890 USD/ounce trong phiên sáng nay.</p>"
        "</article></body></html>", "utf-8")
    [page] = parse(tmp_path / "gia-vang.html")
    # the lead headed the paragraphs under it and was never quoted
    assert texts(page)[:2] == [lead, body]
    assert page.paragraphs[2].context == "Giá vàng thế giới"  # a heading's words, still a heading


def test_an_ad_inside_the_article_is_not_a_passage(tmp_path: Path) -> None:
    ad = "Vay tiêu dùng lãi suất 0% - đăng ký trong 5 phút, giải ngân trong ngày."
    page = ARTICLE_HTML.replace("<p>Trung Quốc", f'<div class="ads inline-ad"><p>QUẢNG CÁO</p><p>{ad}</p></div>'
                                "<p>Trung Quốc")
    (tmp_path / "sau-rieng.html").write_text(page, "utf-8")
    [document] = parse(tmp_path / "sau-rieng.html")
    assert ad not in texts(document) and len(texts(document)) == 5 and document.date == "2024-08-20"


def test_a_page_in_two_columns_is_read_column_by_column(tmp_path: Path) -> None:
    from tests.page_layouts import TWO_COLUMN_TITLE, TWO_COLUMNS, make_two_column_pdf

    [document] = parse(make_two_column_pdf(tmp_path / "hai-cot.pdf"))
    assert document.title == TWO_COLUMN_TITLE
    assert texts(document) == [*TWO_COLUMNS[0], *TWO_COLUMNS[1]]


def test_short_paragraphs_set_apart_stay_apart_and_the_date_line_is_the_date(tmp_path: Path) -> None:
    from tests.page_layouts import SHORT_PARAGRAPHS, SHORT_TITLE, make_short_paragraphs_pdf

    [document] = parse(make_short_paragraphs_pdf(tmp_path / "thong-bao.pdf"))
    assert document.title == SHORT_TITLE and document.date == "2025-05-12"
    assert texts(document) == list(SHORT_PARAGRAPHS)


def test_a_bare_page_keeps_its_headline_out_of_its_first_paragraph(tmp_path: Path) -> None:
    headline = "Tỉnh Lâm Đồng khởi công tuyến cao tốc mới"
    body = "Tuyến cao tốc dài 66 ki-lô-mét có vốn 17.200 tỷ đồng."
    (tmp_path / "ngan.html").write_text(f"<html><head><title>{headline}</title></head><body><h1>{headline}</h1>"
                                        f"<p>{body}</p></body></html>", "utf-8")
    [document] = parse(tmp_path / "ngan.html")
    assert document.title == headline and texts(document) == [body]


def test_a_ruled_table_in_a_pdf_gives_a_passage_a_row_in_its_place(tmp_path: Path) -> None:
    from tests.page_layouts import TABLE_INTRO, TABLE_ROWS, make_table_pdf

    [document] = parse(make_table_pdf(tmp_path / "lua.pdf"))
    assert texts(document)[:3] == [TABLE_INTRO, *TABLE_ROWS] and texts(document)[3].startswith("Giá lúa tươi")


def test_a_word_footnote_is_a_passage_after_the_text(tmp_path: Path) -> None:
    from tests.page_layouts import with_footnote

    note = "Thông tư này thay thế Thông tư số 12/2017/TT-BGTVT của Bộ Giao thông vận tải."
    raw = with_footnote(make_docx(tmp_path / "a.docx").read_bytes(), note)
    (tmp_path / "ho-tieu.docx").write_bytes(raw)
    [document] = parse(tmp_path / "ho-tieu.docx")
    assert texts(document) == [*DOCX_PARAGRAPHS, *DOCX_LIST, *DOCX_TABLE_ROWS, note]


def test_a_section_heading_finds_its_paragraph_shown_under_it_and_in_the_article(tmp_path: Path, e5) -> None:
    from bot.render import format_result
    from retriever.library import Library, LibraryConfig

    data = tmp_path / "data"
    data.mkdir()
    (data / "quy-che.md").write_text(REGULATION_MD, "utf-8")
    library, _ = Library.open(LibraryConfig(data, tmp_path / "index"), e5)
    try:
        # "học bổng" is only in the FAQ's question: the answer is found by it, and never the question itself
        first = library.search("Trường có học bổng không?").results[0]
        assert first.text.startswith("Có. Mỗi năm trường dành") and first.teaser_title == "Trường có học bổng không?"
        assert "📑 Trường có học bổng không?" in format_result(first, 1, "vi")
        warned = library.search("Khi nào sinh viên bị cảnh báo học tập?").results[0]
        assert warned.text.startswith("Sinh viên bị cảnh báo")  # the heading alone was quoted first at 1.00
        article = library.article(first.doc_id)
        assert article is not None
        assert article.paragraphs[:3] == (
            "Chương II. Tổ chức đào tạo", "Điều 5. Đăng ký học phần", REGULATION_MD.split("\n\n")[3]
        )
    finally:
        library.close()


def test_a_line_past_the_margin_does_not_cut_a_paragraph_running_over_the_page_break() -> None:
    from retriever.ingest.layout import Line, parse_lines

    def page(number: int, texts: list[tuple[str, float]]) -> tuple[float, list[Line]]:
        return 842.0, [Line(number, text, 60.0, x1, 100.0 + 18 * i, 12.0) for i, (text, x1) in enumerate(texts)]

    first = page(0, [("Quyết định này có hiệu lực kể từ ngày ký và thay thế quy định trước đó tại", 536.0),
                     ("https://vanban.hanoi.gov.vn/van-ban/quyet-dinh-1234-qd-ubnd-ve-muc-thu-phi-trong-giu-xe", 651.0),
                     ("Các đơn vị trông giữ xe có trách nhiệm niêm yết mức thu, phát vé cho người", 536.0)])
    second = page(1, [("gửi xe và không được thu vượt mức quy định.", 334.0)])
    parsed = parse_lines([first, second], {}, "quyet-dinh")
    # the link ran past the margin, no line counted as full, and the last sentence was cut at the break
    assert parsed.paragraphs[-1].text.endswith("phát vé cho người gửi xe và không được thu vượt mức quy định.")


def test_a_letter_whose_letterhead_table_has_two_rows_and_whose_subject_and_addressees_run_on(
        tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    head = word.add_table(rows=2, cols=2)  # issuing body | motto, then number and subject | place and date
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 123/UBND-VP"
    head.cell(1, 0).add_paragraph("V/v tăng cường công tác phòng cháy,")  # the narrow column wraps it
    head.cell(1, 0).add_paragraph("chữa cháy tại khu dân cư")
    head.cell(1, 1).text = "Hà Nội, ngày 5 tháng 3 năm 2026"
    for line in ["Kính gửi:", "- Các sở, ban, ngành thành phố;", "- Ủy ban nhân dân các quận, huyện, thị xã."]:
        word.add_paragraph(line)
    body = ["Thời gian qua, trên địa bàn thành phố đã xảy ra 47 vụ cháy tại khu dân cư, làm 6 người chết.",
            "Ủy ban nhân dân các quận, huyện kiểm tra 100% chung cư mini trước ngày 30 tháng 4 năm 2026."]
    for text in body:
        word.add_paragraph(text)
    word.save(str(tmp_path / "cong-van.docx"))
    [letter] = parse(tmp_path / "cong-van.docx")
    # the second row's cells were left out (taken for the first row's), the subject's second line was the
    # first paragraph, and the addressees were quoted
    assert letter.title == "Công văn về việc tăng cường công tác phòng cháy, chữa cháy tại khu dân cư"
    assert letter.date == "2026-03-05" and texts(letter) == body


CLOSING_BODY = ("Trường Đại học Sông Hồng thông báo tuyển sinh trình độ thạc sĩ đợt 1 năm 2024 với 120 chỉ tiêu cho "
                "6 ngành đào tạo.")
CLOSING_LINES = ["Nơi nhận:", "- Ban Giám hiệu;", "- Các khoa, viện trực thuộc trường;", "- Lưu: VT, ĐTSĐH.",
                 "KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "(Đã ký và đóng dấu)", "Trần Thị Bình"]


def test_a_notice_without_a_letterhead_leaves_its_recipients_and_signature_out(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()  # a notice typed in the office's form, without the motto: no official letterhead
    word.add_paragraph("Thông báo tuyển sinh thạc sĩ năm 2024", style="Title")
    word.add_paragraph("Hà Nội, ngày 15 tháng 3 năm 2024")
    word.add_paragraph(CLOSING_BODY)
    for line in CLOSING_LINES:
        word.add_paragraph(line)
    word.save(str(tmp_path / "tuyen-sinh.docx"))
    (tmp_path / "tuyen-sinh.txt").write_text("\n\n".join(
        ["Thông báo tuyển sinh thạc sĩ năm 2024", "Hà Nội, ngày 15 tháng 3 năm 2024", CLOSING_BODY,
         "\n".join(CLOSING_LINES)]), "utf-8")
    for name in ("tuyen-sinh.docx", "tuyen-sinh.txt"):
        [notice] = parse(tmp_path / name)
        # "- Các khoa, viện trực thuộc trường;", "GIÁM ĐỐC", the signer's name were quoted as the notice's text
        assert (notice.title, notice.date, texts(notice)) == (
            "Thông báo tuyển sinh thạc sĩ năm 2024", "2024-03-15", [CLOSING_BODY]), name


def test_where_to_hand_in_under_a_bare_recipients_label_is_text_that_goes_on(tmp_path: Path) -> None:
    where = ("Bộ phận tiếp nhận và trả kết quả của Ủy ban nhân dân xã, số 12 đường Lê Lợi, trong giờ hành chính "
             "từ thứ Hai đến thứ Sáu.")
    then = "Sau năm ngày làm việc, người nộp hồ sơ nhận kết quả tại nơi đã nộp hoặc qua đường bưu điện."
    (tmp_path / "huong-dan.txt").write_text("\n\n".join(
        ["Hướng dẫn nộp hồ sơ cấp giấy phép xây dựng", CLOSING_BODY, "Nơi nhận:", where, then]), "utf-8")
    [guide] = parse(tmp_path / "huong-dan.txt")
    # a guide without a letterhead: read as the recipients of a letter, the rest of the guide was left out
    assert texts(guide)[-2:] == [where, then]
