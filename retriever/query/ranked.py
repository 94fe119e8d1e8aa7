"""What ranking hands on: the front candidates with their evidence, shared by search and reranking."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retriever.query.relevance import Evidence


@dataclass(frozen=True)
class Ranked:
    rows: np.ndarray  # front candidates, best first
    evidence: tuple[Evidence, ...]
    highlights: tuple[str, ...]  # each one's best sentence
    foreign: bool  # the question is not in the collection's language
    live_best: float = -1.0  # the best dense evidence (passage or sentence cosine) of any candidate
    # the question has a content word (or syllable pair) the collection uses. Without one ("gì", "xoong", a
    # lone English word) only dense evidence is left, which the same-language gate was never fitted on
    # alone: such questions got quotes at 0.9 and more. Another language's questions are always True
    known_content: bool = True
