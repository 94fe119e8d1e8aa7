"""Passage texts read back from the new generation's catalog, a window of rows at a time.

Once `passages.sqlite` is written, the build drops its passages and documents: at a million passages
they are gigabytes of Python strings, held through encoding, FAISS and BM25 for nothing. Encoding and
BM25 ask for texts in ascending row order, so one query per window of rows serves them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import overload

import numpy as np

from retriever.index.local.changes import connect

WINDOW = 2_048  # rows read per query


@dataclass(frozen=True)
class StoredText:
    text: str
    context: str  # a teaser's headline or a section heading, searched with it (`retriever.index.passages.Passage`)

    @property
    def searchable(self) -> str:
        return f"{self.context}. {self.text}" if self.context else self.text


class CatalogTexts(Sequence[StoredText]):
    """The i-th passage of a layout (at `rows[i]`), as stored in the catalog at `path`."""

    def __init__(self, path: Path, rows: np.ndarray) -> None:
        self._db = connect(path)
        self._rows = np.asarray(rows, dtype=np.int64)
        self._window: dict[int, StoredText] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> StoredText: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[StoredText]: ...

    def __getitem__(self, i: int | slice) -> StoredText | Sequence[StoredText]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = int(self._rows[i])
        found = self._window.get(row)
        if found is None:
            self._window = {
                at: StoredText(text, context)
                for at, text, context in self._db.execute(
                    "SELECT row, text, teaser_title FROM passages WHERE row >= ? AND row < ?",
                    (row, row + WINDOW),
                )
            }
            found = self._window.get(row)
            if found is None:
                raise IndexError(f"row {row} is not in the catalog")
        return found

    def close(self) -> None:
        self._window = {}
        self._db.close()

    def __enter__(self) -> CatalogTexts:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def release_freed_memory() -> None:
    """Give the memory of the dropped texts back to the system. Most passage strings are over 512 bytes
    (UCS-2 for Vietnamese), so they live in the C heap, which keeps freed pages until it is trimmed."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused by the process instead
        pass
