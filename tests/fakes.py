"""A deterministic stand-in encoder: fast, and it fails on demand."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from embeddings.base import Kind, normalise


class HashEncoder:
    """Bag of hashed syllables: similar texts get similar vectors, no model needed."""

    backend = "fake"
    model = "fake-hash"
    quantization = "none"
    dim = 64
    max_tokens = 512
    query_prompt = "q: "
    passage_prompt = "p: "

    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            if self.fail_on and self.fail_on in text:
                raise RuntimeError(f"encoder failed on purpose: {self.fail_on}")
            for word in text.lower().split():
                slot = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "big") % self.dim
                out[row, slot] += 1.0
            out[row, 0] += 0.01
        if kind == "passage":
            self.encoded.extend(texts)
        return normalise(out)

    def count_tokens(self, text: str) -> int:
        return len(text.split())
