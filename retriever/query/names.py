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
    found = _WORD.findall(nfc(words))
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
        for n, name in enumerate(names):
            if n > 0:
                swaps.append(Swap("_".join(name), names[n - 1][-1], True))
            if n + 1 < len(names):
                swaps.append(Swap("_".join(name), names[n + 1][0], False))
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


# the ordinal or year that tells one of a series from another: "lần thứ nhất" against "lần thứ hai", "Kỳ
# họp thứ 47" against "thứ 48", "năm 2019" against "năm 2020"
_ORDINAL_WORDS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "bon": "4", "nam": "5", "sau": "6", "bay": "7",
                  "tam": "8", "chin": "9", "muoi": "10"}
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _numbered(label: str, word: str) -> str:
    """The number a word after `label` ("thu", "nam") stands for, or ""."""
    if label == "thu":
        return word if word.isdigit() else _ORDINAL_WORDS.get(word, "")
    return word if label == "nam" and _YEAR.fullmatch(word) else ""


def asked_numbers(words: str) -> list[tuple[str, str]]:
    """(label, number) of each ordinal ("lần thứ nhất": ("thu", "1")) and year ("năm 2019") the question
    names."""
    folded = [fold_word(word) for word in _WORD.findall(nfc(words))]
    return [(label, number) for label, word in zip(folded, folded[1:]) if (number := _numbered(label, word))]


def renumbered(numbers: list[tuple[str, str]], said: frozenset[str], passage: str) -> bool:
    """Whether the passage gives another of the series where the question asks about one that neither it
    nor its article names ("lần thứ tư" asked of the paragraph on "lần thứ hai")."""
    folded = [fold_word(word) for word in _WORD.findall(nfc(passage))]
    named = {(label, number) for token in said if token.count("_") == 1
             for label, word in [token.split("_")] if (number := _numbered(label, word))}
    for label, number in numbers:
        if (label, number) in named:
            continue
        given = {n for one, other in zip(folded, folded[1:]) if one == label and (n := _numbered(label, other))}
        if given and number not in given:
            return True
    return False
