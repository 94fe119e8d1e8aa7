"""Paragraphs under their section headings, as every format's reader finds them."""

from __future__ import annotations

import re
from dataclasses import replace

from retriever.models import Paragraph
from retriever.text import word_count

# a line that labels a section by the document's own structure, as regulations, plans and reports are
# laid out in plain text, scans and Word files without heading styles: "Chương II", "Điều 12. Cảnh báo học
# tập", "Mục 3. Học phí", "II. NHIỆM VỤ CỤ THỂ", "2.1. Đăng ký học phần", or a short line in capitals
# ("QUY ĐỊNH CHUNG"). A plain "1." is left out: a numbered list's items ("1. Bản sao giấy khai sinh") have
# the same shape. Never a sentence: no closing punctuation
_LABELLED = re.compile(r"^(?:chương|phần|mục|điều|tiết|phụ lục)\s+(?:\d{1,3}|[IVXLC]{1,6})\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?:[IVXLC]{1,6}[.)]|\d{1,2}(?:\.\d{1,2})+\.?)\s+\w")
_CLOSED = re.compile(r"[.!?…;,]$")
LABEL_MAX_WORDS = 20


def is_section_label(line: str) -> bool:
    if _CLOSED.search(line) or word_count(line) > LABEL_MAX_WORDS:
        return False
    if _LABELLED.match(line) or _NUMBERED.match(line):
        return True
    letters = [ch for ch in line if ch.isalpha()]
    capitals = len(letters) >= 6 and all(ch.isupper() for ch in letters)
    return capitals and word_count(line) >= 2 and not line.endswith(":")


class Sections:
    """A document's paragraphs with the section heading or FAQ question each sits under ("Điều 12. Cảnh báo
    học tập", "Trường có học bổng không?"): every format's reader feeds it in document order. Quoted alone, a
    heading answered nothing ("Điều 7. Điều kiện tốt nghiệp" first at 1.00, an FAQ's question quoted as its own
    answer); as the context of the paragraphs under it, it finds the ones that answer it. One with no paragraph
    under it (a rhetorical question, a chapter's heading right above an article's, "Phụ lục" at the end) is text
    the document says, kept as a paragraph where it stands, however short. `seen`: texts already kept, not
    kept twice."""

    def __init__(self, seen: set[str] | None = None) -> None:
        self.paragraphs: list[Paragraph] = []
        self.heading = ""
        self.waiting = False  # the heading has no paragraph under it yet
        self.keep = True  # ... and is kept as text if none comes
        self._seen = seen

    def open(self, heading: str, keep: bool = True) -> None:
        """`keep`: the heading stays as text when no paragraph comes under it."""
        self.close()
        self.heading, self.waiting, self.keep = heading, True, keep

    def add(self, paragraph: Paragraph) -> None:
        """`paragraph`, under the open heading unless it is a teaser (another article's, not the section's)."""
        self.paragraphs.append(paragraph if paragraph.teaser else replace(paragraph, heading=self.heading))
        self.waiting = self.waiting and paragraph.teaser

    def close(self) -> None:
        if self.waiting and self.keep and (self._seen is None or self.heading not in self._seen):
            if self._seen is not None:
                self._seen.add(self.heading)
            self.paragraphs.append(Paragraph(self.heading))
        self.waiting = False
