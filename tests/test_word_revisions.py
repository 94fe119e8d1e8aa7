"""Word files as offices send them: with tracked changes not yet accepted, and with paragraphs inside
content controls (forms, templates). The reader is quoted what Word shows with the changes accepted."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from retriever.ingest.files import parse_source, read_source

TITLE = "Nghệ An tuyển sinh lớp 10 năm học 2025-2026"
KEPT = "Năm học 2025-2026, toàn tỉnh dự kiến tuyển 38.500 học sinh vào lớp 10 công lập, tăng 1.200 chỉ tiêu."
INSERTED = "nhất, nhì, ba "
FEE = "Lệ phí đăng ký dự thi là 150.000 đồng mỗi thí sinh, nộp tại trường THCS nơi học sinh đang học."


def _tracked(paragraph, kind: str, text: str, *, before: bool = False) -> None:
    """A run of `text` inside a tracked insertion (`w:ins`) or deletion (`w:del`, its text in `w:delText`)."""
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), str(len(paragraph._p)))
    change.set(qn("w:author"), "Phòng Khảo thí")
    run = OxmlElement("w:r")
    node = OxmlElement("w:t" if kind == "ins" else "w:delText")
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(node)
    change.append(run)
    paragraph._p.append(change)


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(KEPT)
    changed = document.add_paragraph("Học sinh đạt giải ")
    _tracked(changed, "ins", INSERTED)
    _tracked(changed, "del", "khuyến khích ")
    changed.add_run("trong kỳ thi học sinh giỏi cấp tỉnh lớp 9 được tuyển thẳng vào lớp 10.")
    # the fee's paragraph in a content control, as a form template holds it
    fee = document.add_paragraph(FEE)
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    fee._p.addprevious(control)
    content.append(copy.deepcopy(fee._p))
    control.append(content)
    fee._p.getparent().remove(fee._p)
    document.save(path)
    return path


def test_tracked_insertions_are_read_deletions_are_not_and_content_controls_are_read(tmp_path: Path) -> None:
    path = word_file(tmp_path / "tuyen-sinh.docx")
    [read] = parse_source(read_source(path, tmp_path))
    assert read.title == TITLE
    assert [p.text for p in read.paragraphs] == [
        KEPT,
        "Học sinh đạt giải nhất, nhì, ba trong kỳ thi học sinh giỏi cấp tỉnh lớp 9 được tuyển thẳng vào lớp 10.",
        FEE,
    ]
