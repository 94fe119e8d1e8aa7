"""Is the question in Vietnamese (the collection's language) or in another one?

No model: a Vietnamese word is one syllable, and its folded form has a fixed shape (an initial from a
short list, one to three vowels, an optional final from c ch m n ng nh p t). Most English words fail
it (`who`, `is`, `ambassador`, `laos`), and typed without diacritics Vietnamese still passes, which
a character-n-gram detector gets wrong on short questions. Any Vietnamese diacritic settles it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from retriever.text import fold_word, has_diacritics, nfc, syllables

_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?"  # initial
    r"(uye|uya|ieu|yeu|uoi|oai|oay|uay|oeo|uou|[aeiouy]{1,2})"  # vowel nucleus (with glides)
    r"(ch|ng|nh|[cmnpt])?$"  # final
)
# share of words that must look Vietnamese. Of the 1,208 Vietnamese questions of seed_dev and XQuAD-vi
# none falls below it as asked (diacritics settle it) and 13 do with their diacritics stripped (English
# names, e.g. "Engineering News-Record là gì?"; 0.5 would leave 4). The 36 English questions of
# eval/seed_en.jsonl score 0-0.56 (Vietnamese names and "the", "to", "in" pass the shape).
MIN_VIETNAMESE_SHARE = 0.6
_WORD = re.compile(r"\w+", re.UNICODE)


def looks_vietnamese(word: str) -> bool:
    return word.isdigit() or bool(_SYLLABLE.match(fold_word(word)))


def _nothing(_: Sequence[str]) -> set[str]:
    return set()


def is_foreign(question: str, known: Callable[[Sequence[str]], set[str]] = _nothing) -> bool:
    """True when the question is not Vietnamese (in practice: English). `known`: which of some folded
    words are in the collection's vocabulary, so that names the collection uses ("Sonexay Siphandone")
    count for the collection's language. Capitalised words only: a collection that quotes some English
    knows "many" or "football", and "How many people died in the Ha Long Bay boat accident?" then read
    as Vietnamese. Of the 81 English questions of eval/seed_en.jsonl, 1 over the news and 3 over
    XQuAD-vi were; with names only, none is, and none of the 1,568 Vietnamese questions of eval/, typed
    without diacritics, changed either way."""
    if has_diacritics(question):
        return False
    words = [word for word in syllables(question) if not word.isdigit()]
    if not words:
        return False
    names = {fold_word(word) for word in _WORD.findall(nfc(question)) if word[0].isupper()}
    # one lookup for all the names that fail the shape (a round trip each, with the index in a database)
    unshaped = [fold_word(word) for word in words if not looks_vietnamese(word) and fold_word(word) in names]
    vocabulary = known(unshaped) if unshaped else set()
    share = sum(looks_vietnamese(word) or fold_word(word) in vocabulary for word in words) / len(words)
    return share < MIN_VIETNAMESE_SHARE
