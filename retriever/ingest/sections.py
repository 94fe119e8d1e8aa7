"""Paragraphs under their section headings, as every format's reader finds them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from retriever.models import Paragraph
from retriever.text import word_count

# a line that labels a section by the document's own structure, as regulations, plans and reports are
# laid out in plain text, scans and Word files without heading styles: "Chương II", "Điều 12. Cảnh báo học
# tập", "Mục 3. Học phí", "II. NHIỆM VỤ CỤ THỂ", "2.1. Đăng ký học phần", "1. THỜI GIAN NGHỈ". A plain "1."
# in sentence case is left out, as a numbered list's items have that shape ("1. Bản sao giấy khai sinh"), and
# so is a line in capitals alone: in news and letters it is as often a byline ("NGUYỄN VĂN AN"), a place, the
# issuing authority or a fact set in capitals. Never a sentence: no closing punctuation
_LABELLED = re.compile(r"^(?:chương|phần|mục|điều|tiết|phụ lục)\s+(?:\d{1,3}|[IVXLC]{1,6})\b", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVXLC]{1,6}[.)]\s+\w")
# "2.1. Đăng ký" or "2.1 Đăng ký", not "3.5 triệu đồng" (a decimal) nor "2.300 km" (thousands)
_LEVELS = re.compile(r"^\d{1,2}(?:\.\d{1,2})+(\.?)\s+(\w)")
_NUMBER = re.compile(r"^\d{1,2}[.)]\s+")
_CLOSED = re.compile(r"[.!?…;,]$")
LABEL_MAX_WORDS = 20
BOLD_HEADING_WORDS = 15  # a bold line over text heads it when this short; a longer one is emphasis
T = TypeVar("T")


def in_capitals(text: str, letters: int = 6) -> bool:
    """All its letters capitals, at least `letters` of them."""
    found = [ch for ch in text if ch.isalpha()]
    return len(found) >= letters and all(ch.isupper() for ch in found)


def is_section_label(line: str) -> bool:
    if _CLOSED.search(line) or word_count(line) > LABEL_MAX_WORDS:
        return False
    if _LABELLED.match(line) or _ROMAN.match(line):
        return True
    if levels := _LEVELS.match(line):
        return bool(levels.group(1)) or levels.group(2).isupper()
    numbered = _NUMBER.match(line)
    return numbered is not None and in_capitals(line[numbered.end():], 3)


_BARE = re.compile(r"^(?:chương|phần|mục)\s+(?:\d{1,3}|[IVXLC]{1,6})[.:]?$", re.IGNORECASE)


def joined_label(label: str, line: str) -> str:
    """"Chương I" on a line of its own and its name in capitals on the next ("QUY ĐỊNH CHUNG"): one heading,
    "Chương I. QUY ĐỊNH CHUNG" (the name alone was dropped as too short to be text); "" otherwise."""
    if _BARE.match(label) and in_capitals(line, 3) and not _CLOSED.search(line):
        return f"{label.rstrip('.:')}. {line}"
    return ""


def join_bare_labels(items: list[T], text: Callable[[T], str], labelled: Callable[[T, str], T]) -> list[T]:
    """Each format's lines or blocks (`text` reads one) with "Chương I" and its name joined (`joined_label`);
    `labelled` makes the joined item from the second one and the joined text."""
    joined: list[T] = []
    for item in items:
        if joined and (label := joined_label(text(joined[-1]), text(item))):
            joined[-1] = labelled(item, label)
        else:
            joined.append(item)
    return joined


# a table of contents' entry: its title, dot leaders and a page number ("2.1 ASN.1 syntax . . . . . 3")
_CONTENTS = re.compile(r"(?:\.\s?){6,}\s*\d{1,4}\b")


def in_contents(text: str) -> bool:
    """A table of contents' entry, or several run together: they say where the text is, not what it says."""
    return bool(_CONTENTS.search(text))


def title_in_capitals(line: str) -> bool:
    """A first line in capitals, before any text, names a scan's or a Word file's document."""
    return in_capitals(line) and not _CLOSED.search(line) and 2 <= word_count(line) <= LABEL_MAX_WORDS and worded(line)


_LETTERED = re.compile(r"[^\W\d_]{2,}")  # a word of letters


def worded(line: str) -> bool:
    """A word of letters at least: a phone's status bar ("10:45 4G 85%"), a page number or a code names no
    document (a screenshot was titled "10:45 4G 85%"); "Tết 2025", "COVID-19" and "Điều 5" do."""
    return _LETTERED.search(line) is not None


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


def reads_as_bold_heading(text: str) -> bool:
    """A line set all in bold that may head what follows: short, no sentence, in sentence case ("Đăng ký
    học phần", "1. Mục tiêu", "Hồ sơ gồm:"). Not a line in capitals, nor a name with every word capitalised:
    bylines ("NGUYỄN VĂN AN", "Thu Hằng") and photo credits are set in bold too."""
    words = [word for word in text.split() if word[:1].isalpha()]
    return (word_count(text) <= BOLD_HEADING_WORDS and not _CLOSED.search(text) and not in_capitals(text)
            and any(word[:1].islower() for word in words))


def heads_text(bold: list[bool]) -> list[bool]:
    """Which bold lines are headings: those alone between ordinary lines (or first). Offices type headings
    in the body style and set them in bold; bold lines in a row, or a bold last line, are emphasis."""
    return [here and following is False and not before
            for before, here, following in zip([False, *bold], bold, [*bold[1:], None])]
