"""What a web page read block by block holds besides its article: its readers' comments and a table of
contents, which trafilatura leaves out and the block-by-block reading took in (`retriever/ingest/html.py`)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from retriever.text import collapse_spaces

# what pages name their readers' comments and their table of contents by (`<div id="comments">`,
# `class="binh-luan"`, `class="toc"`, "muc-luc"): trafilatura leaves them out, and the page read block by
# block took them in, a comment quoted as the article's own text
_FURNITURE_BOX = re.compile(r"(?:^|[\s_-])(?:comments?|binh-?luan|toc|muc-?luc|table-of-contents)(?:$|[\s_-])",
                            re.IGNORECASE)


def drop_furniture(tree: LexborHTMLParser, kept: set[str], blocks: str) -> None:
    """Take out of `tree` the boxes of comments and the tables of contents that hold nothing trafilatura
    `kept` (a container named "has-comments" around the article is the article). A list whose every item
    is a link to a place on the page ("#p1") is a table of contents, however named: its entries, the words
    of the headings they point to, opened one heading after another over the text."""
    # trafilatura leaves out a container named "comments-enabled" around the article as comments, keeping none
    # of the page's paragraphs: then what it kept tells nothing of what is furniture, and the page read block
    # by block is all that finds the text (a box that holds the headline is the article's, in any case)
    found = any(collapse_spaces(node.text(separator=" ")) in kept for node in tree.css("p"))
    named = [node for node in tree.css("[class], [id]")
             if found and node.css_first("h1") is None
             and _FURNITURE_BOX.search(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}")
             and not any(collapse_spaces(block.text(separator=" ")) in kept for block in node.css(blocks))]
    # a contents list's entries are the headings' words, which trafilatura keeps where they head the text
    boxes = [*named, *(node for node in tree.css("ul, ol") if _contents_list(node))]
    chosen = {box.mem_id for box in boxes}
    for box in boxes:
        if box.mem_id in chosen and not within(box.parent, chosen):
            box.decompose()


def _contents_list(node: LexborNode) -> bool:
    items = node.css("li")
    for item in items:
        link = item.css_first('a[href^="#"]')
        if link is None or collapse_spaces(link.text(deep=True)) != collapse_spaces(item.text(deep=True)):
            return False
    return bool(items)


def within(node: LexborNode | None, chosen: set[int]) -> bool:
    """Whether `node` or an element above it is one of `chosen` (by `mem_id`)."""
    while node is not None:
        if node.mem_id in chosen:
            return True
        node = node.parent
    return False
