"""The local backend's memory of removed passages (`retriever.index.removed`), searched in process."""

from __future__ import annotations

import numpy as np

from retriever.index.sentences import unit_vectors


class RemovedMemory:
    """Unit float32 vectors of every remembered passage, for the best cosine with a question."""

    def __init__(self, stored: list[np.ndarray], dim: int) -> None:
        self.vectors = unit_vectors(np.vstack(stored)) if stored else np.zeros((0, dim), dtype=np.float32)

    def best(self, vectors: np.ndarray) -> np.ndarray:
        """Per question, its best cosine with removed content; -1 where nothing is remembered."""
        if not len(self.vectors):
            return np.full(len(vectors), -1.0)
        return np.asarray((self.vectors @ np.asarray(vectors, dtype=np.float32).T).max(axis=0), dtype=np.float64)
