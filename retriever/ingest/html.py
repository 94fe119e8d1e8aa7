"""HTML articles via selectolax: headline, date, source and the text blocks of the article body."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from retriever.ingest.news import ParsedText, find_date, parse_news_text
from retriever.text import collapse_spaces

_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, figcaption, time"
_DROP = "script, style, noscript, nav, header nav, footer, aside, form, iframe, svg, button"


def _meta(tree: LexborHTMLParser, *names: str) -> str:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            return collapse_spaces(node.attributes["content"] or "")
    return ""


def parse_html(html: str) -> ParsedText:
    tree = LexborHTMLParser(html)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.body or tree.root
    heading = tree.css_first("h1")
    title = collapse_spaces(heading.text()) if heading else _meta(tree, "og:title")
    title_node = tree.css_first("title")
    if not title and title_node is not None:
        title = collapse_spaces(title_node.text())
    time_node = tree.css_first("time[datetime]")
    date = find_date(
        _meta(tree, "article:published_time", "date", "pubdate")
        or (time_node.attributes.get("datetime") or "" if time_node else "")
    )
    blocks = []
    for node in root.css(_BLOCKS) if root is not None else []:
        if node.tag == "h1" or (node.tag == "li" and node.css_first("p")):
            continue
        text = collapse_spaces(node.text(separator=" "))
        if text:
            blocks.append("" if node.tag == "figcaption" else text)
    # the headline goes first so the text parser recognises it and keeps it out of the passages
    parsed = parse_news_text("\n\n".join([title, *blocks]))
    source = parsed.source or _meta(tree, "og:site_name", "author")
    return ParsedText(parsed.title or title, parsed.title_derived, date or parsed.date, source, parsed.paragraphs)
