"""The per-row files of a new generation, written in row order a chunk of rows at a time:

    vectors.npy           float32 passage vectors
    sentences.npy         int8 sentence vectors, sentence_offsets.npy: row -> its sentences

Rows the live generation already has are taken from its files: byte ranges copied inside the kernel
when the rows stay where they were (an addition), read a chunk at a time otherwise; only new passages
are encoded. At no point is the whole collection's array in memory: a chunk's rows, and one int64
offset per row.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.index import sources
from retriever.index.local.layout import Layout
from retriever.index.local.npyfile import NpyAppender
from retriever.index.local.previous import Previous
from retriever.index.local.segments import DELTA
from retriever.index.local.sentences import OFFSETS, VECTORS
from retriever.index.sentences import STORED, encode_sentences, quantize
from retriever.models import BuildProgress

VECTOR_FILE = "vectors.npy"


def write_rows(
    generation: Path,
    layout: Layout,
    previous: Previous,
    encoder: Encoder,
    batch_size: int,
    progress: Callable[[BuildProgress], None],
    chunk_rows: int,
) -> int:
    """Write the generation's vectors and sentence vectors; returns how many passages were encoded."""
    owner = np.full(layout.total_rows, -1, dtype=np.int64)  # row -> index in layout.passages, -1: retired
    owner[layout.rows] = np.arange(len(layout.passages))
    counts = np.zeros(layout.total_rows, dtype=np.int64)  # sentences of each row
    missing = int((layout.previous_rows < 0).sum())
    encoded = 0
    with (
        NpyAppender(generation / VECTOR_FILE, np.float32, encoder.dim) as vectors,
        NpyAppender(generation / VECTORS, STORED, encoder.dim) as sentences,
    ):
        first = 0
        if layout.keeps_rows and previous.store is not None and not previous.store.sentences.outdated:
            first = previous.total_rows
            _copy_kept(previous, owner[:first], vectors, sentences, counts)
        for start in range(first, layout.total_rows, chunk_rows):
            rows = np.arange(start, min(start + chunk_rows, layout.total_rows))
            block, blocks, done = _chunk(
                owner[rows], layout, previous, encoder, batch_size, progress, (encoded, missing)
            )
            encoded += done
            vectors.append(block)
            counts[rows] = [len(b) for b in blocks]
            if blocks:
                sentences.append(np.concatenate(blocks))
    offsets = np.zeros(layout.total_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    np.save(generation / OFFSETS, offsets)
    progress(BuildProgress("encoding", missing, missing))
    return encoded


def _copy_kept(
    previous: Previous, owner: np.ndarray, vectors: NpyAppender, sentences: NpyAppender, counts: np.ndarray
) -> None:
    """Rows 0:len(owner) as the live generation has them; the sentences of retired rows are dropped."""
    assert previous.store is not None
    store = previous.store
    # the main segment's files, then the delta's when there is one (`retriever.index.local.delta`)
    segments = [(store.generation, 0, store.main_rows)]
    if store.main_rows < len(owner):
        segments.append((store.generation / DELTA, store.main_rows, len(owner)))
    for folder, first, last in segments:
        vectors.copy_rows(folder / VECTOR_FILE, 0, last - first)
        offsets = np.load(folder / OFFSETS, mmap_mode="r")
        live = owner[first:last] >= 0
        counts[first:last] = np.where(live, np.diff(offsets[: last - first + 1]), 0)
        # runs of live rows: one kernel copy each (retired rows are few: compaction keeps them under a fifth)
        edges = np.flatnonzero(np.diff(np.concatenate([[False], live, [False]]).astype(np.int8)))
        for start, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            sentences.copy_rows(folder / VECTORS, int(offsets[start]), int(offsets[end]))


def _chunk(
    owners: np.ndarray,
    layout: Layout,
    previous: Previous,
    encoder: Encoder,
    batch_size: int,
    progress: Callable[[BuildProgress], None],
    done: tuple[int, int],
) -> tuple[np.ndarray, list[np.ndarray], int]:
    """Vectors and sentence vectors of some consecutive rows (`owners`: the passage at each, -1 retired)."""
    block = np.zeros((len(owners), encoder.dim), dtype=np.float32)
    per_row = [np.zeros((0, encoder.dim), dtype=STORED) for _ in owners]
    live = np.flatnonzero(owners >= 0)
    before = layout.previous_rows[owners[live]]
    known = live[before >= 0]
    if len(known):
        old = before[before >= 0]
        block[known] = previous.vectors(old)
        for at, vectors in zip(known.tolist(), previous.sentence_blocks(old), strict=True):
            per_row[at] = quantize(vectors)
    fresh = live[before < 0]
    encoded, missing = done
    for start in range(0, len(fresh), sources.ENCODE_CHUNK):
        progress(BuildProgress("encoding", encoded + start, missing))
        part = fresh[start : start + sources.ENCODE_CHUNK]
        passages = [layout.passages[int(i)] for i in owners[part]]
        block[part] = encoder.encode([p.searchable for p in passages], kind="passage", batch_size=batch_size)
        for at, vectors in zip(part.tolist(), encode_sentences(encoder, [p.text for p in passages], batch_size),
                               strict=True):
            per_row[at] = vectors
    return block, per_row, len(fresh)
