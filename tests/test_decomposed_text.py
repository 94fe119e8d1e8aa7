"""Vietnamese typed decomposed (Unikey's "Unicode tổ hợp", macOS): a letter and its marks as separate
characters. Read from a Word file or a PDF's text layer as they were, such paragraphs matched no question
typed composed ("không tìm thấy"), and no date pattern read them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
from fpdf import FPDF

from retriever.ingest.files import parse_source, read_source
from tests.documents import FONT

TITLE = "Thông báo tiêm chủng mùa hè"
NOTICE = "Sở Y tế thông báo hạn đăng ký tiêm qua Sổ sức khỏe điện tử là ngày 30 tháng 4."
DATELINE = "Ngày 15/4/2025"


def decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _parsed(path: Path) -> tuple[str, str, list[str]]:
    [document] = parse_source(read_source(path, path.parent))
    return document.title, document.date, [paragraph.text for paragraph in document.paragraphs]


def test_a_word_file_typed_decomposed_is_read_composed(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading(decomposed(TITLE), level=1)
    document.add_paragraph(decomposed(DATELINE))
    document.add_paragraph(decomposed(NOTICE))
    document.save(tmp_path / "thong-bao.docx")
    assert _parsed(tmp_path / "thong-bao.docx") == (TITLE, "2025-04-15", [NOTICE])


def test_a_pdf_text_layer_typed_decomposed_is_read_composed(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, TITLE)
    pdf.text(10, 30, decomposed(DATELINE))
    pdf.text(10, 40, decomposed(NOTICE[:40].rsplit(" ", 1)[0]))  # fpdf cannot wrap decomposed text itself
    pdf.text(10, 46, decomposed(NOTICE[:40].rsplit(" ", 1)[1] + NOTICE[40:]))
    (tmp_path / "thong-bao.pdf").write_bytes(bytes(pdf.output()))
    title, date, paragraphs = _parsed(tmp_path / "thong-bao.pdf")
    assert (title, date) == (TITLE, "2025-04-15")
    assert paragraphs == [NOTICE]
