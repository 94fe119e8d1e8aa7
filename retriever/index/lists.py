"""A list's lead-in and its items as one passage: "Các hộ gia đình phải trang bị tối thiểu:" over "• 01 bình
chữa cháy …;", "• 01 thiết bị báo cháy …;". Each a passage of its own, the question "Hộ gia đình phải trang
bị những gì?" was quoted the lead-in alone, which answers nothing, and its items, where they ranked at all,
without what they are a list of. Documents keep their paragraphs as they are (an article is shown whole);
only what is searched and quoted is joined."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from retriever.models import Paragraph
from retriever.text import ITEM_MARK, collapse_spaces, word_count

ITEM_WORDS = 60  # an item is a phrase or a sentence or two; a longer "item" is a paragraph of its own
LEAD_WORDS = 80
LIST_CHARS = 1200  # the lead-in and its items joined up to about this many characters; the rest stay apart


def _item(text: str, marked: bool | None) -> bool:
    """A list item in the list's style (`marked`: its first item's, None for the first): marked as one, or
    ending as Vietnamese lists end theirs, ";" (the last item "."), within an item's length. An unmarked
    first item must end with ";": a lead-in over ordinary paragraphs ("Cụ thể như sau:") introduces text,
    not a list; after marked items, an unmarked paragraph is the text going on."""
    if word_count(text) > ITEM_WORDS or not text:
        return False
    if ITEM_MARK.match(text):
        return marked is not False
    return not marked and (text.endswith(";") or (marked is not None and text.endswith(".")))


def _leads(paragraph: Paragraph) -> bool:
    text = paragraph.text.rstrip()
    return text.endswith(":") and 2 <= word_count(text) <= LEAD_WORDS


def with_lists(paragraphs: Iterable[Paragraph]) -> Iterator[Paragraph]:
    """`paragraphs`, each lead-in ending with ":" joined with the list items under it (same heading, same
    teaser), up to `LIST_CHARS`."""
    items = list(paragraphs)
    i = 0
    while i < len(items):
        lead = items[i]
        i += 1
        if not _leads(lead):
            yield lead
            continue
        joined, size, marked, ended = [collapse_spaces(lead.text)], len(lead.text), None, False
        while i < len(items) and not ended:
            item = items[i]
            text = collapse_spaces(item.text)
            same = item.teaser == lead.teaser and item.context == lead.context
            if not same or not _item(text, marked) or size + len(text) + 1 > LIST_CHARS:
                break
            marked = bool(ITEM_MARK.match(text)) if marked is None else marked
            ended = not marked and text.endswith(".")  # an unmarked item ending with "." is the list's last
            joined.append(text)
            size += len(text) + 1
            i += 1
        yield replace(lead, text=" ".join(joined)) if len(joined) > 1 else lead
