"""Is the question in Vietnamese (the collection's language) or in another one?

No model: a Vietnamese word is one syllable, and its folded form has a fixed shape (an initial from a
short list, one to three vowels, an optional final from c ch m n ng nh p t). Most English words fail
it (`who`, `is`, `ambassador`, `laos`), and typed without diacritics Vietnamese still passes, which
a character-n-gram detector gets wrong on short questions. A diacritic on any of its own words (not
its names) settles it.
"""

from __future__ import annotations

import re

from retriever.text import has_diacritics, looks_vietnamese, nfc, syllables

# share of its words (names aside) that must look Vietnamese. The 1,667 Vietnamese questions of eval/
# score 0.67-1 with their diacritics stripped (diacritics settle it as asked); its 81 English questions
# 0-0.5 and the 1,510 translated ones 0-0.75, 8 of them at 0.6 or more ("the", "to", "in", "much" pass
# the shape).
MIN_VIETNAMESE_SHARE = 0.6
_WORD = re.compile(r"\w+", re.UNICODE)


def is_foreign(question: str) -> bool:
    """True when the question reads as English: it fails the Vietnamese shape (`shape_foreign`) and has one
    of English's function words. A name typed in lower case ("sonexay siphandone"), a unit ("2.300 km"),
    chat abbreviations or Telex without its conversion ("bieen gioiw") fail the shape too: read as English
    they lost the lexical evidence that finds them. Every English question of eval/ that fails the shape has
    such a word (81 + 1,183 + 319), so none of them changes side. The search also reads as foreign a
    question that fails the shape and whose words the collection does not use ("Vietnam Laos treaty
    1977", French): `Searcher.prepare`."""
    return shape_foreign(question) and reads_english(question)


def shape_foreign(question: str) -> bool:
    """True when the question's own words do not have the shape of Vietnamese syllables. Its names
    (capitalised words after the first) are judged as no language's, so the answer does not depend on
    the collection. Counted as Vietnamese where the collection knows them (an encyclopedia knows "Doctor",
    "Who", "Super", "Bowl"), of eval/'s 1,591 English questions (seed_en and the translated sets), 46 were
    read as Vietnamese over XQuAD-vi and 7 over the news; judged as no language's, 8 over either
    ("How much is a Lao kip worth in Vietnamese dong?": short English words pass the shape). Of its 1,667
    Vietnamese questions typed without diacritics, 14 were read as English over the news ("Ai da gianh
    Super Bowl XLIX?": names the news does not know counted against Vietnamese); now none over either.
    Diacritics settle it only on its own words: "Who is Bùi Thanh Sơn?", with the name pasted from the
    news, is English (it was read as Vietnamese, and 12 of the 39 held-out `seed_en` questions with their
    names accented so got hit@5 0.30 against 0.45 as typed; now 0.45), and so is a German name
    ("Ergänzungsschulen")."""
    # names (capitalised words after the first) are no language's: "Super Bowl", "Sonexay Siphandone",
    # "Bùi Thanh Sơn" copied with its accents into an English question. Judged by its other words, a
    # question's language does not depend on the names the collection knows
    words = [word for word in _WORD.findall(nfc(question)) if not word.isdigit()]
    rest = [word for word in words[1:] if not word[0].isupper()]
    if not words or (not rest and words[0][0].isupper()):
        return False  # names alone: asked in the collection's language, whose lexical evidence finds them
    if any(has_diacritics(word) for word in words[:1] + rest):
        return False  # Vietnamese diacritics on its own words settle it
    judged = [part for word in words[:1] + rest for part in syllables(word)]
    if not judged:
        return False
    return sum(looks_vietnamese(word) for word in judged) / len(judged) < MIN_VIETNAMESE_SHARE


# English's commonest function and question words: what a question in English cannot do without
_ENGLISH = frozenset(
    "a about after an and are as at be been before between by can could did do does during for from had has"
    " have how in into is it many much of on or should than that the their there these they this those to"
    " was were what when where which who whom whose why will with would".split()
)


def reads_english(question: str) -> bool:
    """The question has one of English's function words, as against Vietnamese typed in Telex without its
    conversion ("dduwowngf bieen giowis"), a lone keyword or a random string."""
    return bool(english_words(question))


def english_words(question: str) -> list[str]:
    """The question's words that are English's function words ("been" is also Telex's "bên")."""
    return [word for word in _WORD.findall(nfc(question)) if word.casefold() in _ENGLISH]
