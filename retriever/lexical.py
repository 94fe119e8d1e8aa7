"""BM25 (bm25s) over diacritic-folded Vietnamese syllables and syllable bigrams."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from retriever.text import lexical_tokens

logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    def __init__(self, model: bm25s.BM25) -> None:
        self._model = model
        indptr = np.asarray(model.scores["indptr"])
        self.doc_freq = np.diff(indptr)  # scores are stored per token (CSC): postings length = df
        self.num_docs = int(model.scores["num_docs"])

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        model = bm25s.BM25()
        model.index([lexical_tokens(text) or [""] for text in texts], show_progress=False)
        return cls(model)

    def save(self, folder: Path) -> None:
        self._model.save(str(folder))

    @classmethod
    def load(cls, folder: Path, mmap: bool = False) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(folder), mmap=mmap))

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        vocab = self._model.vocab_dict
        return [vocab[token] for token in tokens if token in vocab and token]

    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 idf of each token; a token the collection never uses gets the rarest possible idf."""
        vocab = self._model.vocab_dict
        df = np.array([self.doc_freq[vocab[t]] if t in vocab else 0 for t in tokens], dtype=np.float64)
        return np.log(1 + (self.num_docs - df + 0.5) / (df + 0.5))

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for the query tokens (zeros when none is in the vocabulary)."""
        ids = self.token_ids(tokens)
        if not ids:
            return np.zeros(self.num_docs, dtype=np.float32)
        return self._model.get_scores(ids)

    def search(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows and their scores (rows with score 0 are dropped)."""
        scores = self.scores(tokens)
        k = min(k, len(scores))
        if k == 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        keep = scores[top] > 0
        return scores[top][keep], top[keep].astype(np.int64)
