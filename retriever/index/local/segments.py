"""Read side of a generation with a delta segment: the main files plus `delta/`, seen as one set of rows.

An update that adds or changes a few files writes only their passages into `delta/` (its own vectors,
sentence vectors, a flat FAISS index and a BM25 index) and links the main files of the live generation
into the new one unchanged (`retriever.index.local.delta`). Rows 0:base are the main's, base:total the
delta's, numbered on; each class here answers for both as the single-segment one answers for its rows.

BM25 across the two: the delta's scores are computed with the document frequencies, passage count and
average length of main and delta together, and `idf` sums both; the main's stored scores keep the
statistics they were written with (the delta is at most a few percent of the main, so they move little)
until the delta is folded into a new main.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from retriever.index.local.dense import load_dense
from retriever.index.local.lexical import LexicalIndex, LexicalMatch, top_positive
from retriever.index.local.sentences import SentenceFile
from retriever.index.local.vectorfile import VectorFile

DELTA = "delta"
# counts of the main rows retired since the main was written (`retriever.index.local.lexical.Retired`)
MAIN_RETIRED = "main_retired.json"
MAIN_FILES = ("vectors.npy", "sentences.npy", "sentence_offsets.npy", "dense.faiss", "lexical")


@dataclass(frozen=True)
class MainFiles:
    """A generation's main segment, loaded. `identity` (device, inode, size, mtime of each file) tells
    whether another generation links the very same files: then a reload after an update written as a delta
    takes these as they are instead of reading the FAISS graph and BM25 matrix again."""

    vectors: VectorFile
    sentences: SentenceFile
    dense: faiss.Index
    lexical: LexicalIndex
    identity: tuple
    mmap: bool

    @classmethod
    def load(cls, generation: Path, mmap: bool, reuse: MainFiles | None = None) -> MainFiles:
        identity = _identity(generation)
        if reuse is not None and reuse.identity == identity and reuse.mmap == mmap:
            return reuse
        return cls(
            VectorFile(generation / "vectors.npy"), SentenceFile(generation),
            load_dense(generation / "dense.faiss", mmap=mmap), LexicalIndex.load(generation / "lexical", mmap=mmap),
            identity, mmap,
        )

    def close(self) -> None:
        self.vectors.close()
        self.sentences.close()


def _identity(generation: Path) -> tuple:
    found = []
    for name in MAIN_FILES:
        path = generation / name
        for item in sorted(path.iterdir()) if path.is_dir() else [path]:
            stat = item.stat()
            found.append((item.name, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


class SegmentedVectors:
    """`vectors.npy` of main and delta as one array of rows (read by slice or row list)."""

    def __init__(self, main: VectorFile, delta: VectorFile) -> None:
        self.main, self.delta = main, delta
        self.base = len(main)
        self.shape: tuple[int, int] = (self.base + len(delta), main.shape[1])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: slice | np.ndarray) -> np.ndarray:
        if isinstance(rows, slice):
            rows = np.arange(*rows.indices(self.shape[0]))
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty((len(rows), self.shape[1]), dtype=np.float32)
        in_main = rows < self.base
        out[in_main] = self.main[rows[in_main]]
        out[~in_main] = self.delta[rows[~in_main] - self.base]
        return out

    def close(self) -> None:
        self.main.close()
        self.delta.close()


class SegmentedSentences:
    """Sentence vectors of main and delta; `offsets` is the global row -> sentence index of both."""

    def __init__(self, main: SentenceFile, delta: SentenceFile) -> None:
        self.main, self.delta = main, delta
        self.base = main.rows
        self.offsets = np.concatenate([main.offsets, delta.offsets[1:] + main.offsets[-1]])
        self.dtype: np.dtype = main.dtype
        self.dim = main.dim

    @property
    def rows(self) -> int:
        return len(self.offsets) - 1

    @property
    def outdated(self) -> bool:
        return self.main.outdated or self.delta.outdated

    def of(self, row: int) -> np.ndarray:
        return self.main.of(row) if row < self.base else self.delta.of(row - self.base)

    def gather(self, rows: np.ndarray) -> np.ndarray:
        """As `SentenceFile.gather`: consecutive rows of one segment are read together."""
        rows = np.asarray(rows, dtype=np.int64)
        in_main = rows < self.base
        breaks = np.flatnonzero(in_main[1:] != in_main[:-1]) + 1
        parts = [
            self.main.gather(part) if part[0] < self.base else self.delta.gather(part - self.base)
            for part in np.split(rows, breaks) if len(part)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), dtype=self.dtype)

    def close(self) -> None:
        self.main.close()
        self.delta.close()


class SegmentedDense:
    """The main FAISS index and the delta's flat one, searched together (the best `k` of both)."""

    def __init__(self, main: faiss.Index, delta: faiss.Index) -> None:
        self.main, self.delta = main, delta
        self.base = int(main.ntotal)
        self.ntotal = self.base + int(delta.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        found = []
        for index, offset in ((self.main, 0), (self.delta, self.base)):
            if index.ntotal:
                scores, rows = index.search(queries, min(k, int(index.ntotal)))
                found.append((np.where(rows >= 0, scores, -np.inf), np.where(rows >= 0, rows + offset, -1)))
        scores = np.concatenate([s for s, _ in found], axis=1)
        rows = np.concatenate([r for _, r in found], axis=1)
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(scores, order, axis=1), np.take_along_axis(rows, order, axis=1)


@dataclass(frozen=True)
class SegmentedMatch(LexicalMatch):
    main: LexicalMatch | None = field(default=None)
    delta: LexicalMatch | None = field(default=None)


class SegmentedLexical:
    """BM25 of main and delta (see the module's note on their statistics)."""

    def __init__(self, main: LexicalIndex, delta: LexicalIndex) -> None:
        self.main, self.delta = main, delta
        self.base = main.num_docs
        self.num_docs = main.num_docs + delta.num_docs
        self.live_docs = main.live_docs + delta.live_docs

    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        df = self.main.doc_freqs(tokens) + self.delta.doc_freqs(tokens)
        return np.log(1 + (self.live_docs - df + 0.5) / (df + 0.5))

    def search(self, tokens: Sequence[str], k: int) -> SegmentedMatch:
        main, delta = self.main.search(tokens, k), self.delta.search(tokens, k)
        rows = np.concatenate([main.rows, delta.rows + self.base])
        scores = np.concatenate([self.main.score_rows(main, main.rows), self.delta.score_rows(delta, delta.rows)])
        best = top_positive(scores, k)
        return SegmentedMatch(rows[best], [], None, main, delta)

    def score_rows(self, match: LexicalMatch, rows: np.ndarray) -> np.ndarray:
        assert isinstance(match, SegmentedMatch) and match.main is not None and match.delta is not None
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros(len(rows), dtype=np.float32)
        in_main = rows < self.base
        out[in_main] = self.main.score_rows(match.main, rows[in_main])
        out[~in_main] = self.delta.score_rows(match.delta, rows[~in_main] - self.base)
        return out


def has_delta(generation: Path) -> bool:
    return (generation / DELTA).is_dir()
