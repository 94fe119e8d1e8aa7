"""BM25 (bm25s) over diacritic-folded Vietnamese syllables and syllable pairs.

The score matrix is written by `retriever.index.local.lexical_build` as an ordinary bm25s index, with the term
frequencies and passage lengths beside it (`tf.index.npy`, `lengths.index.npy`) so that the next build
re-tokenises only the passages that are new.
"""

from __future__ import annotations

import copy
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from retriever.index.local.columns import Columns
from retriever.index.local.lexical_build import LENGTHS_FILE, build_lexical
from retriever.index.local.postings import EMPTY
from retriever.text import lexical_tokens

__all__ = ["LexicalIndex", "LexicalMatch", "Retired", "build_lexical", "top_positive"]

logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Retired:
    """The counts of main rows retired since the main's BM25 was written (an update written as a delta
    segment leaves their postings in place): taken off its document frequencies, passage count and
    length, so a word only a removed passage had is unknown again, as in an index that never had it."""

    docs: int = 0
    length: int = 0
    df: dict[str, int] = field(default_factory=dict)

    def plus(self, searchable: Iterable[str]) -> Retired:
        df, docs, length = Counter(self.df), self.docs, self.length
        for text in searchable:
            tokens = lexical_tokens(text) or [EMPTY]
            docs, length = docs + 1, length + len(tokens)
            df.update(set(tokens))
        return Retired(docs, length, dict(df))

    @classmethod
    def load(cls, path: Path) -> Retired:
        if not path.is_file():
            return cls()
        found = json.loads(path.read_text("utf-8"))
        return cls(int(found["docs"]), int(found["length"]), {str(k): int(v) for k, v in found["df"].items()})

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"docs": self.docs, "length": self.length, "df": self.df}, ensure_ascii=False),
                        "utf-8")


@dataclass(frozen=True)
class LexicalMatch:
    """A query's best rows, and what scoring any other row for it needs."""

    rows: np.ndarray  # best first
    token_ids: list[int]
    scores: np.ndarray | None  # every row's score, when the query was scored exactly


class LexicalIndex:
    def __init__(self, model: bm25s.BM25, live_docs: int | None = None) -> None:
        self._model = model
        if model.nonoccurrence_array is not None:  # BM25L / BM25+; the index is written as Lucene BM25
            raise ValueError(f"a lexical index of method {model.method!r} cannot be read here")
        indptr = np.asarray(model.scores["indptr"])
        self._columns = Columns(model.scores["data"], model.scores["indices"], indptr)
        self._dtype = np.dtype(model.dtype)
        self.doc_freq = np.diff(indptr)  # scores are stored per token (CSC): postings length = df
        self.num_docs = int(model.scores["num_docs"])  # rows, retired ones included
        self.live_docs = self.num_docs if live_docs is None else live_docs
        self.retired = Retired()

    def without(self, retired: Retired) -> LexicalIndex:
        """This index with the counts of `retired` rows taken off (the matrix shared, not copied)."""
        other = copy.copy(self)
        other.retired, other.live_docs = retired, self.live_docs - retired.docs
        return other

    @classmethod
    def load(cls, folder: Path, mmap: bool = False) -> LexicalIndex:
        lengths = folder / LENGTHS_FILE
        live = int(np.count_nonzero(np.load(lengths, mmap_mode="r"))) if lengths.is_file() else None
        return cls(bm25s.BM25.load(str(folder), mmap=mmap), live)

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        vocab = self._model.vocab_dict
        return [vocab[token] for token in tokens if token in vocab and token]

    def doc_freqs(self, tokens: Sequence[str]) -> np.ndarray:
        """How many passages hold each token (0: none)."""
        vocab, gone = self._model.vocab_dict, self.retired.df
        return np.array([self.doc_freq[vocab[t]] - gone.get(t, 0) if t in vocab else 0 for t in tokens],
                        dtype=np.float64)

    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 idf of each token; a token the collection never uses gets the rarest possible idf."""
        df = self.doc_freqs(tokens)
        return np.log(1 + (self.live_docs - df + 0.5) / (df + 0.5))

    def total_length(self, folder: Path) -> int:
        """The summed length of the passages (a delta is scored with the main's average length)."""
        lengths = folder / LENGTHS_FILE
        total = int(np.load(lengths, mmap_mode="r").sum(dtype=np.int64)) if lengths.is_file() else 0
        return total - self.retired.length

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for the query tokens (zeros when none is in the vocabulary)."""
        return self._columns.scores(self.token_ids(tokens), self.num_docs, self._dtype)

    def search(self, tokens: Sequence[str], k: int) -> LexicalMatch:
        """The (about) k best passages, best first; rows scoring 0 are left out.

        Exact while the query's postings fit POSTINGS_BUDGET. Past it, the most common tokens ("của" is in
        80% of the passages of a news archive) are left out of choosing OVERFETCH * k candidates,
        which are then ranked by their full score: at ~1M passages this keeps 99% of the exact top 50 and
        takes p95 from 15.5 to 6.7 ms, because those tokens' postings are most of the work and little of
        the score.
        """
        ids = self.token_ids(tokens)
        if not ids:
            return LexicalMatch(np.zeros(0, dtype=np.int64), ids, np.zeros(self.num_docs, dtype=np.float32))
        chosen = self._affordable(ids)
        scores = self._columns.scores(chosen, self.num_docs, self._dtype)
        if len(chosen) == len(ids):
            return LexicalMatch(top_positive(scores, k), ids, scores)
        pool = top_positive(scores, OVERFETCH * k)
        order = np.argsort(-self._score_rows(ids, pool), kind="stable")[:k]
        return LexicalMatch(pool[order], ids, None)

    def score_rows(self, match: LexicalMatch, rows: np.ndarray) -> np.ndarray:
        """The full BM25 score of each of `rows` for the query of `match` (exact)."""
        if match.scores is not None:
            return match.scores[rows]
        return self._score_rows(match.token_ids, np.asarray(rows))

    def _score_rows(self, ids: list[int], rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), dtype=np.float32)
        if not len(rows):
            return out
        for token in ids:
            found, scores = self._columns.look_up(token, rows)
            out[found] += scores
        return out

    def _affordable(self, ids: list[int]) -> list[int]:
        """The rarest tokens whose postings fit POSTINGS_BUDGET (at least one), in the query's order so
        that their scores add up in the same order, to the same float, as in `scores`."""
        kept: list[int] = []
        total = 0
        for i in sorted(range(len(ids)), key=lambda i: self.doc_freq[ids[i]]):
            total += int(self.doc_freq[ids[i]])
            if kept and total > POSTINGS_BUDGET:
                break
            kept.append(i)
        return [ids[i] for i in sorted(kept)]


POSTINGS_BUDGET = 1_000_000  # postings a query may sum exactly: a few ms on 2 cores
OVERFETCH = 4  # candidates chosen without the common tokens, per result kept
SAMPLE = 4_096


def top_positive(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k highest positive scores, best first. Exact; at a million rows a full argpartition
    took ~10 ms, so a threshold from a sample first cuts the candidates to about a thousand."""
    if k <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    candidates = None
    if len(scores) > 8 * SAMPLE and k < len(scores) // 64:
        sample = np.sort(scores[:: len(scores) // SAMPLE])[::-1]
        rank = min(len(sample) - 1, 4 * k * len(sample) // len(scores) + 16)
        above = np.flatnonzero(scores >= max(float(sample[rank]), np.finfo(np.float32).tiny))
        if len(above) >= k:  # then the k-th best is >= the threshold: every top-k row is among them
            candidates = above
    if candidates is None:
        candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    return candidates[np.argsort(-scores[candidates], kind="stable")].astype(np.int64)
