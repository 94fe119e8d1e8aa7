"""The FAISS side: exact inner product while that is fast, an approximate index above a size."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any, Protocol

import faiss
import numpy as np

from retriever.errors import DenseIndexError

# Exact search at 100k passages took 29 ms p95 on 2 cores, HNSW32 0.9 ms at recall@10 0.958
# (`tracuu bench`); exact stays below ~5 ms up to this many passages.
FLAT_MAX_PASSAGES = 30_000
# Above FLAT_MAX_PASSAGES, 8-bit codes: a quarter of the float vectors' memory, and search re-scores its
# candidates from vectors.npy anyway, so what it serves is the same (`tracuu bench`, recall@10 served,
# SQ8 against Flat: 0.980 / 0.980 at 50k, 0.961 / 0.962 at 200k). Float vectors made the build's peak
# grow with the collection (200k / 50k: 1.95x, SQ8 1.16x) and cost 220 MB more serving at 200k.
COMPACT_SPEC = "HNSW32,SQ8"
LARGE_ABOVE_PASSAGES = 300_000  # a wider search past this (HNSW_EF_SEARCH_LARGE)
HNSW_EF_SEARCH = 128
# a bigger graph needs a wider search for the same recall: at ~1M passages (SQ8) efSearch 128 gave
# recall@10 0.911, 384 gave 0.951 (0.971 after re-scoring) for 2 ms instead of 1
HNSW_EF_SEARCH_LARGE = 384
HNSW_EF_CONSTRUCTION = 80


ADD_ROWS = 65_536  # vectors read from disk and added at once


class Rows(Protocol):
    """An array of vectors or a `retriever.index.local.vectorfile.VectorFile`: read by slice or row list."""

    @property
    def shape(self) -> tuple[int, ...]: ...

    def __len__(self) -> int: ...

    def __getitem__(self, rows: slice | np.ndarray) -> np.ndarray: ...


def choose_spec(passages: int, configured: str = "auto") -> str:
    """The FAISS index for `passages` vectors: what DENSE_INDEX names, or exact up to FLAT_MAX_PASSAGES
    and the 8-bit HNSW above (its memory a quarter of the float vectors', at any size)."""
    if configured and configured != "auto":
        return "Flat" if configured.lower() == "flat" else configured
    return "Flat" if passages <= FLAT_MAX_PASSAGES else COMPACT_SPEC


def build_dense(vectors: Rows, spec: str, chunk_rows: int = ADD_ROWS) -> faiss.Index:
    """`vectors` are read `chunk_rows` at a time (from disk, for a `VectorFile`)."""
    dim = vectors.shape[1]
    index = faiss.index_factory(dim, spec, faiss.METRIC_INNER_PRODUCT)
    hnsw = _hnsw(index)
    if hnsw is not None:
        hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    if not index.is_trained:
        sample = np.sort(np.random.default_rng(0).permutation(len(vectors))[: max(40 * 1024, 1)])
        try:
            index.train(np.ascontiguousarray(vectors[sample]))
        except RuntimeError as error:  # FAISS's own words: "Number of training points (66) should be at least…"
            raise DenseIndexError(
                f"the dense index {spec!r} cannot be trained on {len(vectors)} passages (an IVF index needs many "
                "more than its number of lists): choose auto or Flat for a collection this small"
            ) from error
    _reserve(index, len(vectors))
    _add(index, vectors, 0, chunk_rows)
    _tune(index)
    return index


def extend_dense(previous: Path, vectors: Rows, chunk_rows: int = ADD_ROWS) -> faiss.Index:
    """The previous index plus the rows of `vectors` it does not have yet (appends only)."""
    index = faiss.read_index(str(previous))
    _reserve(index, len(vectors))
    _add(index, vectors, index.ntotal, chunk_rows)
    _tune(index)
    return index


def _add(index: faiss.Index, vectors: Rows, start: int, chunk_rows: int) -> None:
    for first in range(start, len(vectors), max(chunk_rows, 1)):
        index.add(np.ascontiguousarray(vectors[first : first + chunk_rows], dtype=np.float32))


def _reserve(index: faiss.Index, total: int) -> None:
    """Size an HNSW index's growing arrays for `total` vectors before they are added a chunk at a time.
    Each grows by doubling, and while it grows the old copy and the new are both resident: building
    `HNSW32,Flat` over 200k vectors peaked 100 MB over the finished index's size, and none over with
    the arrays sized first. Sizing fills them (the pages are touched now, not later); shrinking back
    keeps their capacity."""
    hnsw_index: Any = faiss.downcast_index(index)  # an IndexHNSW: its storage and graph
    hnsw = getattr(hnsw_index, "hnsw", None)
    if hnsw is None or total <= index.ntotal:
        return
    new = total - index.ntotal
    storage: Any = faiss.downcast_index(hnsw_index.storage)
    codes = getattr(storage, "codes", None)
    # level 0 has 2M links a vector, each level above M more, and one vector in M goes up a level: a
    # vector takes 2M + M/31 links on average (65 for M = 32); 2M + M/8 leaves room for chance
    links = hnsw.nb_neighbors(0) + max(hnsw.nb_neighbors(1) // 8, 1)
    arrays = [(hnsw.neighbors, new * links), (hnsw.offsets, new), (hnsw.levels, new)]
    if codes is not None:
        arrays.append((codes, new * storage.code_size))
    for array, more in arrays:
        size = array.size()
        array.resize(size + more)
        array.resize(size)


def _hnsw(index: faiss.Index) -> faiss.HNSW | None:
    hnsw: faiss.HNSW | None = getattr(faiss.downcast_index(index), "hnsw", None)
    return hnsw


def _tune(index: faiss.Index) -> None:
    hnsw = _hnsw(index)
    if hnsw is not None:
        hnsw.efSearch = HNSW_EF_SEARCH if index.ntotal <= LARGE_ABOVE_PASSAGES else HNSW_EF_SEARCH_LARGE
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.nprobe = max(8, ivf.nlist // 32)


def save_dense(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_dense(path: Path, mmap: bool = False) -> faiss.Index:
    # IFC maps the vectors or codes in place: nothing is read until a search touches it
    flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY if mmap else 0
    try:
        index = faiss.read_index(str(path), flags)
    except RuntimeError as error:  # mapped, FAISS's message leaves the file's name out: say which one failed
        raise OSError(errno.EIO, f"cannot read {path}", str(path)) from error
    _tune(index)
    return index


class Searched(Protocol):
    """Searched as a FAISS index is: main and delta together (`retriever.index.local.segments`)."""

    ntotal: int

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...


def search_dense(index: faiss.Index | Searched, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Batch search: (scores, rows), each (n_queries, k); rows are -1 past the end."""
    k = max(1, min(k, index.ntotal))
    scores, rows = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return scores, rows
