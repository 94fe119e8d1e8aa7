"""The collection's accented word forms: how often each syllable and syllable pair occurs, and the most
frequent accented form of each unaccented one. The index keeps these counts as it is built; search uses
them to put diacritics back on a question typed without them (`retriever.query.accents`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from retriever.text import fold_word, syllables


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
