"""What a web page holds besides its article (`retriever/ingest/html.py`): advertisements and boxes of other
articles set inside its text; and, read block by block, its readers' comments and a table of contents, which
trafilatura leaves out and the block-by-block reading took in."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from retriever.ingest.news import TEASER_SECTION
from retriever.text import collapse_spaces

# the words of a class or id that name an advertisement (`drop_ads`)
_AD_WORDS = {"ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "quangcao", "qc",
             "sponsor", "sponsored"}

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


def drop_ads(tree: LexborHTMLParser) -> bool:
    """Take the page's advertisements out of `tree`: an ad placed inside the article body ("Vay tiêu dùng
    lãi suất 0%…" in `<div class="ads inline-ad">`) was kept by trafilatura and quoted under the article's
    name. Told by the words of its class or id, as pages name them. Whether there were any."""
    ads = [node for node in tree.css("[class], [id]")
           if _AD_WORDS & set(re.split(r"[\s_-]+", f"{node.attributes.get('class') or ''} "
                                                  f"{node.attributes.get('id') or ''}".lower()))]
    for node in ads:
        node.decompose()
    return bool(ads)


# a box of links to other articles placed inside the text ("Tin liên quan", `<div class="box-tinlienquan">`)
# (a word of the class, not a part: Bootstrap's "position-relative" is on article containers)
_RELATED_WORDS = re.compile(r"(?:^|[\s_-])(?:related|(?:tin-?)?lien-?quan|xem-?them|doc-?them)(?:$|[\s_-])",
                            re.IGNORECASE)
_RELATED_HEADING = "<h3>Tin liên quan</h3>"
RELATED_SHARE = 3  # a box holds at most a third of its container's text


def related_last(tree: LexborHTMLParser) -> bool:
    """Move each box of other articles set inside the text to the end of its container, under the heading
    the text parser takes them by ("Tin liên quan"): read where it stood, every paragraph of the article's
    own after it was taken for another article's teaser. Whether any was moved. Boxes are chosen before any
    is moved, and one inside another moves with it."""
    boxes = [box for box in tree.css("div, aside, section, ul, ol") if _movable(box)]
    chosen = {box.mem_id for box in boxes}
    outermost = [box for box in boxes if not within(box.parent, chosen)]
    for box in outermost:
        parent = box.parent
        if parent is None:
            continue
        if not _opens_related(box) and box.child is not None \
                and (heading := LexborHTMLParser(_RELATED_HEADING).css_first("h3")) is not None:
            box.child.insert_before(heading)  # a copy, first
        parent.insert_child(box)  # a copy, at the end
        box.decompose()
    return bool(outermost)


def _movable(box: LexborNode) -> bool:
    """A box of other articles with text of the article's after it, a small part of what holds it: a
    container named "has-related-posts" around the article is the article, and moved, all of it was read
    as another article's teasers."""
    parent = box.parent
    if parent is None or box.next is None or not _is_related(box):
        return False
    if len(collapse_spaces(box.text(deep=True))) * RELATED_SHARE > len(collapse_spaces(parent.text(deep=True))):
        return False
    return any(collapse_spaces(node.text(deep=True)) for node in _following(box))


def _is_related(node: LexborNode) -> bool:
    named = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    return bool(_RELATED_WORDS.search(named)) or _opens_related(node)


def _opens_related(node: LexborNode) -> bool:
    heading = node.css_first("h2, h3, h4, h5, h6, strong, b, span, p")
    return heading is not None and bool(TEASER_SECTION.match(collapse_spaces(heading.text(deep=True))))


def _following(node: LexborNode) -> list[LexborNode]:
    found, after = [], node.next
    while after is not None:
        found.append(after)
        after = after.next
    return found
