"""A name or an ordinal the question asks about put in place of the paragraph's: "Biên giới Việt Nam
Campuchia dài bao nhiêu km?" asked of a paragraph on "Việt Nam - Lào", "lần thứ nhất" of one on "lần thứ
hai".

The gate weighs the names a passage lacks with everything else, and a paragraph that says all the rest of
a question outweighs one missing name: the Vietnam–Laos treaty's year was quoted at relevance 0.97 for the
Vietnam–Cambodia one, and the second political consultation (0.98) for the first. Those quotes answer a
question about another subject. It is told by its shape: a name of the question that neither the
paragraph nor its article mentions, though the collection does elsewhere, after a name the paragraph
does mention (the same words, capitalised), where the paragraph has another name joined instead ("Việt
Nam - Lào" against "Việt Nam Campuchia"). A name the question only adds as context ("… ở Châu Âu", "… trên
khắp Trung Đông") follows no name of the paragraph's; a name the collection never uses (a reader's
spelling, "Korea", "Mi-an-ma") is left to the gate, and so is "Trung Quốc" asked of a collection that never
says it."""

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
    """A name of the question (`name`: folded, as the index's tokens) and the name before it (its words,
    folded)."""

    name: str
    after: tuple[str, ...]


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
    """Each name of a run the collection knows, with the name before it: "Việt Nam Campuchia" is
    "Campuchia" after "Việt Nam", never "Nam Campuchia"; "Châu Âu" is one name. Only after: before a name
    stand titles the paragraph writes otherwise ("Bác Hồ Chí Minh", "Vua Thái Maha …", "TT Bùi Thanh Sơn")."""
    swaps = []
    for run in runs:
        names = _names(run, known)
        swaps += [Swap("_".join(name), tuple(names[n - 1])) for n, name in enumerate(names)
                  if n > 0 and known.get("_".join(name))]
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
    stands joined after the shared one, as one name of two parts is ("Việt Nam - Lào", "Việt Nam và Lào",
    "U22 Việt Nam"); a list ("Los Angeles, San Diego") or a new sentence between them joins nothing, and
    the shared name is capitalised there too ("40 năm" is no "Nam")."""
    text = nfc(passage)
    found = list(_WORD.finditer(text))
    words = [match.group() for match in found]
    folded = [fold_word(word) for word in words]
    for swap in swaps:
        if swap.name in said:
            continue
        width = len(swap.after)
        others, spelt = False, False  # another name there; the question's, spelt otherwise ("Carslbad")
        for at in range(len(words) - width):
            shared = range(at, at + width)
            if tuple(folded[i] for i in shared) != swap.after or not all(_is_name(words[i]) for i in shared):
                continue
            seen, j = 0, at + width
            while j < len(words) and seen < NEAR and _joined(text, found[j - 1], found[j]):
                if folded[j] in _LINKS:
                    j += 1
                    continue
                if _is_name(words[j]) and folded[j] not in question:
                    if _misspelt(swap, folded[j]):
                        spelt = True
                    else:
                        others = True
                seen += 1
                j += 1
        if others and not spelt:
            return True
    return False


def _joined(text: str, one: re.Match[str], other: re.Match[str]) -> bool:
    """Nothing but spaces and a hyphen or dash between two words of `text`."""
    return _JOIN.fullmatch(text[one.end():other.start()]) is not None


# the ordinal of an event that recurs, "lần thứ N": "lần thứ nhất" against "lần thứ hai", "Kỳ họp lần thứ
# 47" against "lần thứ 48". Not any "thứ N" (a weekday, "thế kỷ thứ 19", "thứ tự"), nor a year (a
# paragraph writes "Đạo luật Scotland 1978": three XQuAD-vi answers of the fit part were declined for it)
_ORDINAL_WORDS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "bon": "4", "nam": "5", "sau": "6", "bay": "7",
                  "tam": "8", "chin": "9", "muoi": "10"}
_NUMBER_WORDS = frozenset({*_ORDINAL_WORDS, "mot", "lam", "muoi", "tram", "nghin", "ngan", "linh", "le"})


def _ordinals(folded: list[str]) -> list[str]:
    """The ordinal of each "lần thứ N" among folded words, and "lần đầu" as the first; not one written
    out in several words ("lần thứ bốn mươi tám" is not the fourth)."""
    found = []
    for i in range(len(folded) - 1):
        if folded[i] != "lan":
            continue
        if folded[i + 1] == "dau":
            found.append("1")
            continue
        if folded[i + 1] != "thu" or i + 2 >= len(folded):
            continue
        word = folded[i + 2]
        following = folded[i + 3] if i + 3 < len(folded) else ""
        number = word if word.isdigit() else _ORDINAL_WORDS.get(word, "")
        if number and (word.isdigit() or following not in _NUMBER_WORDS):
            found.append(number)
    return found


def asked_numbers(words: str) -> list[str]:
    """The ordinal the question asks about ("lần thứ nhất": "1"); none when it names two ("lần thứ hai
    hay lần thứ ba": either may be the paragraph's)."""
    found = set(_ordinals([fold_word(word) for word in _WORD.findall(nfc(words))[:MAX_WORDS]]))
    return sorted(found) if len(found) == 1 else []


def renumbered(numbers: list[str], said: frozenset[str], passage: str) -> bool:
    """Whether the passage tells of another occurrence where the question asks about one that neither it
    nor its article names ("lần thứ tư" asked of the paragraph on "lần thứ hai")."""
    if not numbers:
        return False
    given = set(_ordinals([fold_word(word) for word in _WORD.findall(nfc(passage))]))
    # what the article names as an ordinal anywhere, leniently: "thứ hai" in any sense, "lần đầu"
    named = {_ORDINAL_WORDS.get(token[4:], token[4:]) for token in said if token.startswith("thu_")}
    named |= {"1"} if "lan_dau" in said else set()
    return bool(given) and not any(number in given or number in named for number in numbers)
