"""Vietnamese text handling: normalisation, diacritic folding, syllable tokens, sentences."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
# a sentence ends at . ! ? … followed by space and an upper-case letter, digit, quote or bracket;
# single capitals and short upper-case abbreviations (TP., TS.) do not end a sentence
_SENTENCE_END = re.compile(r"(?<![\s.][A-ZĐ])(?<!\b[A-ZĐ]{2})([.!?…]+[\"”’)]*)\s+(?=[\"“‘(\[]?[A-ZÀ-ỸĐ0-9])")


_MARKUP = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")


def strip_markup(text: str) -> str:
    """HTML-like tags pasted into a question (`<b>km</b>`) are no words of it."""
    return _MARKUP.sub(" ", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# bidirectional embeddings, overrides and isolates, and the marks: they reorder what a title or a terminal
# shows ("‮fdp.exe" reads as "exe.pdf"); ordinary right-to-left text needs none of them
_BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])


def strip_controls(text: str, keep: str = "") -> str:
    """`text` without control characters (C0, DEL, C1: bell, escape sequences) except those in `keep`, and
    without bidirectional controls. For titles (keep nothing) and terminal output (keep "\n\t")."""
    if text.isprintable() and not any(ord(c) in _BIDI for c in text):
        return text
    return "".join(
        c for c in text if c in keep or (ord(c) not in _BIDI and unicodedata.category(c) != "Cc")
    )


def strip_format(text: str) -> str:
    """`text` without Unicode format characters (category Cf): zero-width space, non-joiner and joiner, soft
    hyphen, word joiner, byte order mark, bidi controls. They show as nothing, but one pasted inside a word
    ("L\u200bào", from a web page or a chat app) cuts it in two for the search. For questions; passages
    keep their text as the file has it."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def shortened(value: str, limit: int) -> str:
    """`value`, or its first words within `limit` characters and "…" (cut inside a word only when the first
    one is longer)."""
    if len(value) <= limit:
        return value
    return (value[:limit].rsplit(" ", 1)[0] or value[:limit]) + "…"


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())  # str.split() splits at the same Unicode spaces as \s+, twice as fast


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Lower-case and strip diacritics; đ folds to d (it is a separate letter, not a combining mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def fold(text: str) -> str:
    return " ".join(fold_word(word) for word in _WORD.findall(text))


def syllables(text: str) -> list[str]:
    """Lower-cased NFC syllables (Vietnamese words are one or more of these)."""
    return _WORD.findall(nfc(text).lower())


def lexical_tokens(text: str) -> list[str]:
    """Folded syllables plus folded syllable bigrams, so `bien gioi` matches `biên giới` as a word."""
    folded = [fold_word(word) for word in syllables(text)]
    return folded + [f"{a}_{b}" for a, b in zip(folded, folded[1:])]


def has_diacritics(text: str) -> bool:
    return any(fold_word(word) != word for word in syllables(text))


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; the pieces concatenate back to the paragraph (modulo spaces)."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(1)
        pieces.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return [piece for piece in pieces if piece]


# a Vietnamese word is one syllable, and its folded form has a fixed shape (`retriever.query.language`)
_VIETNAMESE_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?"  # initial
    r"(uye|uya|ieu|yeu|uoi|oai|oay|uay|oeo|uou|[aeiouy]{1,2})"  # vowel nucleus (with glides)
    r"(ch|ng|nh|[cmnpt])?$"  # final
)


def looks_vietnamese(word: str) -> bool:
    return word.isdigit() or bool(_VIETNAMESE_SYLLABLE.match(fold_word(word)))


# how a list item is marked where its document typed the mark: "- …", "• …", "+ …", "1. …", "a) …"
ITEM_MARK = re.compile(r"^(?:[-–—•+*·▪●○◦]|\d{1,2}[.)]|[a-zđ]\))\s")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def join_line(text: str, line: str) -> str:
    """`line` after `text` in a paragraph that was wrapped. A hyphen at the line end splits a word ("con-" /
    "tainer") unless it is one of the word's own: Vietnamese writes loanwords and foreign names syllable by
    syllable with hyphens ("ki-lô-" / "mét", "Mát-" / "xcơ-va"), so it stays where either side has a
    hyphen already or a Vietnamese accent."""
    if not text:
        return line
    if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
        before, after = text[:-1].rsplit(" ", 1)[-1], line.split(" ", 1)[0]
        if "-" in before or "-" in after or has_diacritics(before) or has_diacritics(after):
            return text + line
        return text[:-1] + line
    if text.endswith("-") and not text.endswith(" -") and text[-2:-1].isalnum() and line[:1].isalnum():
        # a range or a compound broken at its own hyphen ("2021-" / "2025", "Bà Rịa-" / "Vũng Tàu"): no space
        return text + line
    return f"{text} {line}"
