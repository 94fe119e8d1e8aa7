"""Reports as offices print them: Word's body style (justified, each paragraph's first line set in, no space
between paragraphs: the indent tells them apart), a photo of such a page, a table running over pages."""

from __future__ import annotations

from pathlib import Path

from retriever.ingest.files import parse_source, read_source
from tests.journal_pages import _wrapped
from tests.page_layouts import _headlined_page

OPENINGS = [
    "Trong quý I năm 2026, Sở Giáo dục và Đào tạo đã tổ chức thành công kỳ thi chọn học sinh giỏi cấp tỉnh "
    "với 2.450 thí sinh dự thi, trong đó 1.186 em đạt giải",
    "Ngành đã hoàn thành việc sáp nhập 14 trường tiểu học và trung học cơ sở có quy mô nhỏ thành 7 trường "
    "liên cấp, giảm 63 điểm trường lẻ ở các xã vùng cao",
    "Tuy nhiên, tình trạng thiếu giáo viên vẫn diễn ra ở một số địa phương: toàn tỉnh còn thiếu 412 giáo "
    "viên, tập trung ở các môn tin học và ngoại ngữ",
]
MORE = "của tỉnh theo kế hoạch năm học đã được phê duyệt và triển khai đồng bộ ở tất cả các huyện thị".split()
SIZE, INDENT, LEFT, WIDTH = 13, 12.7, 10.0, 190.0  # points; millimetres


def test_paragraphs_told_apart_by_their_first_line_indent(tmp_path: Path) -> None:
    pdf = _headlined_page("Báo cáo kết quả thực hiện nhiệm vụ quý I năm 2026", body_size=SIZE)

    def lines(words: list[str]) -> list[str]:
        return _wrapped(pdf, " ".join(words), WIDTH, first=WIDTH - INDENT)

    paragraphs = []
    for opening in OPENINGS:
        # words added until the last line runs to the margin, as a justified paragraph's last line may
        words, extra = opening.split(), iter(MORE)
        while pdf.get_string_width(lines(words)[-1]) < WIDTH * 0.92 or len(lines(words)) < 2:
            words.append(next(extra))
        paragraphs.append(lines([*words[:-1], words[-1] + "."]))
    y = pdf.get_y() + 4
    for paragraph in paragraphs:
        for number, line in enumerate(paragraph):
            pdf.text(LEFT + (INDENT if number == 0 else 0), y, line)
            y += SIZE * 0.3528 * 1.15  # one line, in millimetres: no space between paragraphs
    pdf.output(str(tmp_path / "bao-cao.pdf"))
    [document] = parse_source(read_source(tmp_path / "bao-cao.pdf", tmp_path))
    # each paragraph's last line reaches the margin: they were run into one another
    assert [p.text for p in document.paragraphs] == [" ".join(paragraph) for paragraph in paragraphs]


def test_a_photo_of_a_justified_page_keeps_its_numbers_whole(tmp_path: Path) -> None:
    import pypdfium2

    from retriever.ingest import ocr

    if not ocr.available():
        import pytest

        pytest.skip("Tesseract is not installed (.ci/run installs it)")
    said = [
        "Trong quý I năm 2026, Sở Giáo dục và Đào tạo đã tổ chức thành công kỳ thi chọn học sinh giỏi cấp tỉnh với "
        "3.250 thí sinh dự thi ở 12 môn; có 1.104 thí sinh đạt giải, chiếm tỷ lệ 34%.",
        "Công tác tuyển sinh lớp 10 năm học 2026-2027 được chuẩn bị từ sớm; dự kiến toàn tỉnh tuyển 18.600 học sinh "
        "vào các trường trung học phổ thông công lập, tăng 900 chỉ tiêu so với năm trước.",
        "Tỷ lệ giáo viên đạt chuẩn trình độ đào tạo theo Luật Giáo dục 2019 đạt 92,4% ở bậc tiểu học và 96,1% ở bậc "
        "trung học cơ sở.",
    ]
    pdf = _headlined_page("Báo cáo kết quả thực hiện nhiệm vụ quý I năm 2026", body_size=SIZE)
    pdf.set_margins(30, 20, 20)  # an A4 report's: where the lines break decides where justifying spaces them
    pdf.set_x(30)
    with pdf.text_columns(text_align="J", line_height=1.0) as columns:
        for paragraph in said:
            with columns.paragraph(first_line_indent=INDENT, bottom_margin=0) as typed:
                typed.write(paragraph)
    page = pypdfium2.PdfDocument(bytes(pdf.output()))[0].render(scale=300 / 72).to_pil().convert("L")
    page.save(tmp_path / "anh-chup.png", dpi=(300, 300))
    [document] = parse_source(read_source(tmp_path / "anh-chup.png", tmp_path))
    text = " ".join(p.text for p in document.paragraphs)
    # Tesseract cut them at their own marks where justifying spaced the line: "3. 250", "96, 1%", "2026- 2027"
    assert all(number in text for number in ("3.250", "1.104", "2026-2027", "96,1%")), text


def test_a_table_running_over_a_page_keeps_every_row_and_the_text_after_it(tmp_path: Path) -> None:
    pdf = _headlined_page("Danh sách trường đạt chuẩn quốc gia năm 2025", body_size=11)
    pdf.set_xy(pdf.l_margin, pdf.get_y() + 8)
    pdf.multi_cell(0, 6, "Sở Giáo dục và Đào tạo công bố danh sách các trường đạt chuẩn quốc gia trong năm 2025.",
                   new_x="LMARGIN", new_y="NEXT")
    with pdf.table() as table:
        for cells in [("STT", "Tên trường", "Huyện", "Mức chuẩn"), *[
                (str(i), f"Trường Tiểu học số {i}", ("Hải Hậu", "Giao Thủy", "Nghĩa Hưng")[i % 3], f"Mức {1 + i % 2}")
                for i in range(1, 46)]]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    after = "Các trường trên được công nhận trong thời hạn 5 năm kể từ ngày ký quyết định."
    pdf.multi_cell(0, 6, after, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "danh-sach.pdf"))
    [document] = parse_source(read_source(tmp_path / "danh-sach.pdf", tmp_path))
    texts = [p.text for p in document.paragraphs]
    rows = [text for text in texts if text.startswith("STT: ")]
    # the next page's rows, alike but for their numbers, were dropped as a running header, and the last row on
    # a page was run into the text after it
    assert [row.split(";")[0] for row in rows] == [f"STT: {i}" for i in range(1, 46)]
    assert rows[-1] == "STT: 45; Tên trường: Trường Tiểu học số 45; Huyện: Hải Hậu; Mức chuẩn: Mức 2"
    assert texts[-1] == after


def test_a_newsletter_in_two_columns_under_its_masthead_is_read_column_by_column(tmp_path: Path) -> None:
    from tests.page_layouts import TWO_COLUMNS, write_two_columns

    headline = ("Cảng Cái Mép - Thị Vải đón tàu container lớn nhất thế giới, mở ra cơ hội mới cho các tuyến vận tải "
                "biển trực tiếp từ Việt Nam đi châu Âu và châu Mỹ")
    pdf = _headlined_page("BẢN TIN CẢNG BIỂN VIỆT NAM", body_size=10)
    pdf.set_xy(pdf.l_margin, pdf.get_y() + 2)
    pdf.multi_cell(0, 5, "Số 03 (145) - Tháng 4/2025 - Cơ quan của Hiệp hội Cảng biển", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", style="B", size=13)
    pdf.multi_cell(0, 7, headline, new_x="LMARGIN", new_y="NEXT")  # two lines across the page
    pdf.set_font("DejaVu", size=10)
    write_two_columns(pdf)
    pdf.output(str(tmp_path / "ban-tin.pdf"))
    [document] = parse_source(read_source(tmp_path / "ban-tin.pdf", tmp_path))
    # the lines across the top were more than a page's spanning lines may be: the columns were read across
    assert [p.text for p in document.paragraphs][-4:] == [*TWO_COLUMNS[0], *TWO_COLUMNS[1]]


def test_a_numbered_list_in_words_hanging_indent_keeps_each_item_whole(tmp_path: Path) -> None:
    pdf = _headlined_page("Thông báo tuyển sinh lớp 10 năm học 2026-2027", body_size=SIZE)
    items = [("Thời gian nhận hồ sơ: từ ngày 2 tháng 6 đến hết ngày 12 tháng 6 năm 2026.",
              "Hồ sơ nộp trực tiếp tại phòng Giáo vụ trong giờ hành chính, kể cả sáng thứ Bảy."),
             ("Học sinh có hộ khẩu thường trú tại TP. Hồ Chí Minh được cộng điểm ưu tiên TP.",
              "Hồ Chí Minh quy định tại Quyết định số 12/QĐ-UBND của Ủy ban nhân dân thành phố.")]
    y, step = pdf.get_y() + 6, SIZE * 0.3528 * 1.15
    for number, (first, wrapped) in enumerate(items, start=1):
        # the number at 6.35 mm, the text at 12.7 mm on every line: Word's default list
        pdf.text(LEFT + 6.35, y, f"{number}.")
        pdf.text(LEFT + INDENT, y, first)
        pdf.text(LEFT + INDENT, y + step, wrapped)
        y += 2 * step
    pdf.output(str(tmp_path / "tuyen-sinh.pdf"))
    [document] = parse_source(read_source(tmp_path / "tuyen-sinh.pdf", tmp_path))
    # the wrapped line, set in from the number, was read as a paragraph's indented first line
    assert [p.text for p in document.paragraphs] == [f"{n}. {a} {b}" for n, (a, b) in enumerate(items, start=1)]


def test_a_header_table_printed_on_every_page_is_no_passage_and_cuts_no_paragraph(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.documents import FONT, FONT_BOLD, _fonts

    class Procedure(FPDF):
        def header(self) -> None:  # an ISO procedure's framed header, with its page number
            self.set_font("DejaVu", size=9)
            with self.table(col_widths=(60, 70, 60)) as table:
                for cells in (("TRƯỜNG ĐẠI HỌC NAM ĐỊNH", "QUY TRÌNH TIẾP NHẬN HỒ SƠ", "Mã số: QT-ĐT-01"),
                              ("Phòng Đào tạo", "Lần ban hành: 02", f"Trang: {self.page_no()}/3")):
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
            self.ln(4)
            self.set_font("DejaVu", size=12)

    _fonts()
    pdf = Procedure(format="A4")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.add_page()
    steps = [f"Bước {i}. Cán bộ tiếp nhận kiểm tra thành phần hồ sơ của thí sinh theo danh mục quy định, đối chiếu bản "
             "chính với bản sao, ghi nhận vào sổ theo dõi và hướng dẫn thí sinh bổ sung giấy tờ còn thiếu trong thời "
             "hạn năm ngày làm việc kể từ ngày nộp; trường hợp hồ sơ hợp lệ, cán bộ cấp giấy biên nhận có ghi ngày "
             f"hẹn trả kết quả và chuyển hồ sơ cho bộ phận xử lý số {i}." for i in range(1, 13)]
    for step in steps:
        pdf.multi_cell(0, 6, step, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(tmp_path / "quy-trinh.pdf"))
    [document] = parse_source(read_source(tmp_path / "quy-trinh.pdf", tmp_path))
    assert pdf.page_no() > 1 and [p.text for p in document.paragraphs] == steps


def test_a_headline_of_one_word_and_a_number_is_the_title(tmp_path: Path) -> None:
    for headline in ("Tết 2025", "COVID-19", "Điều 5"):
        pdf = _headlined_page(headline, body_size=11)
        pdf.set_xy(10, 40)
        pdf.multi_cell(0, 6, OPENINGS[0] + ".")
        pdf.output(str(tmp_path / "bai.pdf"))
        [document] = parse_source(read_source(tmp_path / "bai.pdf", tmp_path))
        # a line without a word (a status bar) names nothing, but these do
        assert document.title == headline, document.title
