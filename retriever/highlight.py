"""The sentence of a paragraph that best answers the question, to be shown in bold."""

from __future__ import annotations

import numpy as np

from retriever.text import lexical_tokens, sentences


def best_sentence(text: str, tokens: list[str], idf: np.ndarray) -> str:
    """Highest idf-weighted overlap with the question; the first sentence when nothing overlaps."""
    parts = sentences(text)
    if len(parts) <= 1:
        return text
    weights = dict(zip(tokens, idf.tolist()))
    best, best_score = parts[0], 0.0
    for part in parts:
        score = sum(weights.get(token, 0.0) for token in set(lexical_tokens(part)))
        if score > best_score:
            best, best_score = part, score
    return best
