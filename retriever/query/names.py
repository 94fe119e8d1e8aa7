"""A name the question asks about put in place of another: "Biên giới Việt Nam Trung Quốc dài bao nhiêu
km?" asked of a paragraph on "Việt Nam - Lào".

The gate weighs the names a passage lacks with everything else, and a paragraph that says all the rest of
a question outweighs one missing name: the Vietnam–Laos border's length was quoted at relevance 0.86 for
the China border, Vietnam's U22 coach for Thailand's, the Vietnam–Laos treaty's year for the Vietnam–
Cambodia one. Those quotes answer a question about another subject. It is told by its shape: a name of
the question that neither the paragraph nor its article mentions, though the collection does elsewhere,
beside a name the paragraph does mention, where the paragraph has another name instead ("Việt Nam - Lào"
against "Việt Nam Trung Quốc"). A name the question only adds as context ("… ở Châu Âu", "… trên khắp
Trung Đông") stands beside no name of the paragraph's, and a name the collection never uses (a reader's
spelling) is left to the gate."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from retriever.text import fold_word, lexical_tokens, nfc

_WORD = re.compile(r"\w+", re.UNICODE)
_JOIN = re.compile(r"\s*[-‐‑–—]?\s*")
_LINKS = frozenset({"va", "voi"})  # "Việt Nam và Lào", "Việt Nam với Lào": still side by side
SAME_SPELLING = 0.75  # "carslbad" / "carlsbad" 0.88, "ha" / "han" 0.8; "trung" / "lao" 0.25, "thai" / "viet" 0.5
MAX_WORDS = 60  # of a question: a message of hundreds of words is read for its names no further
NEAR = 2  # words from the shared name to where the paragraph's other name stands (links not counted)


@dataclass(frozen=True)
class Swap:
    """A name of the question (`name`: folded, as the index's tokens) and the named word beside it."""

    name: str
    beside: str  # folded
    after: bool  # the name comes after the word beside it


def _is_name(word: str) -> bool:
    return word[:1].isupper()


def name_runs(words: str) -> list[list[str]]:
    """The runs of capitalised words of a question, folded ("Việt Nam Trung Quốc": one run of four); not
    its first word, which any sentence capitalises."""
    found = _WORD.findall(nfc(words))[:MAX_WORDS]
    if sum(_is_name(word) for word in found) * 2 > len(found):
        return []  # typed in capitals ("ĐƯỜNG BIÊN GIỚI …") or title case: capitals say nothing of names
    runs: list[list[str]] = []
    last = -2
    for i, word in enumerate(found):
        if i == 0 or not _is_name(word):
            continue
        if i != last + 1:
            runs.append([])
        runs[-1].append(fold_word(word))
        last = i
    return runs


def _names(run: list[str], known: Mapping[str, bool]) -> list[list[str]]:
    """A run read as names: pairs the collection knows first, then any two words side by side, and a word
    left over alone ("Việt Nam Campuchia": "Việt Nam", "Campuchia"; "U22 Thái Lan": "U22", "Thái Lan")."""
    names, k = [], 0
    while k < len(run):
        pair = k + 1 < len(run)
        if pair and not known.get(f"{run[k]}_{run[k + 1]}") and k + 2 < len(run) \
                and known.get(f"{run[k + 1]}_{run[k + 2]}"):
            pair = False
        names.append(run[k:k + 2] if pair else run[k:k + 1])
        k += len(names[-1])
    return names


def asked_swaps(runs: list[list[str]], known: Mapping[str, bool]) -> list[Swap]:
    """Each name of a run with the word of the name beside it: "Châu Âu" is one name, not "Âu" beside
    "Châu"; "Việt Nam Campuchia" is "Campuchia" beside "Nam", never "Nam Campuchia"."""
    swaps = []
    for run in runs:
        names = _names(run, known)
        # after the shared name only: before a name stand titles and honorifics ("Bác Hồ Chí Minh", "Vua
        # Thái Maha …", "TT Bùi Thanh Sơn"), which the paragraph writes otherwise ("Chủ tịch Hồ Chí Minh")
        swaps += [Swap("_".join(name), names[n - 1][-1], True) for n, name in enumerate(names) if n > 0]
    return swaps


def run_tokens(runs: list[list[str]]) -> set[str]:
    """Every word and pair of words of the runs: what the collection is asked whether it knows."""
    return {word for run in runs for word in run} | {f"{a}_{b}" for run in runs for a, b in zip(run, run[1:])}


def _misspelt(swap: Swap, other: str) -> bool:
    """The paragraph's word is the question's name spelt otherwise ("Carslbad" for "Carlsbad", "Hã" for
    "Hãn"): the same name, not another one."""
    return any(SequenceMatcher(None, word, other).ratio() >= SAME_SPELLING for word in swap.name.split("_"))


def article_tokens(title: str, paragraphs: list[str]) -> frozenset[str]:
    return frozenset(token for text in (title, *paragraphs) for token in lexical_tokens(text))


def swapped(swaps: list[Swap], said: frozenset[str], passage: str, question: frozenset[str]) -> bool:
    """Whether the passage names something else where the question names what neither the passage nor
    its article mentions (`said`: their tokens). `question`: the question's folded words. The other name
    stands joined to the shared one, as one name of two parts is ("Việt Nam - Lào", "Việt Nam và Lào",
    "U22 Việt Nam"); a list ("Los Angeles, San Diego") or a new sentence between them joins nothing."""
    found = list(_WORD.finditer(nfc(passage)))
    words = [match.group() for match in found]
    folded = [fold_word(word) for word in words]
    for swap in swaps:
        if swap.name in said or swap.beside not in said:
            continue
        step = 1 if swap.after else -1
        others, spelt = False, False  # another name there; the question's, spelt otherwise ("Carslbad")
        for at, word in enumerate(folded):
            if word != swap.beside:
                continue
            seen, j = 0, at + step
            while 0 <= j < len(words) and seen < NEAR and _joined(passage, found[j - step], found[j]):
                if folded[j] in _LINKS:
                    j += step
                    continue
                if _is_name(words[j]) and folded[j] not in question:
                    if _misspelt(swap, folded[j]):
                        spelt = True
                    else:
                        others = True
                seen += 1
                j += step
        if others and not spelt:
            return True
    return False


def _joined(text: str, one: re.Match[str], other: re.Match[str]) -> bool:
    """Nothing but spaces and a hyphen or dash between two words of `text`."""
    first, second = sorted((one, other), key=lambda match: match.start())
    return _JOIN.fullmatch(text[first.end():second.start()]) is not None


# the ordinal that tells one of a series from another: "lần thứ nhất" against "lần thứ hai", "Kỳ họp thứ 47"
# against "thứ 48". Not a year: a paragraph gives one as "Đạo luật Scotland 1978", a range, or a period it
# spans, and questions on XQuAD-vi's answers were declined for "năm 1978" (3 of 683 on the fit part)
_ORDINAL_WORDS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "bon": "4", "nam": "5", "sau": "6", "bay": "7",
                  "tam": "8", "chin": "9", "muoi": "10"}


def _numbered(label: str, word: str) -> str:
    """The ordinal a word after `label` ("thu") stands for, or ""."""
    if label != "thu":
        return ""
    return word if word.isdigit() else _ORDINAL_WORDS.get(word, "")


_NUMBER_WORDS = frozenset({*_ORDINAL_WORDS, "mot", "lam", "muoi", "tram", "nghin", "ngan", "linh", "le"})


def _ordinals(folded: list[str]) -> list[tuple[str, str]]:
    """(label, number) of each ordinal among folded words: "thứ 48", "thứ nhất"; not one written out in
    several words ("thứ bốn mươi tám" is not "thứ 4")."""
    found = []
    for i, (label, word) in enumerate(zip(folded, folded[1:])):
        following = folded[i + 2] if i + 2 < len(folded) else ""
        if (number := _numbered(label, word)) and not (not word.isdigit() and following in _NUMBER_WORDS):
            found.append((label, number))
    return found


def asked_numbers(words: str) -> list[tuple[str, str]]:
    """(label, number) of each ordinal the question names ("lần thứ nhất": ("thu", "1"))."""
    return _ordinals([fold_word(word) for word in _WORD.findall(nfc(words))[:MAX_WORDS]])


def renumbered(numbers: list[tuple[str, str]], said: frozenset[str], passage: str) -> bool:
    """Whether the passage gives another of the series where the question asks about one that neither it
    nor its article names ("lần thứ tư" asked of the paragraph on "lần thứ hai")."""
    folded = [fold_word(word) for word in _WORD.findall(nfc(passage))]
    named = {(label, number) for token in said if token.count("_") == 1
             for label, word in [token.split("_")] if (number := _numbered(label, word))}
    for label, number in numbers:
        if (label, number) in named:
            continue
        given = {n for one, n in _ordinals(folded) if one == label}
        if given and number not in given:
            return True
    return False
