"""The FAISS side: exact inner product while that is fast, an approximate index above a size."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

# Exact search over N×384 float32 costs ~N/10M seconds per query on 2 cores; above this many
# passages HNSW keeps the p95 under budget at recall@10 ≥ 0.95 (see `tracuu bench`).
FLAT_MAX_PASSAGES = 200_000
APPROXIMATE_SPEC = "HNSW32,Flat"
HNSW_EF_SEARCH = 96
HNSW_EF_CONSTRUCTION = 80


def choose_spec(passages: int, configured: str = "auto") -> str:
    if configured and configured != "auto":
        return "Flat" if configured.lower() == "flat" else configured
    return "Flat" if passages <= FLAT_MAX_PASSAGES else APPROXIMATE_SPEC


def build_dense(vectors: np.ndarray, spec: str) -> faiss.Index:
    dim = vectors.shape[1]
    index = faiss.index_factory(dim, spec, faiss.METRIC_INNER_PRODUCT)
    hnsw = _hnsw(index)
    if hnsw is not None:
        hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    if not index.is_trained:
        sample = vectors[np.random.default_rng(0).permutation(len(vectors))[: max(40 * 1024, 1)]]
        index.train(sample)
    if len(vectors):
        index.add(vectors)
    _tune(index)
    return index


def _hnsw(index: faiss.Index) -> faiss.HNSW | None:
    try:
        return faiss.downcast_index(index).hnsw
    except AttributeError:
        return None


def _tune(index: faiss.Index) -> None:
    hnsw = _hnsw(index)
    if hnsw is not None:
        hnsw.efSearch = HNSW_EF_SEARCH
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.nprobe = max(8, ivf.nlist // 32)


def save_dense(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_dense(path: Path, mmap: bool = False) -> faiss.Index:
    flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
    index = faiss.read_index(str(path), flags)
    _tune(index)
    return index


def search_dense(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Batch search: (scores, rows), each (n_queries, k); rows are -1 past the end."""
    k = max(1, min(k, index.ntotal))
    scores, rows = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return scores, rows
