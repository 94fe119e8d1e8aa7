"""Term frequencies of a collection as flat NumPy arrays, and the BM25 score matrix computed from them.

bm25s counts and scores one document at a time in Python and needs every document's tokens as strings
first: at a million passages that is gigabytes and minutes, and it cannot add a document to an index.
Here a passage becomes an int32 array of token ids as soon as it is tokenised, the matrix is built with
vectorised NumPy/SciPy, and the term frequencies are saved beside it so that the next build only
tokenises the passages that are new. The scores are bm25s's own (Lucene variant, same k1 and b), so the
result is saved and searched as an ordinary bm25s index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from retriever.index.bm25 import K1, B
from retriever.text import fold_word, syllables

EMPTY = ""  # the token of a passage with no words, so every passage has a length
CHUNK = 50_000  # passages counted at once: bounds the memory of np.unique


class Vocabulary:
    """Token string -> id, growing as new tokens are seen; ids are never reused."""

    def __init__(self, ids: dict[str, int] | None = None) -> None:
        self.ids: dict[str, int] = dict(ids or {})
        self._pairs: dict[int, int] = {}  # (id_a << 32 | id_b) -> id of "a_b": skips building the string

    def _id(self, token: str) -> int:
        found = self.ids.get(token)
        if found is None:
            found = self.ids[token] = len(self.ids)
        return found

    def encode(self, text: str) -> np.ndarray:
        """Ids of `retriever.text.lexical_tokens(text)`: folded syllables, then folded syllable pairs."""
        folded = [fold_word(word) for word in syllables(text)]
        if not folded:
            return np.array([self._id(EMPTY)], dtype=np.int32)
        ids = [self._id(token) for token in folded]
        pairs = self._pairs
        for a, b, id_a, id_b in zip(folded, folded[1:], ids, ids[1:]):
            key = id_a << 32 | id_b
            pair = pairs.get(key)
            if pair is None:
                pair = pairs[key] = self._id(f"{a}_{b}")
            ids.append(pair)
        return np.array(ids, dtype=np.int32)


@dataclass(frozen=True)
class Postings:
    """One (row, token, tf) entry per distinct token of each passage, plus each row's length.
    A row of length 0 is a retired slot: no passage lives there any more."""

    rows: np.ndarray  # int32 passage row
    tokens: np.ndarray  # int32 token id
    tf: np.ndarray  # uint16 term frequency
    lengths: np.ndarray  # int32 tokens per row, repeats included; 0 = retired

    @classmethod
    def count(cls, token_ids: Sequence[np.ndarray], rows: np.ndarray, total_rows: int) -> Postings:
        """Postings of passages `token_ids`, placed at `rows` among `total_rows` slots."""
        rows = np.asarray(rows, dtype=np.int64)
        parts = [_count_chunk(token_ids[i : i + CHUNK], rows[i : i + CHUNK]) for i in range(0, len(token_ids), CHUNK)]
        lengths = np.zeros(total_rows, dtype=np.int32)
        lengths[rows] = [len(ids) for ids in token_ids]
        if not parts:
            return cls(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint16), lengths)
        rows_, tokens, tf = (np.concatenate(column) for column in zip(*parts))
        return cls(rows_, tokens, tf, lengths)

    def renumber(self, new_rows: np.ndarray, total_rows: int) -> Postings:
        """Move row r to `new_rows[r]` among `total_rows` slots, dropping rows mapped to -1."""
        if np.array_equal(new_rows, np.arange(len(new_rows))):  # nothing moves or goes: only appended
            lengths = np.zeros(total_rows, dtype=np.int32)
            lengths[: len(self.lengths)] = self.lengths
            return Postings(self.rows, self.tokens, self.tf, lengths)
        moved = new_rows[self.rows]
        keep = moved >= 0
        lengths = np.zeros(total_rows, dtype=np.int32)
        lengths[new_rows[new_rows >= 0]] = self.lengths[new_rows >= 0]
        return Postings(moved[keep].astype(np.int32), self.tokens[keep], self.tf[keep], lengths)

    @staticmethod
    def join(first: Postings, second: Postings) -> Postings:
        """Both over the same slots, each passage in one of them."""
        return Postings(
            np.concatenate([first.rows, second.rows]),
            np.concatenate([first.tokens, second.tokens]),
            np.concatenate([first.tf, second.tf]),
            first.lengths + second.lengths,
        )


def _count_chunk(token_ids: Sequence[np.ndarray], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    flat = np.concatenate(token_ids).astype(np.int64)
    local = np.repeat(np.arange(len(token_ids), dtype=np.int64), [len(ids) for ids in token_ids])
    keys, tf = np.unique(local << 32 | flat, return_counts=True)
    tokens = keys & 0xFFFFFFFF
    return (
        rows[keys >> 32].astype(np.int32),
        tokens.astype(np.int32),
        np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16),
    )


@dataclass(frozen=True)
class ScoreMatrix:
    """BM25 scores in bm25s's CSC layout (one column per token), with the term frequencies in the same order."""

    data: np.ndarray  # float32 score
    indices: np.ndarray  # int32 passage row
    indptr: np.ndarray  # column starts
    tf: np.ndarray  # uint16, aligned with data
    lengths: np.ndarray  # int32 per passage

    @property
    def num_docs(self) -> int:
        return len(self.lengths)

    def postings(self) -> Postings:
        tokens = np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int32), np.diff(self.indptr))
        return Postings(np.asarray(self.indices, dtype=np.int32), tokens, np.asarray(self.tf), np.asarray(self.lengths))


def score_matrix(postings: Postings, vocabulary_size: int) -> ScoreMatrix:
    """Lucene BM25, as bm25s computes it: idf = ln(1 + (N - df + .5) / (df + .5)),
    tf part = tf / (tf + k1 (1 - b + b len / avg len))."""
    n_docs = len(postings.lengths)
    live = postings.lengths[postings.lengths > 0]  # retired slots count for nothing
    df = np.bincount(postings.tokens, minlength=vocabulary_size)
    idf = np.log1p((len(live) - df + 0.5) / (df + 0.5)).astype(np.float32)
    average = float(live.mean()) if len(live) else 1.0
    norm = K1 * (1 - B + B * postings.lengths / average)
    tf = postings.tf.astype(np.float32)
    scores = (idf[postings.tokens] * (tf / (norm[postings.rows] + tf))).astype(np.float32)
    # a counting sort by token (scipy's COO -> CSC) keeps each column in row order, as bm25s stores it
    order = sp.coo_matrix(
        (np.arange(1, len(scores) + 1, dtype=np.int64), (postings.rows, postings.tokens)),
        shape=(n_docs, vocabulary_size),
    ).tocsc()
    position = order.data - 1
    return ScoreMatrix(
        scores[position],
        postings.rows[position],
        order.indptr.astype(np.int64),
        postings.tf[position],
        postings.lengths,
    )
