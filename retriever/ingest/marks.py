"""Footnote marks in a web page: a reference glued to the word or number before it changes what is quoted.

`<sup>1</sup>` after "năm 2025" read as "năm 20251", `<sup>[2]</sup>` as "2024[2]", and a page's list of
notes gave the article its source ("Theo Niên giám thống kê." read as a source line). What a `<sup>` holds
is told by its shape and what it follows: a link within the page, a bracket or a note symbol is a mark; a
number after a unit, a bracket, a lower-case symbol of one to three Latin letters, a digit or 10 is a power
(m², mc², (a+b)², m/s², 10⁶, 2¹⁰); letters after a number an ordinal (1st); one to three digits or a letter
after a word, an acronym or a longer number a note's number ("năm 2025¹", "WHO¹")."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from retriever.ingest.page_boxes import within
from retriever.text import collapse_spaces, word_count

_NOTES = {"footnote", "footnotes", "endnotes", "references", "reflist", "refs"}
_SYMBOLS = re.compile(r"[*†‡§¶#]+|\[[^\[\]]{1,12}\]|\(\d{1,3}\)")
_NUMBER_OR_LETTER = re.compile(r"\d{1,3}|[a-z]|[ivx]{1,4}")
_UNIT = re.compile(r"(?<![^\W\d_])(?:[kcdmh]|da)?m$")  # "m", "km", "cm", "hm", "dam" … as a word of its own
# what takes a power in a formula: a closing bracket, or a symbol of one to three Latin letters ("x", "mc",
# "m/s"); a note's number follows a Vietnamese word ("năm 2025¹", "thống kê¹")
_BASE = re.compile(r"(?:\)|(?<![^\W\d_])(?:[A-Za-z]|[a-z][A-Za-z]{1,2}|[A-Za-z]{1,3}/[A-Za-z]{1,3})"
                   r"|(?<![\w.,])(?:\d|10))$")
# not an acronym ("WHO¹", "USD¹" are notes), nor a number but a digit or 10 ("năm 2025¹", "số 12²" are notes)
_POWERS = str.maketrans("0123456789+-−n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻ⁿ")


def shown_mark(mark: str, before: str, linked: bool) -> str:
    """What the text keeps of a `<sup>` holding `mark` that follows `before` ("" for a note's mark)."""
    mark = mark.strip()
    if linked or _SYMBOLS.fullmatch(mark):
        return ""
    exponent = re.fullmatch(r"[+\-−]?(?:\d{1,3}|n)", mark) is not None
    if exponent and (_UNIT.search(before) or _BASE.search(before)):
        return mark.translate(_POWERS)
    if re.fullmatch(r"[a-z]", mark) and re.search(r"(?<![\w.,])(?:[A-Za-z]|\d|10)$", before):
        return f"^{mark}"  # eˣ: no superscript letter for each, so written as a formula is typed
    if mark.isalpha() and before[-1:].isdigit():
        return mark  # 1st, 2nd, 1er
    if _NUMBER_OR_LETTER.fullmatch(mark):
        return ""
    return mark


def drop_note_marks(tree: LexborHTMLParser, notes: list[str] | None = None) -> bool:
    """Take a page's footnote marks and its list of notes out of `tree` (a power or an ordinal is kept as
    text); whether there were any. `notes` gets the notes that are text (`note_text`), to be read after the
    article as a Word file's footnotes are: a note says what a figure counts or where a rule comes from
    ("Theo Nghị định số 112/2024/NĐ-CP …"), and left in place, its "Theo …" was read as the article's source."""
    # a list named for what it is ("footnotes", not "has-footnotes" or "footnotes-wrapper", which may hold
    # the whole article), and holding no headline; or the article's own footer or aside of numbered notes
    lists = [node for node in tree.css("[class], [id]")
             if _NOTES & set(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower().split())
             and node.css_first("h1, h2, article") is None]
    lists += [node for node in tree.css("article footer, article aside") if _numbered_notes(node)]
    chosen = {node.mem_id for node in lists}
    lists = [node for node in lists if not within(node.parent, chosen)]
    for node in lists:
        if notes is not None:
            notes.extend(text for item in (node.css("li") or node.css("p") or [node]) if (text := note_text(item)))
        node.decompose()
    marks = tree.css("sup")
    for node in marks:
        before = node.prev.text_content if node.prev is not None and node.prev.tag == "-text" else ""
        linked = node.css_first('a[href^="#"]') is not None
        kept = shown_mark(node.text(), (before or "").rstrip(), linked)
        if kept:
            node.replace_with(kept)
        else:
            node.decompose()
    return bool(lists or marks)


# a note's own number or symbol before its text ("[1]", "(1)", "1.", Wikipedia's "^"), and a link back up to
# its mark ("↩", "↑")
_NOTE_NUMBER = re.compile(r"^(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)]|[*†‡^↑])\s*")
NOTE_WORDS = 2  # a note of one word ("Sđd", "Nt.") says nothing quoted alone, as Word's footnotes are read


def note_text(item: LexborNode) -> str:
    """The text of one note (an item of a page's notes), without its number and its links back to its mark;
    "" for a note that is a link to another page ("Báo cáo của WHO" linked, a bare URL), which says only
    where to read on."""
    for node in item.css('a[href^="#"], sup'):
        node.decompose()
    text = _NOTE_NUMBER.sub("", collapse_spaces(item.text(deep=True)).strip(" ↩↑"))
    linked = sum(len(collapse_spaces(link.text(deep=True))) for link in item.css("a[href]"))
    if word_count(re.sub(r"\S+://\S+", "", text)) < NOTE_WORDS or linked * 2 >= len(text):
        return ""
    return text


def _numbered_notes(node: LexborNode) -> bool:
    """Whether each block of `node` opens with a note's number ("[1] Theo …", "(2) Đối với …")."""
    blocks = [collapse_spaces(block.text(deep=True)) for block in node.css("p, li")] or [
        collapse_spaces(node.text(deep=True))]
    return all(re.match(r"(?:\[\d{1,3}\]|\(\d{1,3}\))\s*\S", block) for block in blocks if block) and any(blocks)


# a note's number typed in brackets and glued to the word or figure before it ("đất trồng lúa[1].", "năm
# 2024[2][3]"), as pages pasted from Word or Wikipedia carry them outside a `<sup>`; "Điều [1]" set apart by a
# space, and a note's own "[1] Theo …" opening its line, are not marks
_TYPED_MARK = re.compile(r"(?<=[^\s\[(])\[\d{1,3}\](?=[\s.,;:!?)\[\]]|$)")


def drop_typed_marks(text: str) -> str:
    """`text` without the note numbers typed in brackets after its words."""
    return _TYPED_MARK.sub("", text)
