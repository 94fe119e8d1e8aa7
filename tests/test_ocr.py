"""Scans and photos read by the real Tesseract (Vietnamese model) from pages rendered with DejaVu."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from retriever.collection import remove_file, store_upload
from retriever.errors import UnreadableInputError
from retriever.ingest import ocr, ocr_cache
from retriever.ingest.files import DEFAULT_OCR, SourceFile, parse_source
from retriever.models import Document
from tests.scans import (
    DECISION_HEAD,
    DECISION_TITLE,
    HEADER,
    LETTER,
    REPORT,
    Scan,
    character_accuracy,
    decision_page,
    document_pages,
    encoded,
    page_image,
    scanned_pdf,
)

pytestmark = pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (apt-get install "
                                "tesseract-ocr tesseract-ocr-vie; .ci/run installs it)")


def parse(name: str, raw: bytes, options: ocr.OcrOptions = DEFAULT_OCR, data_dir: Path | None = None,
          progress: ocr.PageProgress | None = None) -> Document:
    [document] = parse_source(SourceFile(Path(name), name, "h", raw, data_dir=data_dir), options, progress)
    return document


def texts(document: Document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def test_a_crooked_jpeg_photo_reads_as_the_letter_without_its_letterhead() -> None:
    scan = Scan(dpi=300, angle=2.0, jpeg_quality=70)
    document = parse("cong-van.jpg", encoded(page_image(LETTER, scan), scan))
    assert character_accuracy("\n".join(texts(document)), "\n".join(LETTER)) >= 0.97
    assert len(document.paragraphs) == len(LETTER)
    assert not any(HEADER.lower() in text.lower() for text in texts(document))  # the national motto
    assert document.title.startswith("Ủy ban nhân dân tỉnh Quảng Nam")


LETTER_HEAD = (("UBND TỈNH QUẢNG NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
               ("SỞ GIAO THÔNG VẬN TẢI", "Độc lập - Tự do - Hạnh phúc"),
               ("Số: 812/SGTVT-QLGT", "Quảng Nam, ngày 5 tháng 9 năm 2025"), ("V/v phòng chống thiên tai", ""))
CIRCULAR_HEAD = (("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("", "Độc lập - Tự do - Hạnh phúc"),
                 ("Số: 37/2025/TT-BGDĐT", ""), ("", "Hà Nội, ngày 9 tháng 12 năm 2025"))


@pytest.mark.parametrize(("head", "title", "named", "dated"), [
    (None, None, "Quyết định về việc phân luồng giao thông trên tuyến Quốc lộ 14E", "2025-03-18"),
    # a công văn: its subject under its number, in the left column
    (LETTER_HEAD, ("Kính gửi: Ủy ban nhân dân các huyện",), "Công văn về việc phòng chống thiên tai", "2025-09-05"),
    # one line on the left, the date lower on the right, the subject without "Về việc"
    (CIRCULAR_HEAD, ("THÔNG TƯ", "Ban hành Quy chế tuyển sinh trình độ đại học"),
     "Thông tư ban hành Quy chế tuyển sinh trình độ đại học", "2025-12-09"),
])
def test_a_scanned_decision_is_named_and_dated_by_its_two_column_letterhead(head, title, named, dated) -> None:
    scan = Scan(dpi=300, angle=0.6, header="")
    page = decision_page(scan, head or DECISION_HEAD, title or DECISION_TITLE)
    document = parse("quyet-dinh.pdf", scanned_pdf([page], 300))
    assert document.title == named and document.date == dated
    # the letterhead, the recipients and the signature are no passages; the articles are
    assert [text[:20] for text in texts(document)] == ["Từ ngày 01 tháng 4 n", "Thanh tra Sở phối hợ"]


def test_a_scanned_pdf_drops_running_headers_and_page_numbers_and_joins_paragraphs_over_page_breaks() -> None:
    scan = Scan(dpi=200, angle=-1.0)
    pages = document_pages(REPORT, scan, lines_per_page=12)
    seen: list[tuple[int, int]] = []
    document = parse("bao-cao.pdf", scanned_pdf(pages, 200), progress=lambda done, total: seen.append((done, total)))
    assert len(pages) == 3 and seen == [(1, 3), (2, 3), (3, 3)]
    assert character_accuracy("\n".join(texts(document)), "\n".join(REPORT)) >= 0.97
    assert len(document.paragraphs) == len(REPORT)  # a paragraph broken by a page comes back whole
    assert not any(text.strip().isdigit() or HEADER.lower() in text.lower() for text in texts(document))


def test_a_photographed_articles_headline_is_its_title_not_a_quoted_paragraph() -> None:
    headline = "Tỉnh công bố kết quả kinh tế năm 2025"
    scan = Scan(dpi=200, angle=1.0)
    document = parse("bao-cao.jpg", encoded(page_image((headline, *REPORT[:2]), scan), scan))
    # OCR gives no print sizes: the headline was the first paragraph, quoted, under a title made from itself
    assert document.title == headline and not document.title_derived
    assert len(document.paragraphs) == 2 and headline not in texts(document)


def test_a_page_scanned_sideways_is_turned_upright() -> None:
    scan = Scan(dpi=200, jpeg_quality=None)
    sideways = page_image(LETTER[:3], scan).rotate(90, expand=True)
    document = parse("xoay.png", encoded(sideways, scan))
    assert character_accuracy("\n".join(texts(document)), "\n".join(LETTER[:3])) >= 0.97


@pytest.mark.parametrize(("turn", "dpi"), [(90, 300), (270, 200)])
def test_a_decision_scanned_sideways_is_turned_and_read_by_its_columns(turn: int, dpi: int) -> None:
    scan = Scan(dpi=dpi, header="")
    sideways = decision_page(scan).rotate(turn, expand=True)
    document = parse("xoay.pdf", scanned_pdf([sideways], dpi))
    # straightened while lying sideways, then turned, it came out crooked: "Ã HỘI CHỦ NGHĨA VIỆT NAM"; read
    # turned by Tesseract itself, its columns ran across one another
    assert document.title == "Quyết định về việc phân luồng giao thông trên tuyến Quốc lộ 14E"
    assert document.date == "2025-03-18"


def test_a_pdf_with_a_text_page_and_a_scanned_page_keeps_both() -> None:
    from fpdf import FPDF

    from tests.documents import FONT, PDF_PARAGRAPHS

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for paragraph in PDF_PARAGRAPHS[:2]:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    pdf.add_page()
    pdf.image(page_image(LETTER[3:], Scan(dpi=200)), x=0, y=0, w=210, h=297)
    document = parse("mixed.pdf", bytes(pdf.output()))
    assert any("213.000 héc-ta" in text for text in texts(document))
    assert any("74 hồ chứa thủy lợi" in text for text in texts(document))


@pytest.mark.parametrize(("layer", "seen"), [
    # a phone scanner's stamp on each page: the pages counted as text, and only the stamp was read
    ("Scanned with CamScanner", True),
    # a copier's OCR in English, unseen under the scan: the report was quoted without accents
    ("Nam 2025, tong san pham tren dia ban tinh tang 8,2% so voi nam truoc, cao hon muc binh quan cua ca nuoc",
     False),
])
def test_a_scan_under_a_stamp_or_an_unaccented_text_layer_is_read_by_ocr(layer: str, seen: bool) -> None:
    from datetime import UTC, datetime

    from fpdf import FPDF
    from fpdf.enums import TextMode

    from tests.documents import FONT

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=8)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(datetime(2026, 1, 2, tzinfo=UTC))
    for part in (REPORT[:2], REPORT[2:4]):
        pdf.add_page()
        pdf.image(page_image(part, Scan(dpi=200)), x=0, y=0, w=210, h=297)
        pdf.text_mode = TextMode.FILL if seen else TextMode.INVISIBLE
        for row in range(1 if seen else 4):
            pdf.set_xy(10, 270 + row * 5)
            pdf.cell(0, 4, layer)
    document = parse("scan.pdf", bytes(pdf.output()))
    assert any("27.450 tỷ đồng" in text for text in texts(document)), texts(document)
    assert any("21.300 lao động" in text for text in texts(document)), texts(document)
    assert not any("tong san pham" in text or "CamScanner" in text for text in texts(document)), texts(document)
    assert document.date == ""  # the file was made the day it was scanned: not the report's date


def test_a_slides_few_words_over_its_background_are_its_text() -> None:
    from datetime import UTC, datetime

    from fpdf import FPDF

    from tests.documents import FONT

    pdf = FPDF(orientation="L")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(datetime(2025, 3, 1, tzinfo=UTC))
    pdf.add_page()
    pdf.image(Image.new("L", (1400, 990), 235), x=0, y=0, w=297, h=210)  # a pale background
    pdf.set_font("DejaVu", size=28)
    pdf.set_xy(20, 60)
    pdf.cell(0, 14, "Chương trình nông thôn mới")
    pdf.set_font("DejaVu", size=18)
    pdf.set_xy(20, 100)
    pdf.cell(0, 10, "Mục tiêu năm 2025: 80% số xã đạt chuẩn.")
    document = parse("slides.pdf", bytes(pdf.output()))
    # read by OCR as a stamp's page, it lost its date and "Mục tiêu" came out "lục tiêu"
    assert texts(document) == ["Mục tiêu năm 2025: 80% số xã đạt chuẩn."], texts(document)
    assert document.date == "2025-03-01"


def test_an_english_scan_keeps_its_english_text_layer() -> None:
    from fpdf import FPDF
    from fpdf.enums import TextMode

    from tests.documents import FONT

    said = ("The province recorded growth of 8.2 percent in 2025, higher than the national average, with "
            "industry and construction up 11.4 percent and services up 7.6 percent over the year.")
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=10)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    # the picture says otherwise, to tell which one was read
    pdf.image(page_image(("Exports reached 4.1 billion dollars, mostly textiles and furniture.",), Scan(dpi=150)),
              x=0, y=0, w=210, h=297)
    pdf.text_mode = TextMode.INVISIBLE
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 5, said)
    # English has no accents to miss: its layer is the text, not a copier's unaccented Vietnamese
    assert texts(parse("report.pdf", bytes(pdf.output()))) == [said]


def test_a_pdf_whose_font_has_no_character_map_is_read_by_ocr() -> None:
    import re

    from fpdf import FPDF

    from tests.documents import FONT

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for paragraph in LETTER[3:]:
        pdf.multi_cell(0, 7, paragraph)
        pdf.ln(4)
    # without its character map, the text layer gives glyph numbers: "(cid:1)(cid:2) ,.t/01t2345t…" was the
    # title and the passages, listed as added
    raw = re.sub(rb"/ToUnicode \d+ 0 R", b"", bytes(pdf.output()))
    read = " ".join(texts(parse("cong-van.pdf", raw)))
    assert "74 hồ chứa thủy lợi" in read and "12 tỷ đồng" in read and "cid:" not in read, read


def test_a_webp_picture_is_read_and_known_by_its_first_bytes_without_its_name() -> None:
    from retriever.collection import unnamed_kind

    out = io.BytesIO()
    page_image(LETTER[3:], Scan(dpi=200)).save(out, "WEBP", quality=90)
    # what a browser saves a picture as: it was refused as a type not read
    assert "74 hồ chứa thủy lợi" in " ".join(texts(parse("anh-chup.webp", out.getvalue())))
    assert unnamed_kind(out.getvalue()) == ".webp"


def test_a_screenshots_status_bar_is_neither_its_title_nor_a_paragraph() -> None:
    scan = Scan(dpi=200, jpeg_quality=None)
    document = parse("zalo.png", encoded(page_image(("10:45 4G 85%", *REPORT[:2]), scan), scan))
    # the screenshot was titled "10:45 4G 85%"
    assert "10:45" not in document.title and not any("10:45" in text for text in texts(document)), document
    assert any("27.450 tỷ đồng" in text for text in texts(document))


def test_a_sentence_tesseract_read_as_two_paragraphs_is_one() -> None:
    from retriever.ingest.layout import parse_lines
    from retriever.ingest.scans import scanned_lines

    said = [("THÔNG BÁO", 100), ("Điện lực thông báo tạm ngừng cung cấp điện từ 7 giờ", 200),
            ("30 đến 16 giờ 30 ngày 15 tháng 4 năm 2025 để bảo trì trạm biến áp.", 260),
            ("Khu vực mất điện gồm các tổ dân phố 12, 13 và 14", 400), ("1. Tổ dân phố 12 mất điện cả ngày.", 460),
            ("Kết quả thực hiện", 600), ("2.000 hộ dân đã được hỗ trợ xây nhà.", 700)]  # a blank line between
    page = ocr.OcrPage(0, 1240, 1754, 150.0, 90.0, tuple(
        ocr.OcrParagraph(text, 100.0, 1100.0, float(top), 1100.0, bottom=top + 40.0, height=40.0)
        for text, top in said))
    parsed = parse_lines([(842.0, scanned_lines(page, 11.0))], {}, "thong-bao")
    # it was quoted cut at "từ 7 giờ": the hours asked for were in the next paragraph
    assert [p.text for p in parsed.paragraphs] == [
        "Điện lực thông báo tạm ngừng cung cấp điện từ 7 giờ 30 đến 16 giờ 30 ngày 15 tháng 4 năm 2025 để bảo trì "
        "trạm biến áp.",
        "Khu vực mất điện gồm các tổ dân phố 12, 13 và 14",
        "1. Tổ dân phố 12 mất điện cả ngày.",
        "Kết quả thực hiện",  # over a blank line: a heading, not the start of the sentence below
        "2.000 hộ dân đã được hỗ trợ xây nhà.",
    ], parsed


def test_a_scanned_tables_rows_are_named_by_its_header() -> None:
    from PIL import ImageFont

    from tests.scans import FONT

    dpi = 300
    image = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.truetype(FONT, round(11 * dpi / 72))
    draw.text((270, 270), "Bảng 1. Kết quả tuyển sinh lớp 10 năm học 2025-2026 của các huyện", font=font, fill=0)
    rows = [("Huyện", "Số thí sinh", "Điểm chuẩn"), ("Thăng Bình", "3.250", "22,5"), ("Quế Sơn", "1.875", "19,75"),
            ("Đại Lộc", "2.940", "21,0")]
    for number, row in enumerate(rows):
        x, y = 270, 420 + number * 120
        for cell, width in zip(row, (660, 540, 540), strict=True):
            draw.rectangle((x, y, x + width, y + 120), outline=0, width=3)
            draw.text((x + 20, y + 25), cell, font=font, fill=0)
            x += width
    draw.text((270, 1000), "Điểm chuẩn vào lớp 10 của huyện Thăng Bình là cao nhất trong các huyện phía nam.",
              font=font, fill=0)
    read = texts(parse("bang.pdf", scanned_pdf([image], dpi)))
    # the header ran into the first row, and that row was quoted for any district's "điểm chuẩn"
    assert "Huyện: Quế Sơn; Số thí sinh: 1.875; Điểm chuẩn: 19,75" in read, read
    assert "Huyện: Thăng Bình; Số thí sinh: 3.250; Điểm chuẩn: 22,5" in read, read
    assert any(text.startswith("Điểm chuẩn vào lớp 10") for text in read), read


def test_a_scanned_tables_cells_wrapped_over_two_lines_stay_in_their_rows() -> None:
    from PIL import ImageFont

    from tests.scans import FONT

    dpi = 300
    image = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.truetype(FONT, round(11 * dpi / 72))
    draw.text((270, 270), "Lịch tiếp công dân của lãnh đạo huyện tháng 9 năm 2025", font=font, fill=0)
    # a cell's second line under its row: in the first column (the row's other cells one line), and in the last
    rows = [("Người tiếp", "Ngày", "Địa điểm"), (("Phó Chủ tịch", "UBND huyện"), "12/9/2025", "Hội trường xã"),
            ("Chủ tịch UBND", "19/9/2025", ("Trụ sở tiếp", "công dân")),
            ("Chánh Thanh tra", "26/9/2025", "Hội trường xã")]
    y = 420
    for row in rows:
        tall = max(len(cell) if isinstance(cell, tuple) else 1 for cell in row)
        x = 270
        for cell, width in zip(row, (620, 500, 620), strict=True):
            draw.rectangle((x, y, x + width, y + 60 + 70 * tall), outline=0, width=3)
            for k, part in enumerate(cell if isinstance(cell, tuple) else (cell,)):
                draw.text((x + 20, y + 25 + 70 * k), part, font=font, fill=0)
            x += width
        y += 60 + 70 * tall
    read = texts(parse("lich.pdf", scanned_pdf([image], dpi)))
    # the wrapped lines broke the table: its header was quoted alone, "UBND huyện" as a paragraph of its own,
    # and no row named its values by their columns
    assert read == ["Người tiếp: Phó Chủ tịch UBND huyện; Ngày: 12/9/2025; Địa điểm: Hội trường xã",
                    "Người tiếp: Chủ tịch UBND; Ngày: 19/9/2025; Địa điểm: Trụ sở tiếp công dân",
                    "Người tiếp: Chánh Thanh tra; Ngày: 26/9/2025; Địa điểm: Hội trường xã"], read


def picture() -> bytes:
    """A photo with shapes and colours and no writing."""
    rnd = random.Random(7)
    image = Image.new("RGB", (1600, 1200), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rnd.randrange(1600), rnd.randrange(1200)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.ellipse((x, y, x + rnd.randrange(20, 300), y + rnd.randrange(20, 300)), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (picture(), "ocr_nothing"),
        (encoded(page_image(LETTER, Scan(dpi=200, blur=6)), Scan(dpi=200)), "ocr_blurred"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "image_corrupt"),
    ],
    ids=["no text", "blurred", "broken"],
)
def test_images_that_cannot_be_read_are_refused_with_the_reason(raw: bytes, code: str) -> None:
    with pytest.raises(UnreadableInputError) as refused:
        parse("anh.jpg", raw)
    assert refused.value.code == code
    assert "BytesIO" not in str(refused.value)  # the reason in words, not the image library's


def test_a_scan_longer_than_the_page_limit_is_refused_before_any_page_is_read() -> None:
    pages = [page_image(("Trang trắng.",), Scan(dpi=100, header="", page_number=None))] * 4
    with pytest.raises(UnreadableInputError, match="4 pages without text, more than the limit of 3") as refused:
        parse("dai.pdf", scanned_pdf(pages, 100), ocr.OcrOptions(max_pages=3),
              progress=lambda done, total: pytest.fail("a page was read"))
    assert refused.value.details == {"count": 4, "limit": 3}


def test_each_page_is_bounded_in_time_and_pixels() -> None:
    scan = Scan(dpi=300)
    raw = encoded(page_image(LETTER, scan), scan)
    with pytest.raises(UnreadableInputError) as refused:
        parse("cham.jpg", raw, ocr.OcrOptions(page_seconds=0.01))
    assert refused.value.code == "ocr_failed" and "timed out" in str(refused.value)
    # a page over the pixel budget is shrunk before Tesseract sees it, and still read
    small = parse("nho.jpg", raw, ocr.OcrOptions(max_pixels=3_000_000))
    assert character_accuracy("\n".join(texts(small)), "\n".join(LETTER)) >= 0.95


def test_an_upload_is_read_once_and_its_report_names_doubtful_pages(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    pages = [page_image(LETTER[:2], Scan(dpi=200, page_number=1)),
             page_image(LETTER[2:4], Scan(dpi=200, page_number=2, blur=3.4)),
             page_image(LETTER[4:], Scan(dpi=200, page_number=3, blur=5))]
    raw = scanned_pdf(pages, 200)
    [added], rejected = store_upload(data, "cong van.pdf", raw)
    assert not rejected and added.ocr is not None
    # the slightly blurred page is kept and named; the unreadable one is named and left out
    assert added.ocr.pages == 3 and added.ocr.doubtful == (2,) and added.ocr.unread == (3,)
    assert not any("12 tỷ đồng" in p.text for p in added.documents[0].paragraphs)
    assert ocr_cache.read_by_ocr(data, added.relative)
    # the build that follows, and every later one, takes the kept text instead of reading the scan again
    monkeypatch.setattr(ocr, "read_images", lambda *args, **kwargs: pytest.fail("the scan was read again"))
    document = parse(added.relative, raw, data_dir=data)
    assert texts(document) == [p.text for p in added.documents[0].paragraphs]
    remove_file(data, added.relative)
    assert not ocr_cache.read_by_ocr(data, added.relative)


def test_a_notice_photographed_in_dim_light_is_read() -> None:
    from PIL import ImageEnhance

    page = page_image(LETTER, Scan(dpi=200, header="", page_number=None)).convert("RGB")
    dim = ImageEnhance.Contrast(ImageEnhance.Brightness(page).enhance(0.45)).enhance(0.6)  # paper at ~120-137
    out = io.BytesIO()
    dim.save(out, "JPEG", quality=85)
    # it was refused as "no text": the whole grey page counted as ink, and a needless turn lost every line
    document = parse("thong-bao.jpg", out.getvalue())
    assert character_accuracy(" ".join(texts(document)), " ".join(LETTER)) > 0.9


def test_a_phone_photo_taken_eight_degrees_crooked_is_straightened_and_read() -> None:
    page = page_image(LETTER, Scan(dpi=200, header="", page_number=None)).convert("RGB")
    crooked = page.rotate(8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(90, 80, 70))  # the table
    out = io.BytesIO()
    crooked.save(out, "JPEG", quality=85)
    # refused as "no text": straightening stopped at 5°, and the dark corners were measured as rows of ink
    document = parse("cong-van.jpg", out.getvalue())
    assert character_accuracy(" ".join(texts(document)), " ".join(LETTER)) > 0.9
