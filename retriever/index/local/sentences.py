"""The local backend's file of sentence vectors (`retriever.index.sentences` says what they are):

    sentences.npy         int8 (n_sentences, dim), the sentences of row r at offsets[r]:offsets[r+1]
    sentence_offsets.npy  int64 (rows + 1,)
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from retriever.index.sentences import STORED, quantize

VECTORS = "sentences.npy"
OFFSETS = "sentence_offsets.npy"
LEGACY = np.dtype(np.float16)  # format 4
READABLE = (STORED, LEGACY)


def write_sentences(generation: Path, per_row: Sequence[np.ndarray | None], dim: int) -> None:
    """`per_row`: the sentence vectors of each row (None or empty for retired and one-sentence rows),
    float (encoded now), float16 (a format 4 generation's) or int8 (this format's, copied as they are)."""
    counts = np.array([0 if block is None else len(block) for block in per_row], dtype=np.int64)
    offsets = np.zeros(len(per_row) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    blocks = [quantize(block) for block in per_row if block is not None and len(block)]
    vectors = np.concatenate(blocks) if blocks else np.zeros((0, dim), dtype=STORED)
    np.save(generation / VECTORS, vectors)
    np.save(generation / OFFSETS, offsets)


class SentenceFile:
    """Read side: the sentence vectors of a few rows. Thread-safe (pread only).

    Read with `preadv` rather than through a mapping, for the reason `retriever.index.local.vectorfile` gives
    (a mapping pulls the pages around every row into the process); one call per run of adjacent rows,
    into one buffer, costs ~0.08 ms for 100 candidates."""

    def __init__(self, generation: Path) -> None:
        path = generation / VECTORS
        self.offsets = np.load(generation / OFFSETS)
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = header(handle)
            self._offset = handle.tell()
        if len(shape) != 2 or fortran or dtype not in READABLE or shape[0] != self.offsets[-1]:
            raise ValueError(f"{path} holds {dtype} {shape}, not the {self.offsets[-1]} sentence rows of int8")
        self.dtype: np.dtype = dtype
        self.dim = int(shape[1])
        self._row_bytes = self.dim * dtype.itemsize
        self._fd = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, os.close, self._fd)

    @property
    def rows(self) -> int:
        return len(self.offsets) - 1

    @property
    def outdated(self) -> bool:
        """Written by format 4 (float16): readable, but slower to score; a build rewrites it."""
        return self.dtype != STORED

    def of(self, row: int) -> np.ndarray:
        """(n, dim) in the stored dtype; n = 0 for a passage of one sentence. A build copies every kept
        row with this: 6.5 µs a row at 100k passages, where going through `gather` took 40 (4 s in all)."""
        if not 0 <= row < self.rows:
            raise IndexError(f"row {row} is outside the {self.rows} of {VECTORS}")
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        out = np.empty((end - start, self.dim), dtype=self.dtype)
        self._read(memoryview(out.reshape(-1).view(np.uint8).data), start, end)
        return out

    def gather(self, rows: np.ndarray) -> np.ndarray:
        """The sentence vectors of `rows`, one row's after another's, in one array."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) and (rows.min() < 0 or rows.max() >= self.rows):
            raise IndexError(f"rows outside the {self.rows} of {VECTORS}")
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        out = np.empty((int((ends - starts).sum()), self.dim), dtype=self.dtype)
        view = memoryview(out.reshape(-1).view(np.uint8).data)
        position = 0
        for start, end in _runs(starts, ends):
            size = (end - start) * self._row_bytes
            self._read(view[position : position + size], start, end)
            position += size
        return out

    def _read(self, into: memoryview, start: int, end: int) -> None:
        """Sentences start:end into `into` (exactly their size)."""
        if end > start and os.preadv(self._fd, [into], self._offset + start * self._row_bytes) != len(into):
            raise OSError(f"{VECTORS} is shorter than its header says")

    def close(self) -> None:
        self._closer()


def _runs(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Sentence ranges to read: empty ones dropped, each joined to the one before when they touch
    (search's candidates come sorted, and neighbouring passages of an article are often among them)."""
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if not len(starts):
        return []
    breaks = np.flatnonzero(starts[1:] != ends[:-1]) + 1
    firsts = np.concatenate([[0], breaks])
    lasts = np.concatenate([breaks - 1, [len(starts) - 1]])
    return list(zip(starts[firsts].tolist(), ends[lasts].tolist(), strict=True))


class SentenceRows(Protocol):
    """A `SentenceFile`, or main and delta's together (`retriever.index.local.segments`)."""

    offsets: np.ndarray

    def gather(self, rows: np.ndarray) -> np.ndarray: ...


def sentence_cosines(store: SentenceRows, rows: np.ndarray, vector: np.ndarray) -> list[np.ndarray]:
    """Cosine of the question with each stored sentence of each row (empty for one-sentence passages).
    One read and one matrix product for all candidates: 100 rows of ~7 sentences cost ~0.2 ms."""
    rows = np.asarray(rows, dtype=np.int64)
    counts = store.offsets[rows + 1] - store.offsets[rows]
    if not counts.sum():
        return [np.zeros(0, dtype=np.float64) for _ in range(len(rows))]
    # measured on 100 candidates of the long collection (721 sentences), load average ~1: read 0.08 ms,
    # int8 -> float32 0.035, norms 0.04, product 0.01; the norms are cheaper computed than stored and read
    block = store.gather(rows).astype(np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", block, block))
    cosines = (block @ np.asarray(vector, dtype=np.float32)).astype(np.float64) / np.maximum(norms, 1e-12)
    ends = np.cumsum(counts)
    return [cosines[end - count : end] for end, count in zip(ends.tolist(), counts.tolist(), strict=True)]


def sentence_vectors(store: SentenceRows, rows: np.ndarray) -> list[np.ndarray]:
    """Each row's stored sentence vectors as float32 (empty for one-sentence passages), in one read."""
    rows = np.asarray(rows, dtype=np.int64)
    counts = store.offsets[rows + 1] - store.offsets[rows]
    block = store.gather(rows).astype(np.float32)
    ends = np.cumsum(counts)
    return [block[end - count : end] for end, count in zip(ends.tolist(), counts.tolist(), strict=True)]
