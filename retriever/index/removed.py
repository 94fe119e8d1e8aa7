"""What the index remembers of removed documents: the vectors of their passages, never their text.

Without them, a question about a document that was just removed gets a similar paragraph of another document
on the same topic: to every feature of the gate (cosines, shared words, coverage) that paragraph looks
like an answer, and an index that never had the document cannot tell either. The removed passages'
vectors can: when the best of them is clearly closer to the question than anything still in the
collection, the question was about what was removed, and search abstains (`SearchOptions.removed_margin`).

Each removed passage is kept as a small block of int8 vectors (its passage vector and its sentence
vectors, as `retriever.index.sentences.quantize` stores them); the question's evidence is the best cosine
with any of them, the same "better of passage and best sentence" that ranks live passages. Only passages
of documents that left the collection are kept: a changed document's new version answers its questions.
A passage that comes back (the document is added again, or moved) is forgotten; so is everything beyond
the `REMEMBERED` most recently removed passages, and everything on `tracuu index --rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from retriever.index.sentences import quantize

# removed passages remembered, most recent first. At the cap, with ~5 sentences a passage (30k vectors
# of 384 dimensions): 11 MB of int8 in the index, 46 MB of float32 in memory, and 1.1 ms p50 (1.7 p95)
# a question for the product on a quiet machine; in PostgreSQL (HNSW) the candidates statement went from
# 3.8 to 5.6-6.4 ms p50. Nothing at all while nothing was removed
REMEMBERED = 5000


@dataclass(frozen=True)
class Removed:
    """One removed passage's vectors: int8, its passage vector first."""

    passage_id: int
    removed_at: str  # ISO 8601, UTC
    vectors: np.ndarray

    @staticmethod
    def of(passage_id: int, removed_at: str, passage_vector: np.ndarray, sentences: np.ndarray) -> Removed:
        rows = np.vstack([quantize(np.asarray(passage_vector, dtype=np.float32)[None, :]), quantize(sentences)])
        return Removed(passage_id, removed_at, rows)


def remembered(kept: Iterable[Removed], new: Iterable[Removed], live_ids: set[int]) -> list[Removed]:
    """The passages to remember after a build: the newly removed ones, then those already remembered,
    without any that are live again, at most `REMEMBERED`, the most recently removed first."""
    seen: set[int] = set()
    out: list[Removed] = []
    for item in sorted([*new, *kept], key=lambda r: r.removed_at, reverse=True):
        if item.passage_id in live_ids or item.passage_id in seen:
            continue
        seen.add(item.passage_id)
        out.append(item)
        if len(out) == REMEMBERED:
            break
    return out
