"""A report typed in Word's body style: justified, each paragraph's first line set in, no space between
paragraphs. The indent is what tells them apart."""

from __future__ import annotations

from pathlib import Path

from retriever.ingest.files import parse_source, read_source
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
        wrapped, line = [], ""
        for word in words:
            room = WIDTH - (INDENT if not wrapped else 0)
            if line and pdf.get_string_width(f"{line} {word}") > room:
                wrapped.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return [*wrapped, line]

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
