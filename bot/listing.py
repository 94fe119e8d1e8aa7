"""HTML for whole articles and the collection's list, split into as few messages as Telegram takes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from bot.render import MESSAGE_LIMIT, TITLE_SHOWN, shown, shown_date, shown_text, utf16_len
from bot.texts import text
from retriever.models import Article, ArticleInfo
from retriever.text import fold, shortened


def _pieces(paragraph: str, limit: int) -> list[str]:
    """Split an over-long paragraph at spaces so each escaped piece fits in `limit`."""
    pieces: list[str] = []
    rest = paragraph
    while utf16_len(escape(rest)) > limit:
        size = limit // 2  # escaping at most grows a character sixfold, but news text rarely does
        while utf16_len(escape(rest[:size])) < limit - 200 and size < len(rest):
            size += 200
        while utf16_len(escape(rest[:size])) > limit:
            size -= 50
        cut = rest.rfind(" ", 0, size)
        cut = cut if cut > size // 2 else size
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces


def plain_parts(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The words `html` shows, as plain text in as few messages of at most `limit` as they fit: what is sent
    when Telegram refused the HTML itself (an entity it cannot parse, a text longer than it takes)."""
    said = shown_text(html)
    blocks = [piece for paragraph in said.split("\n\n") if paragraph.strip() for piece in _pieces(paragraph, limit)]
    return pack(blocks, limit) or [said]


def pack(blocks: Iterable[str], limit: int = MESSAGE_LIMIT, separator: str = "\n\n") -> list[str]:
    """Join HTML blocks with `separator` (a blank line) into as few messages as fit; each block must fit alone."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}{separator}{block}" if current else block
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        current = block
    if current:
        messages.append(current)
    return messages


def format_article(article: Article, lang: str) -> list[str]:
    """The full article as messages split at paragraph boundaries."""
    info = article.info
    header = f"<b>{shown(shortened(info.title, TITLE_SHOWN))}</b>"
    meta = [shown_date(info.date, lang)] if info.date else []
    meta += [shown(info.source)] if info.source else []
    if info.url.startswith(("http://", "https://")):
        meta.append(f'<a href="{escape(info.url, quote=True)}">{text(lang, "source_link")}</a>')
    if meta:
        header += "\n" + " · ".join(meta)
    blocks = [header]
    for paragraph in article.paragraphs:
        blocks.extend(shown(piece) for piece in _pieces(paragraph, MESSAGE_LIMIT - 100))
    return pack(blocks)


def format_sources(articles: Sequence[ArticleInfo], lang: str) -> list[str]:
    if not articles:
        return [text(lang, "sources_empty")]
    lines = [text(lang, "sources_header", count=len(articles))]
    for n, info in enumerate(articles, 1):
        line = text(
            lang,
            "sources_line",
            n=n,
            title=shown(shortened(info.title, TITLE_SHOWN)),
            date=shown_date(info.date, lang) if info.date else text(lang, "no_date"),
            passages=info.passages,
        )
        lines.append(line)
    # one line per article: pack() with single newlines keeps the list compact
    return [m.replace("\n\n", "\n") for m in pack(lines)]


def newest_first(articles: Sequence[ArticleInfo]) -> list[ArticleInfo]:
    """The list a reader scans for what is new: latest date first (ISO dates sort as text), undated
    articles last, each group by title; an article just uploaded lands where its date puts it, not
    where its file name does."""
    by_title = sorted(articles, key=lambda info: (fold(info.title), info.doc_id))
    dated = sorted((info for info in by_title if info.date), key=lambda info: info.date, reverse=True)
    return dated + [info for info in by_title if not info.date]


def format_sources_page(articles: Sequence[ArticleInfo], page: int, per_page: int, lang: str) -> str:
    """One page of the collection's list; titles are shortened so a page always fits one message."""
    if not articles:
        return text(lang, "sources_empty")
    pages = -(-len(articles) // per_page)
    first = page * per_page
    lines = [text(lang, "sources_header", count=len(articles))]
    if pages > 1:
        lines[0] += " " + text(lang, "sources_page", page=page + 1, pages=pages)
    for n, info in enumerate(articles[first : first + per_page], first + 1):
        title = shown(shortened(info.title, max(40, MESSAGE_LIMIT // (2 * per_page))))
        date = shown_date(info.date, lang) if info.date else text(lang, "no_date")
        lines.append(text(lang, "sources_line", n=n, title=title, date=date, passages=info.passages))
    return "\n".join(lines)
