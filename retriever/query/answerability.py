"""Does a passage hold what the question asks for, beyond sharing its topic?

A collection answers a question when its best window of sentences has the question's specific content,
not only the words every passage of the topic shares. Measured here, each a number the fitted gate
weighs (`retriever.query.relevance`), none keyed to particular questions or words:

- what the question asks for: how many / when (a number or a date) and who / where (a name). The window
  of an answer holds one; a paragraph that shares the topic often does not;
- the question's names (capitalised words, numbers, roman numerals): a window about another person,
  year or congress misses them. Compared folded, so an English question's `Bui Thanh Son` finds `Bùi
  Thanh Sơn`;
- its rarest content syllables (highest idf): `đăng ký học phần` asked of a paragraph about a
  university's exams shares `đăng`, `ký`, `học` but not `phần`;
- its syllable pairs (`học_phần`, `cảnh_báo`): two words of the question in the window as the question
  joins them, not spread over it; and whether the best window itself, not only the passage, holds its
  rarest syllables and pairs: a paragraph can mention the detail asked about far from the sentences
  that match the rest of the question;
- how many of its content syllables the best window lacks, counted, not weighted: a question that asks
  about several things the window never mentions ("giá vé", "sinh năm", "quê") is not answered there,
  however well the window meets the topic's rarer words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from retriever.text import fold_word, nfc, strip_markup, syllables

_CASED_WORD = re.compile(r"\w+", re.UNICODE)
_ROMAN = re.compile(r"^[IVXLC]{2,}$")
# question words (lower-case, with diacritics, as the encoder sees the question: accents restored when
# typed without). "bao nhiêu"/"mấy" ask for an amount, in the unit the next word names when it names one
# ("bao nhiêu km", "mấy giờ") or the word before ("tháng mấy"); "năm nào"/"ngày nào" for that part of a
# date; "khi nào"/"bao giờ"/"when" for any date; "ai"/"ở đâu"/"who"/"where" for a name
_AMOUNT = ("bao nhiêu", "mấy", "bao lâu", "bao xa", "how many", "how much", "how long", "how old", "how far")
_DATE = ("khi nào", "bao giờ", "lúc nào", "thời điểm nào", "when", "what year", "which year")
_NAME = ("ai", "ở đâu", "nơi nào", "tại đâu", "who", "whom", "whose", "where")
_NUMBER_WORDS = frozenset(
    "một hai ba bốn năm sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ tỉ nửa đôi chục".split()
)
_DATE_UNITS = ("năm", "ngày", "tháng")
_NUMBER = re.compile(r"\d")
_DATE_TEXT = re.compile(r"\b(1\d{3}|20\d{2})\b|\b\d{1,2}/\d{1,2}\b|\b(ngày|tháng|năm|năm học)\s+\d", re.IGNORECASE)
# "năm nào", "sinh năm", "năm bao nhiêu": a year is asked, and a day of a month ("Chiều 28/7") is not one
_YEAR_ASKED = re.compile(r"\b(?:năm nào|năm bao nhiêu|năm mấy|sinh năm|what year|which year)\b", re.IGNORECASE)
_YEAR_TEXT = re.compile(r"\b(1\d{3}|20\d{2})\b|\bnăm\s+\d", re.IGNORECASE)
# "ở đâu", "tại đâu", "nơi nào": a place, said after the words that introduce one ("tại Viêng Chăn", "ở
# Thủ đô Hà Nội"); a person's name, which any news sentence holds, is no place
_PLACE_ASKED = ("ở đâu", "tại đâu", "nơi nào", "where")
_PLACE_WORDS = frozenset("tại ở từ đến vào thăm về sang ra trong ngoài phía".split())
# words after "bao nhiêu" that are no unit ("bao nhiêu là bình thường", "bao nhiêu thì")
_NOT_UNITS = frozenset("là thì được có và của để mà so với nữa cho trong lâu".split())
RAREST = 3  # the question's syllables of highest idf that `top_missing` looks for


@dataclass(frozen=True)
class Profile:
    """What a question asks for, worked out once per question."""

    wants_amount: bool  # how many / how much
    unit: str  # ... of what ("km", "năm", "giờ"), folded; "" any number
    wants_date: bool  # when (a year, a day, a month)
    wants_name: bool  # who / where
    names: frozenset[str]  # folded name syllables (capitalised words, numbers, roman numerals)
    rarest: tuple[str, ...]  # its content syllables of highest idf
    pairs: tuple[str, ...]  # its content syllable pairs
    pair_weights: tuple[float, ...]
    words: frozenset[str]  # all its folded syllables
    content: frozenset[str] = frozenset()  # its content syllables (weight > 0)
    wants_year: bool = False  # which year: a year, not a day of a month
    wants_place: bool = False  # where: a place after a word that introduces one

    @property
    def typed(self) -> bool:
        return self.wants_amount or self.wants_date or self.wants_name


def _asks(padded: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {phrase} " in padded for phrase in phrases)


def _kind(text: str) -> tuple[bool, str, bool, bool]:
    """(wants an amount, its unit, wants a date, wants a name)."""
    words = syllables(text)
    padded = f" {' '.join(words)} "
    unit = ""
    amount = _asks(padded, _AMOUNT)
    date = _asks(padded, _DATE)
    for i, word in enumerate(words):
        pair = " ".join(words[i : i + 2])
        if pair == "bao nhiêu" and i > 0 and words[i - 1] in _DATE_UNITS:
            # "năm bao nhiêu": which year, a date
            amount, date, unit = False, True, ""
            break
        if pair == "bao nhiêu" and i + 2 < len(words) and words[i + 2] not in _NOT_UNITS:
            unit = words[i + 2]
        elif word == "mấy" and i + 1 < len(words) and words[i + 1] not in _NOT_UNITS:
            unit = words[i + 1]
        elif word in ("mấy", "nào") and i > 0 and words[i - 1] in _DATE_UNITS:
            # "tháng mấy", "năm nào", "ngày nào": a date, not an amount
            amount, date, unit = False, True, ""
            break
    if unit and (re.search(rf"\b{re.escape(unit)}-\w", text.lower()) or _spelled(text, unit)):
        # a loanword unit written out ("ki-lô-mét", "ki lô mét", "héc-ta") or said ("cây số") is mostly
        # abbreviated in the text ("km", "ha"): any number will do
        unit = ""
    return amount, fold_word(unit) if unit else "", date, _asks(padded, _NAME)


# units as readers say or spell them, written "km", "ha", "kg" in texts: "mấy cây số", "bao nhiêu ki lô mét"
_SPOKEN_UNITS = frozenset({"cay so", "ki lo", "ky lo", "hec ta", "mi li", "xen ti"})


def _spelled(text: str, unit: str) -> bool:
    following = re.search(rf"\b{re.escape(unit)}\s+(\w+)", text.lower(), re.UNICODE)
    return following is not None and f"{fold_word(unit)} {fold_word(following.group(1))}" in _SPOKEN_UNITS


def loanword_unit(text: str) -> frozenset[str]:
    """Folded syllables of a unit written out as a hyphenated loanword after "bao nhiêu"/"mấy"
    ("ki-lô-mét", "héc-ta"). Texts mostly abbreviate them ("km", "ha"), so they say what kind of answer is
    asked for, not what it is about: they do not count as the question's content."""
    found = re.search(r"\b(?:bao nhiêu|mấy)\s+(\w+(?:-\w+)+)", nfc(text).lower())
    return frozenset(fold_word(part) for part in found.group(1).split("-")) if found else frozenset()


def question_names(text: str) -> frozenset[str]:
    """Folded syllables of the names a question mentions: capitalised words after the first, numbers,
    roman numerals, and an ordinal in words ("lần thứ ba": `thu_3`, as "lần thứ 3" reads). A question typed
    in lower case has no capitalised names (the feature is then 0 for them, as it is learnt)."""
    words = _CASED_WORD.findall(nfc(strip_markup(text)))
    folded = [fold_word(word) for word in words]
    names = set()
    for position, word in enumerate(words):
        if position > 0 and folded[position - 1] == "thu" and word.isdigit():
            continue  # "lần thứ 2": the ordinal below, which "lần thứ hai" meets too
        if any(ch.isdigit() for ch in word) or _ROMAN.match(word) or (position > 0 and word[0].isupper()):
            name = folded[position]
            names.add(name.lstrip("0") or name if name.isdigit() else name)  # "05" as "5": see `fit`
    names.update(ordinal for pair in zip(folded, folded[1:]) if (ordinal := _ordinal("_".join(pair))))
    return frozenset(names)


# "thứ nhất", "thứ hai", "thứ tư": which meeting, congress or session, the detail a near miss changes
# ("lần thứ nhất" asked of a paragraph on "lần thứ hai"). Counted with the question's function words
# otherwise, as "một", "hai", "ba" are
_ORDINALS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "bon": "4", "nam": "5", "sau": "6", "bay": "7",
             "tam": "8", "chin": "9", "muoi": "10"}


def _ordinal(pair: str) -> str:
    """`thu_N` for a folded pair "thu_<number word or digits>", else ""."""
    first, _, number = pair.partition("_")
    if first != "thu":
        return ""
    number = _ORDINALS.get(number, number if number.isdigit() else "")
    return f"thu_{number}" if number else ""


def ordinals_of(tokens: set[str]) -> set[str]:
    """The ordinals a passage's folded pairs hold, as `question_names` writes them."""
    return {ordinal for token in tokens if token.startswith("thu_") and (ordinal := _ordinal(token))}


def profile(asked: str, dense_text: str, tokens: list[str], weights: np.ndarray) -> Profile:
    """`asked`: the question as typed (its capitals); `dense_text`: with accents restored; `tokens` and
    `weights`: its lexical tokens and their content weights (idf, 0 for function words)."""
    single = sorted(
        {(float(w), t) for t, w in zip(tokens, weights) if w > 0 and "_" not in t}, reverse=True
    )
    pairs = [(t, float(w)) for t, w in zip(tokens, weights) if w > 0 and "_" in t]
    amount, unit, date, name = _kind(dense_text)
    padded = f" {' '.join(syllables(dense_text))} "
    return Profile(
        amount, unit, date, name, question_names(asked),
        tuple(t for _, t in single[:RAREST]), tuple(t for t, _ in pairs), tuple(w for _, w in pairs),
        frozenset(t for t in tokens if "_" not in t), frozenset(t for _, t in single),
        wants_year=bool(_YEAR_ASKED.search(padded)), wants_place=_asks(padded, _PLACE_ASKED),
    )


def _has_amount(window: str, unit: str) -> bool:
    """A number (digits or a number word), within two words before the unit when there is one."""
    words = syllables(window)
    numbers = [i for i, w in enumerate(words) if _NUMBER.search(w) or w in _NUMBER_WORDS]
    if not unit:
        return bool(numbers)
    units = {i for i, w in enumerate(words) if fold_word(w) == unit}
    return any(i + step in units for i in numbers for step in (1, 2, 3))


def _has_date(window: str) -> bool:
    return bool(_DATE_TEXT.search(window))


def _has_place(window: str, question: frozenset[str]) -> bool:
    """A capitalised word, not one of the question's, within three words after a word that introduces a
    place ("tại Trụ sở Chính phủ", "ở Thủ đô Viêng Chăn")."""
    words = _CASED_WORD.findall(window)
    named = [word[0].isupper() and fold_word(word) not in question for word in words]
    return any(word.lower() in _PLACE_WORDS and any(named[i + 1 : i + 4]) for i, word in enumerate(words))


def _has_new_name(window: str, question: frozenset[str]) -> bool:
    """A capitalised word that is not a sentence's first and not one of the question's own words."""
    for sentence in re.split(r"(?<=[.!?…])\s+", window):
        words = _CASED_WORD.findall(sentence)
        if any(word[0].isupper() and fold_word(word) not in question for word in words[1:]):
            return True
    return False


@dataclass(frozen=True)
class Fit:
    """How one passage's best window meets the question's profile (0..1 each)."""

    pair_coverage: float  # content-weighted share of the question's syllable pairs in the window
    top_missing: float  # share of its rarest syllables that the passage lacks
    type_missing: float  # 1: asks for a number/date or a name and the window has none
    names_missing: float  # share of its names that the passage lacks
    rare_pairs_missing: float = 0.0  # share of its RAREST highest-idf syllable pairs the window lacks
    rarest_window_missing: float = 0.0  # share of its rarest syllables the window (not the passage) lacks
    words_missing: float = 0.0  # log(1 + how many of its content syllables the window lacks)


def fit(asked: Profile, window: str, window_words: set[str], passage_words: set[str]) -> Fit:
    """`window_words`/`passage_words`: the folded lexical tokens (syllables and pairs) of each."""
    total = sum(asked.pair_weights)
    pairs = sum(w for t, w in zip(asked.pairs, asked.pair_weights) if t in window_words) / total if total else 0.0
    rarest = sum(t not in passage_words for t in asked.rarest) / len(asked.rarest) if asked.rarest else 0.0
    missing_type = (
        (asked.wants_amount and not _has_amount(window, asked.unit))
        or (asked.wants_date and not _has_date(window))
        or (asked.wants_name and not _has_new_name(window, asked.words))
        or (asked.wants_year and not _YEAR_TEXT.search(window))
        or (asked.wants_place and not _has_place(window, asked.words))
    )
    # a name typed as one word ("Vietnam") is two syllables in the text ("Việt Nam"): pairs joined count
    joined = {t.replace("_", "") for t in passage_words if "_" in t}
    # a day or month written with its zero or without ("05/09/1962", "5/9/1962") is the same number
    joined |= {t.lstrip("0") for t in passage_words if t.isdigit() and t.startswith("0")}
    if any(name.startswith("thu_") for name in asked.names):
        joined |= ordinals_of(passage_words)
    lacking = sum(n not in passage_words and n not in joined for n in asked.names)
    names = lacking / len(asked.names) if asked.names else 0.0
    top_pairs = [t for _, t in sorted(zip(asked.pair_weights, asked.pairs), reverse=True)[:RAREST]]
    rare_pairs = sum(t not in window_words for t in top_pairs) / len(top_pairs) if top_pairs else 0.0
    rarest_window = sum(t not in window_words for t in asked.rarest) / len(asked.rarest) if asked.rarest else 0.0
    # a count, not a share: the shares above already weigh the question's content, and a share did not
    # help where the count did (docs/quality.md); log, so the fifth word missing counts less than the first
    absent = math.log1p(sum(t not in window_words for t in asked.content))
    return Fit(pairs, rarest, float(missing_type), names, rare_pairs, rarest_window, absent)

