"""A token's BM25 postings (its column of the score matrix), read without mapping them into the process.

Above `MMAP_ABOVE` passages the matrix stays on disk. Sliced from a memory map, every page a question's
words touch stays mapped: at ~1M passages, 200 answers left 670 MB of postings in the bot's 1.5 GB of
resident memory (`benchmarks.serving`, counted from /proc/self/smaps). Read with `pread`, the same bytes are copied
into an array the question frees, so the kernel's page cache holds them instead, shared and dropped
under pressure like any file, and the bot's resident memory is its own plus the FAISS index.

Copying costs what mapping did not: a question looks up its most common words ("của", "năm") in the
rows it keeps three times, and those columns are long (139k postings on average at ~1M passages). The
last columns read are kept, up to CACHE_BYTES: common words recur from question to question (200
questions looked up 141 distinct columns, 273 MB; 64 MB of them covered 47% of the look-ups), and a
question's second and third look-ups always hit.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np

CACHE_BYTES = 64 * 2**20


class FileColumn:
    """Slices of one memory-mapped .npy array, read with `pread` from the file behind the map."""

    def __init__(self, mapped: np.memmap) -> None:
        if mapped.filename is None:
            raise ValueError("the array is not mapped from a file")
        self._file = open(mapped.filename, "rb", buffering=0)  # noqa: SIM115 - closed with this object
        self._offset = int(mapped.offset)
        self.dtype = mapped.dtype

    def read(self, start: int, end: int) -> np.ndarray:
        size = self.dtype.itemsize
        wanted = (end - start) * size
        chunks, at = [], self._offset + start * size
        while wanted > 0:
            chunk = os.pread(self._file.fileno(), wanted, at)
            if not chunk:
                raise OSError(f"{self._file.name} ends before its postings do")
            chunks.append(chunk)
            at, wanted = at + len(chunk), wanted - len(chunk)
        return np.frombuffer(b"".join(chunks) if len(chunks) != 1 else chunks[0], dtype=self.dtype)

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()


class Columns:
    """Each token's rows and BM25 scores: `indices[indptr[t]:indptr[t+1]]`, `data[...]`."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray) -> None:
        self.indptr = indptr
        if isinstance(data, np.memmap) and isinstance(indices, np.memmap):
            self._rows, self._scores = FileColumn(indices), FileColumn(data)
            self._read = self._read_file
            self._cache: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()
            self._cached_bytes = 0
            self._lock = threading.Lock()
        else:
            self._data, self._indices = data, indices
            self._read = self._read_memory

    def column(self, token: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows in ascending order, their scores) of `token`."""
        return self._read(int(self.indptr[token]), int(self.indptr[token + 1]))

    def _read_file(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            found = self._cache.get(start)
            if found is not None:
                self._cache.move_to_end(start)
                return found
        column = self._rows.read(start, end), self._scores.read(start, end)
        size = column[0].nbytes + column[1].nbytes
        if size <= CACHE_BYTES // 4:
            with self._lock:
                if start not in self._cache:
                    self._cache[start] = column
                    self._cached_bytes += size
                while self._cached_bytes > CACHE_BYTES:
                    _, (rows, scores) = self._cache.popitem(last=False)
                    self._cached_bytes -= rows.nbytes + scores.nbytes
        return column

    def _read_memory(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        return self._indices[start:end], self._data[start:end]

    def look_up(self, token: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of `rows` hold `token` (a mask), and their scores for it."""
        column, scores = self.column(token)  # rows in ascending order
        if not len(column):  # a token only retired passages had
            return np.zeros(len(rows), dtype=bool), scores
        # same dtype as the column, or searchsorted converts the whole column first
        at = np.minimum(np.searchsorted(column, rows.astype(column.dtype)), len(column) - 1)
        found = column[at] == rows
        return found, scores[at[found]]

    def scores(self, token_ids: list[int], num_docs: int, dtype: np.dtype) -> np.ndarray:
        """Every row's summed score for the tokens, added in the tokens' order as bm25s's `get_scores`
        adds them, so the floats are its own. (`np.add.at` and not `out[rows] += scores`: NumPy 2's
        `add.at` took 1.7 ms per question at ~1M passages, the fancy-indexed addition 4.0 ms.)"""
        out = np.zeros(num_docs, dtype=dtype)
        for token in token_ids:
            rows, scores = self.column(token)
            np.add.at(out, rows, scores)
        return out
