"""A vector for each sentence of each passage, so one answering sentence is not diluted by the rest.

    sentences.npy         int8 (n_sentences, dim), the sentences of row r at offsets[r]:offsets[r+1]
    sentence_offsets.npy  int64 (rows + 1,)

A passage of one sentence stores none: its passage vector is that sentence's. The sentences are
`retriever.text.sentences(passage.text)` (the quoted text, without the headline context), so search
finds the i-th vector's sentence by splitting the text again.

Each int8 row is the sentence's unit vector scaled so that its largest component is ±127; the encoder's
vectors are unit length, so the direction is all there is, and the cosine with a question is
`x8 · q / |x8|` (no scale to store). Against float32 the cosines differ by at most ~1e-3 (0.0012 on the
long held-out collection), as float16's did, at half float16's size. Why not float16 any more: numpy
converts float16 to float32 in software, 0.39 ms of the 0.54 ms that 100 candidates of the long
collection (721 sentences) cost; int8 converts in 0.045 ms. Format 4 indexes hold float16 rows: they are
still read (the dtype is in the `.npy` header), and the next `tracuu index` rewrites them as int8.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embeddings import Encoder
from retriever.text import sentences

STORED = np.dtype(np.int8)


def split_for_vectors(text: str) -> list[str]:
    """The sentences that get their own vector: none for a passage of one sentence."""
    pieces = sentences(text)
    return pieces if len(pieces) > 1 else []


def quantize(vectors: np.ndarray) -> np.ndarray:
    """int8 rows pointing where `vectors` do (int8 input is returned as it is, so copies stay exact)."""
    if vectors.dtype == STORED:
        return vectors
    floats = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(floats).max(axis=1, keepdims=True) if len(floats) else np.ones((0, 1), np.float32)
    scaled = floats * (127.0 / np.where(peak > 0, peak, 1.0))
    return np.rint(scaled).astype(STORED)


def unit_vectors(stored: np.ndarray) -> np.ndarray:
    """`quantize`'s rows back as float32 unit vectors: their inner product with a question is the cosine
    `sentence_cosines` computes (x8 · q / |x8|); the postgres backend stores these."""
    floats = stored.astype(np.float32)
    norms = np.linalg.norm(floats, axis=1, keepdims=True)
    return floats / np.where(norms > 0, norms, 1.0)


def encode_sentences(encoder: Encoder, texts: Sequence[str], batch_size: int) -> list[np.ndarray]:
    """Sentence vectors (int8, see `quantize`) of each passage text, one encoder call for all of them."""
    pieces = [split_for_vectors(text) for text in texts]
    flat = [sentence for group in pieces for sentence in group]
    encoded = (
        quantize(encoder.encode(flat, kind="passage", batch_size=batch_size))
        if flat
        else np.zeros((0, encoder.dim), dtype=STORED)
    )
    out, start = [], 0
    for group in pieces:
        out.append(encoded[start : start + len(group)])
        start += len(group)
    return out
