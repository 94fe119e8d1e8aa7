"""Footnote marks in what admins add: a note's number glued to a figure changes the figure quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.ingest.files import parse_source, read_source
from retriever.ingest.marks import shown_mark

NOTED_PAGE = """<html><head><meta charset="utf-8"><title>Dân số Việt Nam năm 2025</title></head><body><article>
<h1>Dân số Việt Nam năm 2025</h1>
<p>Dân số Việt Nam ước đạt 101,3 triệu người vào cuối năm 2025<sup>1</sup>, tăng 0,98% so với năm
2024<sup>[2]</sup>.</p>
<p>Tỷ số giới tính khi sinh là 111,4 bé trai trên 100 bé gái<sup><a href="#fn3">3</a></sup>, vẫn ở mức cao.</p>
<ol class="footnotes"><li id="fn1">Số liệu ước tính của Cục Thống kê.</li><li id="fn2">Theo Niên giám thống
kê.</li><li id="fn3">Tính trên trẻ sinh ra trong năm.</li></ol>
</article></body></html>"""


TEXT = ["Dân số Việt Nam ước đạt 101,3 triệu người vào cuối năm 2025, tăng 0,98% so với năm 2024.",
        "Tỷ số giới tính khi sinh là 111,4 bé trai trên 100 bé gái, vẫn ở mức cao."]
NOTES = ["Số liệu ước tính của Cục Thống kê.", "Theo Niên giám thống kê.", "Tính trên trẻ sinh ra trong năm."]


def test_a_pages_footnote_marks_are_not_quoted_and_its_notes_come_after_the_text(tmp_path: Path) -> None:
    (tmp_path / "dan-so.html").write_text(NOTED_PAGE, "utf-8")
    [document] = parse_source(read_source(tmp_path / "dan-so.html", tmp_path))
    # as a Word file's footnotes are: a note says what a figure counts
    assert [p.text for p in document.paragraphs] == [*TEXT, *NOTES]
    assert document.source == ""  # a note ("Theo Niên giám thống kê.") is not the article's source


@pytest.mark.parametrize("notes", [
    # as Markdown and WordPress render them: each with a link back up to its mark
    '<div class="footnotes"><hr><ol>' + "".join(
        f'<li id="fn:{n}"><p>{note}&nbsp;<a href="#fnref:{n}" class="reversefootnote">&#8617;</a></p></li>'
        for n, note in enumerate(NOTES, 1)) + "</ol></div>",
    # the article's own footer, each note opening with its number
    "<footer>" + "".join(f"<p>[{n}] {note}</p>" for n, note in enumerate(NOTES, 1)) + "</footer>",
    '<aside class="footnote">' + "".join(f"<p>({n}) {note}</p>" for n, note in enumerate(NOTES, 1)) + "</aside>",
], ids=["numbered list with links back", "footer", "aside"])
def test_a_pages_notes_however_laid_out_are_read_after_its_text(tmp_path: Path, notes: str) -> None:
    start, end = NOTED_PAGE.index('<ol class="footnotes">'), NOTED_PAGE.index("</article>")
    (tmp_path / "dan-so.html").write_text(NOTED_PAGE[:start] + notes + NOTED_PAGE[end:], "utf-8")
    [document] = parse_source(read_source(tmp_path / "dan-so.html", tmp_path))
    assert [p.text for p in document.paragraphs] == [*TEXT, *NOTES]


def test_a_pages_references_that_are_links_elsewhere_are_not_quoted(tmp_path: Path) -> None:
    references = ('<section class="references"><ol><li><a href="https://gso.gov.vn/nien-giam">Niên giám thống kê '
                  '2024</a></li><li>https://gso.gov.vn/dan-so-2025</li></ol></section>')
    start, end = NOTED_PAGE.index('<ol class="footnotes">'), NOTED_PAGE.index("</article>")
    (tmp_path / "dan-so.html").write_text(NOTED_PAGE[:start] + references + NOTED_PAGE[end:], "utf-8")
    [document] = parse_source(read_source(tmp_path / "dan-so.html", tmp_path))
    assert [p.text for p in document.paragraphs] == TEXT


def test_note_numbers_typed_in_brackets_are_not_quoted_with_the_figures_they_follow(tmp_path: Path) -> None:
    """A page pasted from Word or Wikipedia types its marks in the text ("năm 2024[2]"), not in a `<sup>`."""
    typed = NOTED_PAGE.replace("<sup>1</sup>", "[1]").replace("<sup>[2]</sup>", "[2][3]")
    start, end = typed.index('<ol class="footnotes">'), typed.index("</article>")
    notes = "".join(f"<p>[{n}] {note}</p>" for n, note in enumerate(NOTES, 1))
    (tmp_path / "dan-so.html").write_text(typed[:start] + notes + typed[end:], "utf-8")
    [document] = parse_source(read_source(tmp_path / "dan-so.html", tmp_path))
    # each note keeps its number, which says which figure it speaks of
    assert [p.text for p in document.paragraphs] == [*TEXT, *(f"[{n}] {note}" for n, note in enumerate(NOTES, 1))]


@pytest.mark.parametrize(("mark", "before", "shown"), [
    ("2", "16.490 km", "²"), ("3", "1.200 m", "³"), ("6", "khoảng 10", "⁶"), ("-3", "10", "⁻³"),
    ("st", "xếp thứ 1", "st"), ("1", "năm 2025", ""), ("a", "Hà Nội", ""), ("[12]", "dân số", ""),
    ("*", "giá", ""), ("2", "Quyết định số 12", ""), ("TM", "Zalo", "TM"),
    # formulas: after a bracket, a symbol, a unit with a slash
    ("2", "g = 9,8 m/s", "²"), ("2", "E = mc", "²"), ("2", "(a + b)", "²"), ("2", "25 hm", "²"),
    ("n", "x", "ⁿ"), ("3", "mỗi tấn", ""), ("10", "2", "¹⁰"), ("x", "e", "^x"),
    # an acronym or a number of two digits and more is followed by a note, not a power
    ("1", "WHO", ""), ("1", "tỷ USD", ""), ("1", "năm 2025", ""),
])
def test_a_superscript_keeps_a_power_or_an_ordinal_and_drops_a_notes_number(mark: str, before: str,
                                                                             shown: str) -> None:
    assert shown_mark(mark, before, linked=False) == shown


def _noted_pdf(path: Path) -> Path:
    """A report's paragraph with raised note numbers after a year, a percentage and a word, and a power."""
    from tests.page_layouts import _headlined_page

    pdf = _headlined_page("Kim ngạch xuất khẩu gạo năm 2025 lập kỷ lục", 11)
    x, y = 10.0, 40.0
    for piece, raised in (("Trong năm 2025", "1"), (" Việt Nam xuất khẩu 8,9 triệu tấn gạo, tăng 12%", "2"),
                          (" về giá trị; kho mới rộng 5.000 m", "2"), (", giá bình quân 640 USD mỗi tấn", "3"),
                          (", cao nhất mười năm.", "")):
        pdf.set_font("DejaVu", size=11)
        pdf.text(x, y, piece)
        x += pdf.get_string_width(piece)
        if raised:
            pdf.set_font("DejaVu", size=7)
            pdf.text(x, y - 1.3, raised)
            x += pdf.get_string_width(raised)
    pdf.set_font("DejaVu", size=8)
    pdf.text(10, 270, "1 Số liệu ước tính, công bố ngày 31/12/2025.")
    pdf.output(str(path))
    return path


def test_a_pdfs_raised_note_numbers_are_not_read_into_its_figures(tmp_path: Path) -> None:
    path = _noted_pdf(tmp_path / "gao.pdf")
    [document] = parse_source(read_source(path, tmp_path))
    assert document.paragraphs[0].text == (
        "Trong năm 2025 Việt Nam xuất khẩu 8,9 triệu tấn gạo, tăng 12% về giá trị; kho mới rộng 5.000 m², giá "
        "bình quân 640 USD mỗi tấn, cao nhất mười năm."
    )


def test_an_article_in_an_element_named_for_its_notes_is_still_read(tmp_path: Path) -> None:
    """A wrapper whose class mentions notes ("has-footnotes") holds the article, not a list of notes."""
    page = NOTED_PAGE.replace("<article>", '<article class="post has-footnotes" id="main-refs">')
    (tmp_path / "dan-so.html").write_text(page.replace('<ol class="footnotes">', '<ol class="footnotes-list">'),
                                          "utf-8")
    [document] = parse_source(read_source(tmp_path / "dan-so.html", tmp_path))
    assert document.paragraphs[0].text.startswith("Dân số Việt Nam ước đạt 101,3 triệu người")
