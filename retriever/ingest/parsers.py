"""The parsers that run in a limited child process (`retriever.ingest.bounded`): the formats whose size
once parsed is not bounded by the file's (compressed streams, zipped XML, deeply nested markup)."""

from __future__ import annotations

from dataclasses import dataclass

import feedparser
from selectolax.lexbor import LexborHTMLParser

from retriever.errors import UnreadableInputError
from retriever.ingest.docx import parse_docx
from retriever.ingest.html import parse_html
from retriever.ingest.jsonl import record_date
from retriever.ingest.news import ParsedText
from retriever.ingest.pdf import parse_pdf

BOUNDED_SUFFIXES = {".pdf", ".docx", ".html", ".htm"}


def parse_content(suffix: str, content: bytes | str, fallback_title: str) -> ParsedText:
    """`content`: bytes for PDF and Word, decoded text for HTML."""
    if suffix == ".pdf" and isinstance(content, bytes):
        return parse_pdf(content, fallback_title)
    if suffix == ".docx" and isinstance(content, bytes):
        return parse_docx(content, fallback_title)
    if isinstance(content, str):
        return parse_html(content, fallback_title)
    raise TypeError(f"no bounded parser for {suffix}")


@dataclass(frozen=True)
class FeedItem:
    link: str
    date: str  # ISO date the feed gives the item ("": none)
    feed: str  # the feed's own title, the item's source where its page names none
    # when the feed says the item was updated after it was published (Atom's <updated>), that stamp: the
    # article was edited (a correction, a new figure), and its page is fetched again
    revised: str = ""
    title: str = ""
    summary: str = ""  # the item's own text (RSS <description>, Atom <summary>), its markup taken off


def feed_items(body: bytes) -> list[FeedItem]:
    """A feed's items, newest first where the feed dates them (many list the oldest first, and a poll that
    took the first items in their order never reached a new one), else in its order. UnreadableInputError:
    not a feed."""
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        error = getattr(parsed, "bozo_exception", None)
        why = f"not valid XML: {' '.join(str(error).split())[:200]}" if error else "no feed items in it"
        raise UnreadableInputError("not_feed", f"not an RSS/Atom feed ({why})")
    title = " ".join(str(parsed.feed.get("title") or "").split())[:100]
    items = []
    for entry in parsed.entries:
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        # the day as the feed writes it, in its own time zone: feedparser's parsed time is UTC, and an item
        # published before 07:00 in Vietnam ("Thu, 06 Mar 2025 01:30:00 +0700") was dated the day before
        written = record_date(str(entry.get("published") or entry.get("updated") or ""))
        day = written or (f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}" if when else "")
        published, updated = entry.get("published_parsed"), entry.get("updated_parsed")
        revised = str(entry.get("updated") or "") if published and updated and updated > published else ""
        markup = str(entry.get("summary") or "")
        summary = " ".join(LexborHTMLParser(markup).text(separator=" ").split()) if markup.strip() else ""
        items.append((when, FeedItem(str(entry.get("link") or ""), day, title, revised,
                                     " ".join(str(entry.get("title") or "").split()), summary)))
    dated = sorted((item for item in items if item[0]), key=lambda item: tuple(item[0]), reverse=True)
    return [item for _, item in dated] + [item for when, item in items if not when]
