"""Sentence-level evidence: the best sentence's cosine (from stored vectors) and its share of the question."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retriever.text import lexical_tokens, sentences


@dataclass(frozen=True)
class SentenceMatch:
    sentence: str  # the one to show in bold
    share: float  # largest share (0..1) of the question's content (idf mass) that one sentence holds
    window_share: float  # the same for `window` consecutive sentences
    window: str = ""  # the best such window's text
    window_words: frozenset[str] = frozenset()  # its lexical tokens
    passage_words: frozenset[str] = frozenset()  # the whole passage's


def best_cosines(dense: np.ndarray, per_row: list[np.ndarray]) -> np.ndarray:
    """The better of each passage's cosine and its best sentence's."""
    best = np.array([part.max() if len(part) else -1.0 for part in per_row], dtype=np.float64)
    return np.maximum(dense, best)


def best_sentence(
    text: str, tokens: list[str], weights: np.ndarray, cosines: np.ndarray, window: int = 1
) -> SentenceMatch:
    """The bold sentence holds most of the question's words; its cosine breaks ties and decides when no
    words are shared (a question in another language)."""
    total = float(weights.sum())
    pieces = sentences(text) or [text]
    # the stored vectors belong to these sentences only when the split is the index's (a passage of
    # one sentence stores none: see `retriever.index.sentences.split_for_vectors`)
    usable = len(pieces) > 1 and len(cosines) == len(pieces)
    present = [set(lexical_tokens(sentence)) for sentence in pieces]

    def share(words: set[str]) -> float:
        return sum(w for token, w in zip(tokens, weights) if token in words) / total if total > 0 else 0.0

    shares = [share(words) for words in present]
    scores = [s + (float(cosines[i]) if usable else 0.0) for i, s in enumerate(shares)]
    spans = [set().union(*present[i : i + window]) for i in range(max(1, len(present) - window + 1))]
    windows = [share(words) for words in spans]
    best = int(np.argmax(windows))
    return SentenceMatch(
        pieces[int(np.argmax(scores))], max(shares), windows[best], " ".join(pieces[best : best + window]),
        frozenset(spans[best]), frozenset().union(*present),
    )
