"""Where each passage goes in a new generation: rows shared by FAISS, vectors.npy, BM25 and SQLite.

Passages that survive keep their rows and new ones take rows after the last, so the previous FAISS
index is extended, not rebuilt: HNSW cannot delete, and rebuilding it costs minutes at a million
passages. The rows of removed passages are retired (search skips them) until they are more than
RETIRED_MAX_SHARE of all rows; then, or when the FAISS index type changes, rows are renumbered and
FAISS is built anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

RETIRED_MAX_SHARE = 0.2


class Texted(Protocol):
    """What encoding and BM25 need of a passage (a `Passage`, or its text read back from the catalog)."""

    @property
    def text(self) -> str: ...

    @property
    def searchable(self) -> str: ...


@dataclass(frozen=True)
class Layout:
    passages: Sequence[Texted]  # in row order
    rows: np.ndarray  # int64, the row of each passage
    total_rows: int  # rows in FAISS, vectors.npy and BM25, retired ones included
    previous_rows: np.ndarray  # int64, each passage's row in the live generation, -1 when new
    keeps_rows: bool  # every row of the live generation is where it was: FAISS can be extended

    @property
    def retired(self) -> np.ndarray:
        used = np.zeros(self.total_rows, dtype=bool)
        used[self.rows] = True
        return np.flatnonzero(~used)


def lay_out(passages: Sequence[Texted], previous_rows: np.ndarray, previous_total: int, same_index: bool) -> Layout:
    """`passages`: survivors in their previous row order, then new ones (as `retriever.index.local.build` orders
    them); `previous_rows`: their rows in the live generation (-1: new); `previous_total`: its rows,
    0 when there is none; `same_index`: the new generation uses the same kind of FAISS index."""
    new = previous_rows < 0
    total = previous_total + int(new.sum())
    if previous_total and same_index and total - len(passages) <= RETIRED_MAX_SHARE * total:
        rows = previous_rows.copy()
        rows[new] = previous_total + np.arange(int(new.sum()))
        return Layout(passages, rows, total, previous_rows, True)
    return Layout(passages, np.arange(len(passages), dtype=np.int64), len(passages), previous_rows, False)
