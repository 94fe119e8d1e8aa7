"""Passage vectors on disk (`vectors.npy`), read by row.

Search needs the exact vectors of about a hundred candidate rows per question. Mapping the file made
each such read map the pages around the row as well (the kernel's fault-around), so a 926k-passage
index had 800 MB of vectors in the answering process after 200 questions, for 150 kB of rows per
question. `pread` copies just the rows; the file stays in the page cache, not in the process. Bulk
reads (builds, recall checks) go the same way: a slice is one read, and a mapping would have left a
whole collection's pages counted in a build's resident memory.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

import numpy as np


class VectorFile:
    """A read-only 2-D float32 `.npy` file. `file[rows]` with a slice or an index array returns an array.

    The file stays open for the object's life, so a search still running on a generation that a
    reindex has just deleted reads what it started with.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
            self._offset = handle.tell()
        if len(shape) != 2 or fortran or dtype != np.dtype(np.float32):
            raise ValueError(f"{path} holds {dtype} {shape}, not rows of float32")
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        self._row_bytes = self.shape[1] * 4
        self._fd = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, os.close, self._fd)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: slice | np.ndarray) -> np.ndarray:
        if isinstance(rows, slice):
            start, stop, step = rows.indices(self.shape[0])
            if step != 1:
                return self[np.arange(start, stop, step)]
            return self._range(start, max(start, stop))
        out = np.empty((len(rows), self.shape[1]), dtype=np.float32)
        view = memoryview(out.reshape(-1).view(np.uint8).data)
        for i, row in enumerate(np.asarray(rows, dtype=np.int64).tolist()):
            if not 0 <= row < self.shape[0]:
                raise IndexError(f"row {row} is outside {self.path} ({self.shape[0]} rows)")
            start = i * self._row_bytes
            got = os.preadv(self._fd, [view[start : start + self._row_bytes]], self._offset + row * self._row_bytes)
            if got != self._row_bytes:
                raise OSError(f"{self.path} is shorter than its header says")
        return out

    def _range(self, start: int, stop: int) -> np.ndarray:
        out = np.empty((stop - start, self.shape[1]), dtype=np.float32)
        view = memoryview(out.reshape(-1).view(np.uint8).data)
        done = 0
        while done < len(view):  # one call reads at most 2 GB
            got = os.preadv(self._fd, [view[done:]], self._offset + start * self._row_bytes + done)
            if got <= 0:
                raise OSError(f"{self.path} is shorter than its header says")
            done += got
        return out

    def close(self) -> None:
        self._closer()
