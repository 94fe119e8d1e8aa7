"""How much memory a local build may use, turned into chunk sizes (`BUILD_MEMORY_MB`).

A build holds some things whole whatever the chunks: the encoder, the FAISS index being built (HNSW
keeps every vector, or its 8-bit code), the BM25 vocabulary, and one small number per row (offsets,
lengths, the row layout). Everything else goes through in chunks: vectors and sentence vectors
(`retriever.index.local.rows`), vectors added to FAISS (`retriever.index.local.dense`), BM25 runs
and blocks (`retriever.index.local.lexical_build`). The chunks get a fixed share of the budget, so a
small budget means smaller chunks (more, shorter passes over the files), never a failed build; below
the floors here a chunk would cost more in per-call overhead than it saves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from retriever.index.local.lexical_build import Chunks

CHUNK_SHARE = 0.125  # of the budget, for the buffers of one chunk of any kind
# A chunk larger than this buys nothing measurable (per-call overheads are long amortised by then) and
# would make a large budget's builds hold more than they need: profiled at 50k passages, one 50k-passage
# BM25 run (tokens, np.unique's keys and sort) took 500 MB, ten runs of 5k about 100.
CHUNK_CEILING_MB = 64
MACHINE_SHARE = 0.25  # of the machine's memory, the default budget
DEFAULT_CAP_MB = 4096  # a larger default buys nothing measurable: chunks are at their ceilings by then
SENTENCES_PER_PASSAGE = 4  # sentence vectors a chunk's row may bring (int8, dim bytes each)
TOKENS_PER_PASSAGE = 400  # tokenised and counted at once, with np.unique's int64 keys and sort


@dataclass(frozen=True)
class BuildBudget:
    memory_mb: int

    @classmethod
    def for_machine(cls) -> BuildBudget:
        return cls(default_memory_mb())

    @property
    def _chunk_bytes(self) -> float:
        return min(self.memory_mb * CHUNK_SHARE, CHUNK_CEILING_MB) * 2**20

    def vector_rows(self, dim: int) -> int:
        """Rows of float32 vectors (and their sentence vectors) read, encoded or added at once."""
        per_row = dim * 4 * 2 + dim * SENTENCES_PER_PASSAGE  # the chunk, a copy on its way, its sentences
        return _clamp(self._chunk_bytes / per_row, 1_024, 16_384)

    def lexical(self) -> Chunks:
        return Chunks(
            run_passages=_clamp(self._chunk_bytes / (TOKENS_PER_PASSAGE * 8 * 3), 1_000, 20_000),
            # per posting in a block: token, row and sort order (int64), tf, score and its float64 temporaries
            block_postings=_clamp(self._chunk_bytes / 48, 65_536, 4_000_000),
        )


def _clamp(value: float, low: int, high: int) -> int:
    return int(min(max(value, low), high))


def default_memory_mb() -> int:
    """A quarter of the machine's memory, at most DEFAULT_CAP_MB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    except (ValueError, OSError, AttributeError):
        total = 4 * DEFAULT_CAP_MB
    return int(min(total * MACHINE_SHARE, DEFAULT_CAP_MB))
