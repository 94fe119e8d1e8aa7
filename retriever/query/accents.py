"""Put diacritics back on a question typed without them, using the collection's own vocabulary.

The dense encoder barely understands `bien gioi`; it understands `biên giới`. Pairs of syllables are
restored first (their accents are far less ambiguous than single syllables), then single ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from retriever.text import fold_word, syllables

_TOKEN = re.compile(r"\w+|\W+", re.UNICODE)

Lookup = Callable[[list[str]], dict[str, str]]


def restore_accents(text: str, lookup: Lookup) -> tuple[str, bool]:
    """Return (restored text, whether anything changed). `lookup` maps folded forms to accented ones."""
    parts = _TOKEN.findall(text)
    words = [i for i, part in enumerate(parts) if part[0].isalnum() or part[0] == "_"]
    folded = [fold_word(parts[i]) for i in words]
    pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:])]
    forms = lookup(sorted(set(folded) | set(pairs)))
    out = list(parts)
    done: set[int] = set()
    for n, pair in enumerate(pairs):
        if pair not in forms:
            continue
        for position, form in zip((n, n + 1), forms[pair].split(" ")):
            if position not in done:
                out[words[position]] = _match_case(parts[words[position]], form)
                done.add(position)
    for n, word in enumerate(folded):
        if n not in done and word in forms:
            out[words[n]] = _match_case(parts[words[n]], forms[word])
    restored = "".join(out)
    return restored, restored != text


def _match_case(original: str, form: str) -> str:
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def count_forms(texts: Iterable[str]) -> Counter[str]:
    """How often each accented syllable and syllable pair occurs."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = syllables(text)
        counts.update(words)
        counts.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return counts


def updated_counts(old: dict[str, int], removed: Iterable[str], added: Iterable[str]) -> Counter[str]:
    """Counts after a rebuild, from the previous counts and only the passages that changed."""
    counts = Counter(old)
    counts.subtract(count_forms(removed))
    counts.update(count_forms(added))
    return +counts  # drops forms that no longer occur


def best_forms(counts: Mapping[str, int]) -> dict[str, str]:
    """Most frequent accented form of each folded syllable and syllable pair."""
    best: dict[str, tuple[int, str]] = {}
    for form, count in counts.items():
        folded = " ".join(fold_word(part) for part in form.split(" "))
        if folded != form and count > best.get(folded, (0, ""))[0]:
            best[folded] = (count, form)
    return {folded: form for folded, (_, form) in best.items()}
