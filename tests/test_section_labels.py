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

Chương I. QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh

Quy chế này quy định về tổ chức đào tạo trình độ đại học theo hệ thống tín chỉ cho sinh viên chính quy.

Điều 2. Học phí

Sinh viên nộp học phí theo số tín chỉ đăng ký, chậm nhất sau bốn tuần kể từ ngày bắt đầu học kỳ.

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
        ("", "Chương I. QUY ĐỊNH CHUNG"),  # a chapter right above an article: its own text, as in Markdown
        ("Điều 1. Phạm vi điều chỉnh", "Quy chế này quy định về tổ chứ"),
        # "Điều 2. Học phí" was dropped as too short to be text, and its paragraph lost the subject
        ("Điều 2. Học phí", "Sinh viên nộp học phí theo số "),
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
    for line in REGULATION.split("\n\n")[:6]:
        word.add_paragraph(line.strip())
    word.save(str(tmp_path / "quy-che.docx"))
    [document] = parse_source(read_source(tmp_path / "quy-che.docx", tmp_path))
    assert document.title == "QUY CHẾ ĐÀO TẠO ĐẠI HỌC" and not document.title_derived
    assert headed(document) == [
        ("", "Chương I. QUY ĐỊNH CHUNG"),
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
