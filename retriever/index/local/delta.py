"""An update written as a delta segment: only the new passages' rows are written, the rest is linked.

A full generation copies `vectors.npy` and `sentences.npy`, reads and writes the whole FAISS index and
scores every BM25 posting again: seconds per 100k passages, whatever the update. When an update only
appends rows (`Layout.keeps_rows`: nothing renumbered) and the rows past the main segment stay under
`delta_bound`, the new generation instead gets

    vectors.npy, sentences.npy, sentence_offsets.npy, dense.faiss, lexical/   hard links to the live ones
    delta/   the rows past the main's: their vectors, sentence vectors, a flat FAISS index, BM25
    passages.sqlite, manifest.json   written as for any generation (`main_rows`: where the delta starts)
    main_retired.json   BM25 counts of the main's rows retired since it was written (`lexical.Retired`)

and is swapped in like any other (`retriever.index.local.storage.swap_in`): the links keep the main's
files alive after the old generation's folder is deleted, and a reader still on it keeps its own open
files. Rows of the delta that a later update replaces are retired as main rows are; the delta is
written again whole at each update (it is small), and the update that would take it past the bound
folds it into a new main instead (`retriever.index.local.writer`), extending the main's FAISS index.
`retriever.index.local.segments` reads the two as one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import overload

import numpy as np

from embeddings import Encoder
from retriever.index.local.budget import BuildBudget
from retriever.index.local.dense import build_dense, save_dense
from retriever.index.local.layout import Layout, Texted
from retriever.index.local.lexical import LexicalIndex, Retired, build_lexical
from retriever.index.local.lexical_build import Background
from retriever.index.local.previous import Previous
from retriever.index.local.rows import VECTOR_FILE, write_rows
from retriever.index.local.segments import DELTA, MAIN_FILES, MAIN_RETIRED, SegmentedLexical
from retriever.index.local.storage import IndexStore
from retriever.index.local.texts import StoredText
from retriever.index.local.vectorfile import VectorFile
from retriever.index.local.writer import Searchable
from retriever.models import BuildProgress

# A delta is searched exactly (flat FAISS). One question against 8,000 rows took 0.4 ms (p95 0.8) on the
# two loaded cores; from about 10,000 rows FAISS splits a flat search over its threads, and on loaded
# cores that took 2 to 25 ms (p95 32). Under 5% of the main, the main's BM25 statistics, kept while the
# delta lives, move by as little (`retriever.index.local.segments`).
DELTA_SHARE = 0.05
DELTA_MIN_ROWS = 1_000
DELTA_MAX_ROWS = 8_000
# a delta past its bound, folded apart from the update (`retriever.index.local.fold`), may hold up to this
# many times the bound until the fold is in; past that, the update is the fold itself
FOLD_SLACK = 2


def delta_bound(main_rows: int) -> int:
    """Rows a delta may hold past a main of `main_rows`."""
    return max(DELTA_MIN_ROWS, min(int(DELTA_SHARE * main_rows), DELTA_MAX_ROWS))


def fits_delta(layout: Layout, store: IndexStore | None) -> bool:
    """Whether the update laid out as `layout` can be written as a delta over the live generation: its rows
    past the main, and the main's rows retired since it was written, each within `delta_bound`."""
    if store is None or not layout.keeps_rows:
        return False
    return delta_fits(layout.total_rows, len(retired_now(layout, store)), store)


def delta_fits(total_rows: int, retiring: int, store: IndexStore, slack: int = 1) -> bool:
    """Whether an update that leaves `total_rows` rows and retires `retiring` more of the main's fits
    (`slack`: within that many times the bound, for a delta that a fold in the background will replace)."""
    if store.sentences.outdated:
        return False
    bound = slack * delta_bound(store.main_rows)
    retired = Retired.load(store.generation / MAIN_RETIRED).docs + retiring
    return total_rows - store.main_rows <= bound and retired <= bound


def retired_now(layout: Layout, store: IndexStore) -> np.ndarray:
    """The main's rows live in `store` that the update laid out as `layout` retires."""
    base = store.main_rows
    live = np.ones(base, dtype=bool) if store.live is None else store.live[:base].copy()
    kept = layout.previous_rows[(layout.previous_rows >= 0) & (layout.previous_rows < base)]
    live[kept] = False
    return np.flatnonzero(live)


def tail_of(layout: Layout, store: IndexStore) -> Layout:
    """The passages of `layout` past the live generation's main (rows ascend when they are kept)."""
    first = int(np.searchsorted(layout.rows, store.main_rows))
    return Layout(_Tail(layout.passages, first), layout.rows[first:], layout.total_rows,
                  layout.previous_rows[first:], True)


def write_delta(
    generation: Path,
    tail: Layout,
    retiring: np.ndarray,
    previous: Previous,
    encoder: Encoder,
    batch_size: int,
    progress: Callable[[BuildProgress], None],
    budget: BuildBudget,
) -> tuple[int, int]:
    """Link the live generation's main files into `generation` and write its delta (none when no row is
    past the main): `tail`, the passages past the main (`tail_of`), `retiring`, the main's rows this update
    retires. Returns (passages encoded, rows of the main)."""
    store = previous.store
    assert store is not None
    base = store.main_rows
    for name in MAIN_FILES:
        link(store.generation / name, generation / name)
    retired = Retired.load(store.generation / MAIN_RETIRED).plus(_searchable(store, retiring))
    if retired.docs:
        retired.save(generation / MAIN_RETIRED)
    if tail.total_rows == base:  # only removals: retired rows, nothing new
        return 0, base
    folder = generation / DELTA
    folder.mkdir()
    part = Layout(tail.passages, tail.rows - base, tail.total_rows - base, tail.previous_rows, False)
    encoded = write_rows(folder, part, previous, encoder, batch_size, progress, budget.vector_rows(encoder.dim))
    progress(BuildProgress("indexing", 0, 1))
    vectors = VectorFile(folder / VECTOR_FILE)
    try:
        save_dense(build_dense(vectors, "Flat"), folder / "dense.faiss")
    finally:
        vectors.close()
    main = store.lexical.main if isinstance(store.lexical, SegmentedLexical) else store.lexical
    build_lexical(
        folder / "lexical", Searchable(part), part.rows, part.total_rows, chunks=budget.lexical(),
        background=_background(main, store.generation / "lexical"),
    )
    return encoded, base


def _searchable(store: IndexStore, rows: np.ndarray) -> list[str]:
    """What BM25 counted of the passages at `rows` (headline context and text)."""
    found = []
    for start in range(0, len(rows), 900):  # under SQLite's limit on a statement's parameters
        part = [int(row) for row in rows[start : start + 900]]
        found += store.query(
            f"SELECT text, teaser_title FROM passages WHERE row IN ({','.join('?' * len(part))})",
            tuple(part),
        )
    return [StoredText(text, context).searchable for text, context in found]


def _background(main: LexicalIndex, folder: Path) -> Background:
    return Background(main.doc_freqs, main.live_docs, main.total_length(folder))


def link(source: Path, target: Path) -> None:
    """A hard link (no bytes copied), or a copy where the file system has none."""
    if source.is_dir():
        target.mkdir()
        for item in source.iterdir():
            link(item, target / item.name)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class _Tail(Sequence[Texted]):
    """The passages of a layout from `first` on (the delta's, which come last)."""

    def __init__(self, passages: Sequence[Texted], first: int) -> None:
        self._passages, self._first = passages, first

    def __len__(self) -> int:
        return len(self._passages) - self._first

    @overload
    def __getitem__(self, i: int) -> Texted: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Texted]: ...

    def __getitem__(self, i: int | slice) -> Texted | Sequence[Texted]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._passages[self._first + i]
