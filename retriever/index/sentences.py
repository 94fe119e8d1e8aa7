"""A vector for each sentence of each passage, so one answering sentence is not diluted by the rest.

    sentences.npy         float16 (n_sentences, dim), the sentences of row r at offsets[r]:offsets[r+1]
    sentence_offsets.npy  int64 (rows + 1,)

A passage of one sentence stores none: its passage vector is that sentence's. The sentences are
`retriever.text.sentences(passage.text)` (the quoted text, without the headline context), so search
finds the i-th vector's sentence by splitting the text again. float16 keeps cosines within 1e-3 of
float32 and halves the file; search reads only its candidates' rows, with `pread` like vectors.npy.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.text import sentences

VECTORS = "sentences.npy"
OFFSETS = "sentence_offsets.npy"


def split_for_vectors(text: str) -> list[str]:
    """The sentences that get their own vector: none for a passage of one sentence."""
    pieces = sentences(text)
    return pieces if len(pieces) > 1 else []


def encode_sentences(encoder: Encoder, texts: Sequence[str], batch_size: int) -> list[np.ndarray]:
    """Sentence vectors (float16) of each passage text, one encoder call for all of them."""
    pieces = [split_for_vectors(text) for text in texts]
    flat = [sentence for group in pieces for sentence in group]
    encoded = (
        encoder.encode(flat, kind="passage", batch_size=batch_size).astype(np.float16)
        if flat
        else np.zeros((0, encoder.dim), dtype=np.float16)
    )
    out, start = [], 0
    for group in pieces:
        out.append(encoded[start : start + len(group)])
        start += len(group)
    return out


def write_sentences(generation: Path, per_row: Sequence[np.ndarray | None], dim: int) -> None:
    """`per_row`: the sentence vectors of each row (None or empty for retired and one-sentence rows)."""
    counts = np.array([0 if block is None else len(block) for block in per_row], dtype=np.int64)
    offsets = np.zeros(len(per_row) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    blocks = [block for block in per_row if block is not None and len(block)]
    vectors = np.concatenate(blocks).astype(np.float16) if blocks else np.zeros((0, dim), dtype=np.float16)
    np.save(generation / VECTORS, vectors)
    np.save(generation / OFFSETS, offsets)


class SentenceFile:
    """Read side: the sentence vectors of a few rows. Thread-safe (pread only)."""

    def __init__(self, generation: Path) -> None:
        path = generation / VECTORS
        self.offsets = np.load(generation / OFFSETS)
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = header(handle)
            self._offset = handle.tell()
        if len(shape) != 2 or fortran or dtype != np.dtype(np.float16) or shape[0] != self.offsets[-1]:
            raise ValueError(f"{path} holds {dtype} {shape}, not the {self.offsets[-1]} sentence rows of float16")
        self.dim = int(shape[1])
        self._fd = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, os.close, self._fd)

    @property
    def rows(self) -> int:
        return len(self.offsets) - 1

    def of(self, row: int) -> np.ndarray:
        """(n, dim) float16; n = 0 for a passage of one sentence."""
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        size = (end - start) * self.dim * 2
        if size == 0:
            return np.zeros((0, self.dim), dtype=np.float16)
        data = os.pread(self._fd, size, self._offset + start * self.dim * 2)
        if len(data) != size:
            raise OSError(f"{VECTORS} is shorter than its header says")
        return np.frombuffer(data, dtype=np.float16).reshape(end - start, self.dim)

    def all_rows(self, rows: np.ndarray) -> list[np.ndarray]:
        return [self.of(int(row)) for row in rows]

    def close(self) -> None:
        self._closer()


def sentence_cosines(store: SentenceFile, rows: np.ndarray, vector: np.ndarray) -> list[np.ndarray]:
    """Cosine of the question with each stored sentence of each row (empty for one-sentence passages).
    One matrix product for all candidates: ~100 rows of ~5 sentences cost ~0.3 ms with the reads."""
    blocks = store.all_rows(rows)
    counts = [len(block) for block in blocks]
    if not sum(counts):
        return [np.zeros(0, dtype=np.float64) for _ in blocks]
    cosines = (np.concatenate(blocks).astype(np.float32) @ vector).astype(np.float64)
    ends = np.cumsum(counts).tolist()
    return [cosines[end - count : end] for end, count in zip(ends, counts, strict=True)]
