"""Regulations, plans and reports label their sections by structure ("Điều 12. …", "II. NHIỆM VỤ", "2.1. …",
a line in capitals), not by markup: in plain text, a scan or a Word file typed in the body style, those
lines are the headings of the paragraphs under them, as Markdown's `##` is."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.ingest import ocr
from retriever.ingest.files import DEFAULT_OCR, SourceFile, parse_source, read_source
from tests.scans import LETTER, encoded, page_image

REGULATION = """QUY CHẾ ĐÀO TẠO ĐẠI HỌC

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh

Quy chế này quy định về tổ chức đào tạo trình độ đại học theo hệ thống tín chỉ cho sinh viên chính quy.

Điều 2. Học phí

Sinh viên nộp học phí theo số tín chỉ đăng ký, chậm nhất sau bốn tuần kể từ ngày bắt đầu học kỳ.

HẠN CHÓT NỘP HỌC PHÍ LÀ NGÀY 30/9, QUÁ HẠN KHÔNG NHẬN

3.5 triệu đồng được hỗ trợ thêm cho sinh viên vùng khó khăn

II. HỒ SƠ NHẬP HỌC

1. Bản sao giấy khai sinh

2. Giấy chứng nhận tốt nghiệp tạm thời

Thí sinh nộp hồ sơ tại phòng Đào tạo trong giờ hành chính, từ thứ Hai đến thứ Sáu.

2.300 km đường biên giới được cắm mốc trong ba năm

Tuyến biên giới dài 2.300 km đã được cắm mốc xong, sớm hơn kế hoạch một năm.
"""


def headed(document) -> list[tuple[str, str]]:
    return [(p.heading, p.text[:30]) for p in document.paragraphs]


def test_a_plain_text_regulations_articles_and_parts_are_headings(tmp_path: Path) -> None:
    (tmp_path / "quy-che.txt").write_text(REGULATION, "utf-8")
    [document] = parse_source(read_source(tmp_path / "quy-che.txt", tmp_path))
    assert document.title == "QUY CHẾ ĐÀO TẠO ĐẠI HỌC"
    assert headed(document) == [
        # a chapter right above an article: its own text, as in Markdown; its name on the next line joins it
        ("", "Chương I. QUY ĐỊNH CHUNG"),
        ("Điều 1. Phạm vi điều chỉnh", "Quy chế này quy định về tổ chứ"),
        # "Điều 2. Học phí" was dropped as too short to be text, and its paragraph lost the subject
        ("Điều 2. Học phí", "Sinh viên nộp học phí theo số "),
        # a fact set in capitals, and a line opening with a decimal, are text, not headings
        ("Điều 2. Học phí", "HẠN CHÓT NỘP HỌC PHÍ LÀ NGÀY 3"),
        ("Điều 2. Học phí", "3.5 triệu đồng được hỗ trợ thê"),
        # a plain "1." is a list's item, kept as text under its part, never the heading of what follows
        ("II. HỒ SƠ NHẬP HỌC", "1. Bản sao giấy khai sinh"),
        ("II. HỒ SƠ NHẬP HỌC", "2. Giấy chứng nhận tốt nghiệp "),
        ("II. HỒ SƠ NHẬP HỌC", "Thí sinh nộp hồ sơ tại phòng Đ"),
        ("II. HỒ SƠ NHẬP HỌC", "2.300 km đường biên giới được "),  # a number, not "2.3."
        ("II. HỒ SƠ NHẬP HỌC", "Tuyến biên giới dài 2.300 km đ"),
    ]


def test_a_word_file_typed_in_the_body_style_has_its_sections(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    for line in REGULATION.replace("Chương I\n", "Chương I\n\n").split("\n\n")[:7]:
        word.add_paragraph(line.strip())
    word.save(str(tmp_path / "quy-che.docx"))
    [document] = parse_source(read_source(tmp_path / "quy-che.docx", tmp_path))
    assert document.title == "QUY CHẾ ĐÀO TẠO ĐẠI HỌC" and not document.title_derived
    assert headed(document) == [
        ("", "Chương I. QUY ĐỊNH CHUNG"),  # two paragraphs in the file
        ("Điều 1. Phạm vi điều chỉnh", "Quy chế này quy định về tổ chứ"),
        ("Điều 2. Học phí", "Sinh viên nộp học phí theo số "),
    ]


@pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (.ci/run installs it)")
def test_a_scans_title_in_capitals_and_labelled_sections_are_not_passages() -> None:
    page = page_image(("KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI", LETTER[0], "II. NHIỆM VỤ CỦA CÁC HUYỆN", LETTER[2],
                       LETTER[3], "Điều 3. Kinh phí", LETTER[4]))
    [document] = parse_source(SourceFile(Path("ke-hoach.png"), "ke-hoach.png", "h", encoded(page)), DEFAULT_OCR)
    # the title line was a passage of its own, and the headings were quoted as answers
    assert document.title == "KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI"
    assert [(p.heading, p.text[:20]) for p in document.paragraphs] == [
        ("", LETTER[0][:20]),
        ("II. NHIỆM VỤ CỦA CÁC HUYỆN", LETTER[2][:20]),
        ("II. NHIỆM VỤ CỦA CÁC HUYỆN", LETTER[3][:20]),
        ("Điều 3. Kinh phí", LETTER[4][:20]),
    ]


def test_a_byline_in_capitals_at_the_end_of_an_article_stays_out_of_its_passages(tmp_path: Path) -> None:
    (tmp_path / "tin.txt").write_text(
        "Hà Nội mở thêm hai tuyến xe buýt điện\n\n"
        "Từ ngày 1/3, Hà Nội mở thêm hai tuyến xe buýt điện nối trung tâm với sân bay Nội Bài.\n\n"
        "THANH HÀ\n", "utf-8"
    )
    [document] = parse_source(read_source(tmp_path / "tin.txt", tmp_path))
    assert headed(document) == [("", "Từ ngày 1/3, Hà Nội mở thêm ha")]


@pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (.ci/run installs it)")
def test_a_label_set_close_to_the_text_around_it_is_still_a_heading() -> None:
    # no gap between the label and its text: Tesseract reads them as one paragraph ("Điều 3. Kinh phí Sở …")
    page = page_image((LETTER[0], f"Điều 3. Kinh phí\n{LETTER[3]}"))
    [document] = parse_source(SourceFile(Path("cong-van.png"), "cong-van.png", "h", encoded(page)), DEFAULT_OCR)
    assert [(p.heading, p.text[:20]) for p in document.paragraphs] == [
        ("", LETTER[0][:20]), ("Điều 3. Kinh phí", LETTER[3][:20]),
    ]


DECISION = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1234/QĐ-UBND
Quảng Nam, ngày 20 tháng 6 năm 2025
QUYẾT ĐỊNH
Về việc phê duyệt danh sách hộ nghèo năm 2025
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
Điều 1. Phê duyệt danh sách 12.450 hộ nghèo trên địa bàn tỉnh năm 2025.
NGHIÊM CẤM LỢI DỤNG CHÍNH SÁCH HỖ TRỢ HỘ NGHÈO ĐỂ TRỤC LỢI
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Nơi nhận:
- Như Điều 2;
- Lưu: VT, KGVX.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Tân
"""


def test_a_decisions_authority_recipients_and_signature_are_not_passages(tmp_path: Path) -> None:
    (tmp_path / "quyet-dinh.txt").write_text(DECISION, "utf-8")
    [document] = parse_source(read_source(tmp_path / "quyet-dinh.txt", tmp_path))
    assert document.title == "Quyết định về việc phê duyệt danh sách hộ nghèo năm 2025"
    # the authority line was the heading of every article, and the recipients were passages
    assert headed(document) == [
        ("", "Căn cứ Luật Tổ chức chính quyề"), ("", "Điều 1. Phê duyệt danh sách 12"),
        ("", "NGHIÊM CẤM LỢI DỤNG CHÍNH SÁCH"),  # emphasis within the text is quoted
        ("", "Điều 2. Quyết định này có hiệu"),
    ]


def test_a_news_articles_byline_in_capitals_heads_nothing(tmp_path: Path) -> None:
    (tmp_path / "tin.txt").write_text(
        "Giá vàng trong nước lập đỉnh mới\n\nNGUYỄN VĂN AN\n\n"
        "Sáng nay, giá vàng miếng SJC được niêm yết ở mức 92 triệu đồng mỗi lượng bán ra.\n\n"
        "Giá vàng nhẫn cũng tăng mạnh, lên mức 90,5 triệu đồng mỗi lượng.\n", "utf-8"
    )
    [document] = parse_source(read_source(tmp_path / "tin.txt", tmp_path))
    assert [heading for heading, _ in headed(document)] == ["", ""]


@pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (.ci/run installs it)")
def test_a_photographed_official_letter_is_named_by_its_subject_and_ends_before_its_recipients() -> None:
    page = page_image((
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM", "Số: 789/UBND-KGVX", "Quảng Nam, ngày 2 tháng 9 năm 2025",
        "V/v tăng cường phòng chống dịch sốt xuất huyết", LETTER[0], "Nơi nhận:\n- Như trên;\n- Lưu: VT.",
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Trần Văn Tân",
    ))
    [document] = parse_source(SourceFile(Path("cong-van.jpg"), "cong-van.jpg", "h", encoded(page)), DEFAULT_OCR)
    # it was named by its authority, and its recipients and signer were quoted
    assert document.title == "Công văn về việc tăng cường phòng chống dịch sốt xuất huyết"
    assert document.date == "2025-09-02"
    assert [p.text[:20] for p in document.paragraphs] == [LETTER[0][:20]]


def test_a_pdfs_articles_set_in_the_body_type_are_their_paragraphs_headings(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.documents import FONT, FONT_BOLD

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=14)
    pdf.multi_cell(0, 8, "QUY CHẾ CHI TIÊU NỘI BỘ", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=11)
    for entry in ("Điều 5. Công tác phí . . . . . . . . . . . . . . . . 1",
                  "Điều 6. Chi tiếp khách . . . . . . . . . . . . . . . 1"):  # the table of contents
        pdf.multi_cell(0, 6, entry, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, text in (
        ("Điều 5. Công tác phí", "Mức phụ cấp lưu trú khi đi công tác là 200.000 đồng mỗi ngày cho mỗi người."),
        ("Điều 6. Chi tiếp khách", "Mức chi tiếp khách tối đa là 300.000 đồng một suất, không chi rượu bia."),
    ):
        pdf.set_font("DejaVu", style="B", size=11)  # bold, at the body's size and line pitch
        pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "quy-che.pdf"))
    [document] = parse_source(read_source(tmp_path / "quy-che.pdf", tmp_path))
    # each label opened the paragraph under it ("Điều 5. Công tác phí Mức phụ cấp …"); the contents' entries
    # are no passages
    assert headed(document) == [
        ("Điều 5. Công tác phí", "Mức phụ cấp lưu trú khi đi côn"),
        ("Điều 6. Chi tiếp khách", "Mức chi tiếp khách tối đa là 3"),
    ]


def test_a_plan_is_named_by_its_kind_and_what_it_is_about(tmp_path: Path) -> None:
    (tmp_path / "ke-hoach.txt").write_text(
        "KẾ HOẠCH\nTổ chức Tháng hành động vì an toàn thực phẩm năm 2025\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n"
        "Nâng cao nhận thức của người sản xuất và người tiêu dùng về an toàn thực phẩm.\n", "utf-8"
    )
    [document] = parse_source(read_source(tmp_path / "ke-hoach.txt", tmp_path))
    # "KẾ HOẠCH" was dropped and the subject quoted as a passage, the title derived from it
    assert document.title == "Kế hoạch tổ chức Tháng hành động vì an toàn thực phẩm năm 2025"
    assert headed(document) == [("I. MỤC ĐÍCH, YÊU CẦU", "Nâng cao nhận thức của người s")]


def test_a_word_articles_byline_in_capitals_under_its_title_heads_nothing(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Giá vàng trong nước lập đỉnh mới", level=1)
    word.add_paragraph("NGUYỄN VĂN AN")
    word.add_paragraph("Sáng nay, giá vàng miếng SJC được niêm yết ở mức 92 triệu đồng mỗi lượng bán ra.")
    word.save(str(tmp_path / "gia-vang.docx"))
    [document] = parse_source(read_source(tmp_path / "gia-vang.docx", tmp_path))
    assert document.title == "Giá vàng trong nước lập đỉnh mới"
    assert [p.heading for p in document.paragraphs if p.text.startswith("Sáng nay")] == [""]


def test_a_word_files_bold_lines_over_text_are_its_headings(tmp_path: Path) -> None:
    """Offices type a heading in the body style and set it in bold; a bold byline in capitals, a bold run
    of lines and a bold sentence are no headings."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph().add_run("Hướng dẫn học vụ năm học 2025-2026").bold = True
    for line in ("NGUYỄN VĂN AN", "1. Đăng ký học phần"):
        word.add_paragraph().add_run(line).bold = True
    word.add_paragraph("Sinh viên đăng ký học phần trực tuyến trong hai tuần đầu của học kỳ.")
    word.add_paragraph().add_run("Cảnh báo học tập").bold = True
    word.add_paragraph("Sinh viên bị cảnh báo khi điểm trung bình học kỳ dưới 1,0.")
    for line in ("Hạn chót nộp học phí là ngày 30/9.", "Hồ sơ gồm"):
        word.add_paragraph().add_run(line).bold = True
    word.add_paragraph("Đơn xin học lại có xác nhận của cố vấn học tập.")
    word.save(str(tmp_path / "hoc-vu.docx"))
    [document] = parse_source(read_source(tmp_path / "hoc-vu.docx", tmp_path))
    assert document.title == "Hướng dẫn học vụ năm học 2025-2026" and not document.title_derived
    assert headed(document) == [
        ("", "NGUYỄN VĂN AN"),
        ("1. Đăng ký học phần", "Sinh viên đăng ký học phần trự"),
        ("Cảnh báo học tập", "Sinh viên bị cảnh báo khi điểm"),
        ("Cảnh báo học tập", "Hạn chót nộp học phí là ngày 3"),
        ("Hồ sơ gồm", "Đơn xin học lại có xác nhận củ"),
    ]
