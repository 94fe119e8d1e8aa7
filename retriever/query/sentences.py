"""Sentence-level evidence: the best sentence's cosine (from stored vectors) and its share of the question."""

from __future__ import annotations

import numpy as np

from retriever.text import lexical_tokens, sentences


def best_cosines(dense: np.ndarray, per_row: list[np.ndarray]) -> np.ndarray:
    """The better of each passage's cosine and its best sentence's."""
    best = np.array([part.max() if len(part) else -1.0 for part in per_row], dtype=np.float64)
    return np.maximum(dense, best)


def best_sentence(text: str, tokens: list[str], weights: np.ndarray, cosines: np.ndarray) -> tuple[str, float]:
    """The sentence to show in bold, and the largest share (0..1) of the question's content (idf mass)
    that one sentence holds. The bold one holds most of the question's words; its cosine breaks ties
    and decides when no words are shared (a question in another language)."""
    total = float(weights.sum())
    pieces = sentences(text) or [text]
    # the stored vectors belong to these sentences only when the split is the index's (a passage of
    # one sentence stores none: see `retriever.index.sentences.split_for_vectors`)
    usable = len(pieces) > 1 and len(cosines) == len(pieces)
    best, best_score, best_share = text, -np.inf, 0.0
    for i, sentence in enumerate(pieces):
        present = set(lexical_tokens(sentence))
        share = sum(w for token, w in zip(tokens, weights) if token in present) / total if total > 0 else 0.0
        score = share + (float(cosines[i]) if usable else 0.0)
        if score > best_score:
            best, best_score = sentence, score
        best_share = max(best_share, share)
    return best, best_share
