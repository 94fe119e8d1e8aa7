"""Footnote marks in a web page: a reference glued to the word or number before it changes what is quoted.

`<sup>1</sup>` after "năm 2025" read as "năm 20251", `<sup>[2]</sup>` as "2024[2]", and a page's list of
notes gave the article its source ("Theo Niên giám thống kê." read as a source line). What a `<sup>` holds
is told by its shape and what it follows: a link within the page, a bracket or a note symbol is a mark; a
number after a unit, a bracket, a lower-case symbol of one to three Latin letters, a digit or 10 is a power
(m², mc², (a+b)², m/s², 10⁶, 2¹⁰); letters after a number an ordinal (1st); one to three digits or a letter
after a word, an acronym or a longer number a note's number ("năm 2025¹", "WHO¹")."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

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


def drop_note_marks(tree: LexborHTMLParser) -> bool:
    """Take a page's footnote marks and its list of notes out of `tree` (a power or an ordinal is kept as
    text); whether there were any."""
    # a list named for what it is ("footnotes", not "has-footnotes" or "footnotes-wrapper", which may hold
    # the whole article), and holding no headline
    lists = [node for node in tree.css("[class], [id]")
             if _NOTES & set(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower().split())
             and node.css_first("h1, h2, article") is None]
    marks = tree.css("sup")
    for node in lists:
        node.decompose()
    for node in marks:
        before = node.prev.text_content if node.prev is not None and node.prev.tag == "-text" else ""
        linked = node.css_first('a[href^="#"]') is not None
        kept = shown_mark(node.text(), (before or "").rstrip(), linked)
        if kept:
            node.replace_with(kept)
        else:
            node.decompose()
    return bool(lists or marks)
