"""Write one index generation: SQLite, vectors, FAISS, BM25; the manifest says what is inside."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

from embeddings import Encoder
from retriever.index.local.budget import BuildBudget
from retriever.index.local.dense import build_dense, extend_dense, save_dense
from retriever.index.local.generations import FORMAT_VERSION
from retriever.index.local.layout import Layout
from retriever.index.local.lexical import build_lexical
from retriever.index.local.rows import VECTOR_FILE
from retriever.index.local.texts import release_freed_memory
from retriever.index.local.vectorfile import VectorFile


def write_generation(
    generation: Path,
    layout: Layout,
    counts: tuple[int, int],
    encoder: Encoder,
    spec: str,
    previous: Path | None = None,
    budget: BuildBudget | None = None,
) -> dict:
    """FAISS and BM25 of a generation whose catalog (`retriever.index.local.catalog`) and per-row vector
    files (`retriever.index.local.rows`) are written; `counts`: its documents and remembered removed
    passages, for the manifest. `previous`: the live generation, whose FAISS index is extended when the
    layout keeps its rows, and whose BM25 counts are reused."""
    budget = budget or BuildBudget.for_machine()
    # encoding's buffers (chunks of vectors, each row's sentence vectors) are freed but still held by the C
    # heap: 98 MB of it at 200k passages, resident under the FAISS index being built unless given back
    release_freed_memory()
    vectors = VectorFile(generation / VECTOR_FILE)
    try:
        if layout.keeps_rows and previous is not None:
            dense = extend_dense(previous / "dense.faiss", vectors, budget.vector_rows(encoder.dim))
        else:
            dense = build_dense(vectors, spec, budget.vector_rows(encoder.dim))
    finally:
        vectors.close()
    save_dense(dense, generation / "dense.faiss")
    del dense  # the graph is the largest thing a build holds: not while BM25 is written
    build_lexical(
        generation / "lexical",
        Searchable(layout),
        layout.rows,
        layout.total_rows,
        previous / "lexical" if previous is not None else None,
        layout.previous_rows,
        budget.lexical(),
    )
    return describe(len(layout.passages), layout.total_rows, counts, encoder, spec)


def describe(passages: int, rows: int, counts: tuple[int, int], encoder: Encoder, spec: str) -> dict:
    """The manifest of a generation of `passages` in `rows` rows (`counts`: documents, remembered removed
    passages)."""
    documents, removed = counts
    return {
        "format": FORMAT_VERSION,
        "backend": encoder.backend,
        "model": encoder.model,
        "quantization": encoder.quantization,
        "dim": encoder.dim,
        "query_prompt": encoder.query_prompt,
        "passage_prompt": encoder.passage_prompt,
        "max_tokens": encoder.max_tokens,
        "documents": documents,
        "passages": passages,
        "rows": rows,
        "retired_rows": rows - passages,
        "removed_passages": removed,
        "dense_index": spec,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class Searchable(Sequence[str]):
    """The searchable text of each passage, made when asked (not a second copy of the collection)."""

    def __init__(self, layout: Layout) -> None:
        self._passages = layout.passages

    def __len__(self) -> int:
        return len(self._passages)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...

    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [p.searchable for p in self._passages[i]]
        return self._passages[i].searchable
