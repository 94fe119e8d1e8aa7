"""Plain text and Markdown articles, read with the news heuristics."""

from __future__ import annotations

from retriever.ingest.news import ParsedText, parse_news_text
from retriever.text import collapse_spaces


def parse_text(text: str, fallback_title: str) -> ParsedText:
    return parse_news_text(text, fallback_title)


def parse_markdown(text: str, fallback_title: str) -> ParsedText:
    return parse_news_text(strip_markdown(text), fallback_title, markdown_headings(text))


def markdown_headings(text: str) -> frozenset[str]:
    """The `#` lines as `strip_markdown` leaves them (the first, the title, is read as the headline)."""
    return frozenset(
        collapse_spaces(line.lstrip().lstrip("#").replace("**", "").replace("__", ""))
        for line in text.splitlines() if line.lstrip().startswith("#")
    )


def strip_markdown(text: str) -> str:
    """Headings and emphasis markers are markup, not text; a `# Title` line is the headline."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#"):
            line = stripped.lstrip("#").strip()
        lines.append(line.replace("**", "").replace("__", ""))
    return "\n".join(lines)
