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


def fold_form(form: str) -> str:
    """A syllable or syllable pair without its diacritics."""
    return " ".join(fold_word(part) for part in form.split(" "))


def accent_folds(forms: Iterable[str]) -> list[tuple[str, str]]:
    """(folded, form) of each form that has diacritics: the forms a folded word may be restored to."""
    return [(folded, form) for form in forms if (folded := fold_form(form)) != form]


def best_forms(counts: Mapping[str, int]) -> dict[str, str]:
    """Most frequent accented form of each folded syllable and syllable pair; of equal counts, the form that
    sorts first, so that a catalog updated a few words at a time (`retriever.index.local.changes`) picks
    what a whole write picks, whatever order the counts come in."""
    best: dict[str, tuple[int, str]] = {}
    for folded, form in accent_folds(counts):
        count = counts[form]
        if count <= 0:
            continue
        held = best.get(folded)
        if held is None or count > held[0] or (count == held[0] and form < held[1]):
            best[folded] = (count, form)
    return {folded: form for folded, (_, form) in best.items()}
