"""Vietnamese typed in a font of before Unicode (TCVN3, VNI): refused with how to convert it, not indexed
as "LÞch c¾t ®iÖn" and listed with a ✅."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from bot.admins.jobs import reason
from retriever.errors import UnreadableInputError
from retriever.ingest.files import parse_source, read_source
from retriever.ingest.legacy import legacy_font

TCVN3 = "LÞch c¾t ®iÖn t¹i huyÖn §«ng Anh. §iÖn lùc §«ng Anh th«ng b¸o t¹m ngõng cung cÊp ®iÖn tõ 7 giê."
VNI = "Thaønh phoá Haø Noäi coù 30 quaän huyeän vaø thò xaõ, daân soá hôn taùm trieäu ngöôøi."


@pytest.mark.parametrize(("text", "font"), [
    (TCVN3, "TCVN3"), (VNI, "VNI"),
    ("Lịch cắt điện tại huyện Đông Anh © 2026 ® Điện lực", ""),
    ("Où est la gare? Le café à côté de l'hôtel est très bon, une idée naïve, en août.", ""),
    ("Jeg kører før dig, og vi ses på søndag i København ved søen hvor børnene leger.", ""),
    ("Mix ½ cup sugar, ¾ cup flour and ¼ tsp salt · bake 20 min · £4 a slice · «Bonjour» · Zalo® · © 2026", ""),
    ("La col·lecció té il·lustres obres del col·legi, la cel·la i les paral·leles, una al·lusió clara.", ""),
])
def test_a_legacy_font_is_told_from_unicode_and_western_text(text: str, font: str) -> None:
    assert legacy_font(text) == font


def test_a_word_file_in_tcvn3_is_refused_with_how_to_convert_it(tmp_path: Path) -> None:
    document = Document()
    document.add_heading("LÞch c¾t ®iÖn t¹i huyÖn §«ng Anh", 1)
    document.add_paragraph(TCVN3)
    document.save(str(tmp_path / "cat-dien.docx"))
    with pytest.raises(UnreadableInputError) as refused:
        parse_source(read_source(tmp_path / "cat-dien.docx", tmp_path))
    assert "TCVN3 → Unicode" in reason("vi", refused.value) and "Unikey" in reason("en", refused.value)


def test_a_text_file_in_tcvn3_is_not_told_to_be_saved_as_utf8(tmp_path: Path) -> None:
    (tmp_path / "cat-dien.txt").write_bytes(TCVN3.encode("latin-1"))
    with pytest.raises(UnreadableInputError) as refused:
        parse_source(read_source(tmp_path / "cat-dien.txt", tmp_path))
    assert refused.value.code == "legacy_font"
