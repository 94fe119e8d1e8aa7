"""Paragraphs under their section headings, as every format's reader finds them."""

from __future__ import annotations

from dataclasses import replace

from retriever.models import Paragraph


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
        self._seen = seen

    def open(self, heading: str) -> None:
        self.close()
        self.heading, self.waiting = heading, True

    def add(self, paragraph: Paragraph) -> None:
        """`paragraph`, under the open heading unless it is a teaser (another article's, not the section's)."""
        self.paragraphs.append(paragraph if paragraph.teaser else replace(paragraph, heading=self.heading))
        self.waiting = self.waiting and paragraph.teaser

    def close(self) -> None:
        if self.waiting and (self._seen is None or self.heading not in self._seen):
            if self._seen is not None:
                self._seen.add(self.heading)
            self.paragraphs.append(Paragraph(self.heading))
        self.waiting = False
