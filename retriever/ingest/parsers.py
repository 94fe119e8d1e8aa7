"""The parsers that run in a limited child process (`retriever.ingest.bounded`): the formats whose size
once parsed is not bounded by the file's (compressed streams, zipped XML, deeply nested markup)."""

from __future__ import annotations

import feedparser

from retriever.errors import UnreadableInputError
from retriever.ingest.docx import parse_docx
from retriever.ingest.html import parse_html
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


def feed_links(body: bytes, limit: int) -> list[str]:
    """The links of a feed's newest `limit` items, in its order. UnreadableInputError: not a feed."""
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        error = getattr(parsed, "bozo_exception", None)
        why = f"not valid XML: {' '.join(str(error).split())[:200]}" if error else "no feed items in it"
        raise UnreadableInputError("not_feed", f"not an RSS/Atom feed ({why})")
    return [str(entry.get("link") or "") for entry in parsed.entries[:limit]]
