"""A question as it is searched: cleaned, its language told, read as readers type it.

Typed as people type: invisible characters and markup taken off, a greeting and closing particles
(`framing.py`), abbreviations written out where the collection does not use them (`abbreviations.py`),
diacritics restored from the collection when typed without them (`accents.py`) or spelled from Telex or
VNI keystrokes typed raw (`telex.py`), and another language told
apart (`language.py`), whose questions keep their words and get accents on their names only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from retriever.errors import EmptyQuestionError, GreetingOnlyError
from retriever.index.backend import IndexBackend
from retriever.query.abbreviations import written_out
from retriever.query.accents import restore_accents
from retriever.query.crosslingual import names_restored
from retriever.query.framing import without_framing
from retriever.query.language import is_foreign, shape_foreign
from retriever.query.telex import from_keystrokes
from retriever.text import (
    collapse_spaces,
    fold_word,
    has_diacritics,
    lexical_tokens,
    nfc,
    strip_format,
    strip_markup,
    syllables,
)

MAX_QUESTION_CHARS = 2000
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_LAST_A = re.compile(r"(?<=\s)a(?=\s*[?.!…]*\s*$)")  # "… khong a?": typed without accents, the closing "ạ"


# a control character (NUL, an escape sequence's ESC, DEL) between words: a space, as it shows ("Biên\x00giới")
_CONTROL = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|[\x00-\x1f\x7f-\x9f]")
# Markdown's marks around words ("**Biên giới** _Việt_ `Lào` [dài](http://…)"), as a chat app sends them
_MD_LINK = re.compile(r"\[([^\]\n]{1,200})\]\([^)\s]{0,500}\)")
_MD_MARK = re.compile(r"(?<!\w)[*_`~]+|[*_`~]+(?!\w)")


def typed_plain(question: str) -> str:
    """The words as a reader sees them: letters in styled fonts pasted from social media ("𝐁𝐢𝐞̂𝐧 𝐠𝐢𝐨̛́𝐢",
    full-width "ＢＩÊＮ") as plain ones (NFKC), control characters as spaces, Markdown's marks taken off."""
    plain = unicodedata.normalize("NFKC", question) if not question.isascii() else question
    plain = _CONTROL.sub(" ", plain)
    return _MD_MARK.sub("", _MD_LINK.sub(r"\1", plain))  # "**km**?": "km?", not "km ?"


@dataclass(frozen=True)
class Query:
    text: str  # as asked (NFC, spaces collapsed)
    dense_text: str  # what the encoder sees (accents restored when typed without)
    tokens: list[str]
    foreign: bool | None = None  # not in the collection's language (None: not worked out yet)
    words: str = ""  # as searched, with its capitals: framing taken off, abbreviations written out ("": `text`)


def prepare_query(question: str, store: IndexBackend, cross_language: bool = True) -> Query:
    """`question` as `store`'s collection is searched for it. EmptyQuestionError: no words to look up."""
    # cut before NFKC too, which may make one character eighteen ("ﷺ")
    text = collapse_spaces(nfc(typed_plain(strip_format(question[: MAX_QUESTION_CHARS * 2]))))[:MAX_QUESTION_CHARS]
    if not text or not any(ch.isalnum() for ch in text):
        raise EmptyQuestionError("The question is empty.")
    # "bieen gioiws Vieetj Nam" typed as Telex or VNI keystrokes: searched as the Vietnamese it spells, and
    # told apart from another language as that (shown as typed)
    spelled = from_keystrokes(text, lambda folded: unused(store, folded))
    foreign = cross_language and reads_foreign(spelled, store)
    # a link pasted beside the question ("https://vnexpress.net/… biên giới dài bao nhiêu km?") is where the
    # reader read about it, not words to look up: its "https", "net", "html" are in no paragraph
    words = collapse_spaces(strip_markup(collapse_spaces(_LINK.sub(" ", spelled)) or spelled))
    if not any(ch.isalnum() for ch in words):  # "<b></b>": tags only, and "b b" quoted a weather report
        raise EmptyQuestionError("The question is only markup.")
    plain = not has_diacritics(words)
    if plain and not foreign:  # "ad oi, cho minh hoi …": its frame known as typed with accents
        words = _LAST_A.sub("ạ", restore_accents(words, lambda _: {})[0])
    words = without_framing(words)
    if not words:  # "Cho em hỏi ạ": a greeting, nothing asked yet
        raise GreetingOnlyError("The question is only a greeting.")
    if not foreign:  # Vietnamese shorthand: an English question's "TS" or "HS" is not "tiến sĩ", "học sinh"
        words = written_out(words, lambda folded: unused(store, folded))
    if not plain:  # typed with its accents: nothing to restore
        return Query(text, words, lexical_tokens(words), foreign, words)
    dense_text = restore_accents(words, store.accents)[0]
    if foreign:
        dense_text = names_restored(words, dense_text)  # English stays English, its names get accents
    return Query(text, dense_text, lexical_tokens(words), foreign, words)


def reads_foreign(text: str, store: IndexBackend) -> bool:
    """Not in the collection's language: English (`is_foreign`), or words of another shape that the
    collection does not use ("Vietnam Laos treaty 1977", a French question). Those lower-case names
    ("sonexay siphandone") and units ("2.300 km") the collection uses are searched as its own: their
    lexical evidence finds them."""
    if not shape_foreign(text):
        return False
    if is_foreign(text):
        return True
    words = [fold_word(word) for word in syllables(text) if not word.isdigit()]
    return bool(words) and sum(unused(store, words)) >= len(words) / 2


def unused(store: IndexBackend, words: list[str]) -> list[bool]:
    """For each folded word, whether the collection never uses it."""
    *idf, never = store.idf([*words, ""])
    return [value >= never for value in idf]
