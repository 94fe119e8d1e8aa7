"""A lookup of one syllable that carries content, asking nothing ("Campuchia", "Lào?", "ASEAN"), is a
lookup of that word: a quote must hold it. The gate weighs how much of a question a paragraph says,
and of so short a question any paragraph near it in meaning says "enough": "Campuchia" quoted a weather
forecast and a navy seminar, neither naming Cambodia."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from retriever.query.stopwords import content_mask
from retriever.text import lexical_tokens

# One syllable: two declined 4 answers of XQuAD-vi's 683 fit questions ("Dược sĩ bị cấm làm gì?": the answer
# says "không được phép"), a word of two side by side one of its readers' 114 ("Ai đã giết Jumonville?"); one
# declined none of them, but one held-out answer, of a question that asks (`docs/quality.md`)
SAME_SPELLING = 0.8  # "cloroplastidan" / "chloroplastida" 0.93: a name spelt otherwise is the same name


# the words a question asks with (folded): "Tên của thế mới nhất là gì?" asks, and the one word it carries
# ("tên") is no subject its answer must name
ASKING = frozenset({"gi", "nao", "dau", "ai", "bao", "may", "sao", "khong"})


def short_words(tokens: Sequence[str]) -> frozenset[str]:
    """The one syllable (folded) that carries content among a lookup's `tokens` (syllables, then pairs), as
    "campuchia" does in "Campuchia" or "Lào?"; empty for any other question, and for one that asks."""
    if ASKING & set(tokens):
        return frozenset()
    content = [token for token, kept in zip(tokens, content_mask(list(tokens)), strict=True) if kept]
    singles = frozenset(token for token in content if "_" not in token)
    return singles if len(singles) == 1 else frozenset()


def holds(words: frozenset[str], text: str, context: str) -> bool:
    """Whether a paragraph (or the heading or headline it is searched with) holds every one of `words`, a
    long one perhaps spelt otherwise."""
    said = set(lexical_tokens(f"{context} {text}"))
    return all(word in said or (len(word) >= 5 and any(
        SequenceMatcher(None, word, other).ratio() >= SAME_SPELLING for other in said if "_" not in other))
        for word in words)
