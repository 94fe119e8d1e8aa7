"""Write one index generation: SQLite, vectors, FAISS, BM25; the manifest says what is inside."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.index.local.dense import build_dense, extend_dense, save_dense
from retriever.index.local.layout import Layout
from retriever.index.local.lexical import build_lexical
from retriever.index.local.sentences import write_sentences
from retriever.index.local.storage import FORMAT_VERSION, SCHEMA
from retriever.index.passages import stable_id
from retriever.index.removed import Removed
from retriever.models import Document
from retriever.wordforms import best_forms


def doc_id_of(key: str) -> int:
    return stable_id("doc:" + key, bits=52)  # fits JSON numbers and short callback data


def write_generation(
    generation: Path,
    documents: list[Document],
    file_hashes: dict[str, str],
    layout: Layout,
    encoded: tuple[np.ndarray, list[np.ndarray | None]],
    accent_counts: dict[str, int],
    removed: list[Removed],
    encoder: Encoder,
    spec: str,
    previous: Path | None = None,
) -> dict:
    """`encoded`: one vector per row of `layout`, and each row's sentence vectors (see
    `retriever.index.sentences`); `removed`: the removed passages to remember (`retriever.index.removed`).
    `previous`: the live generation, whose FAISS index is extended when the layout keeps its rows, and
    whose BM25 counts are reused."""
    generation.mkdir(parents=True)
    vectors, sentence_vectors = encoded
    retired = layout.retired
    _write_sqlite(generation / "passages.sqlite", documents, file_hashes, layout, retired, accent_counts)
    _write_removed(generation / "passages.sqlite", removed)
    np.save(generation / "vectors.npy", vectors)
    write_sentences(generation, sentence_vectors, encoder.dim)
    if layout.keeps_rows and previous is not None:
        dense = extend_dense(previous / "dense.faiss", vectors)
    else:
        dense = build_dense(vectors, spec)
    save_dense(dense, generation / "dense.faiss")
    build_lexical(
        generation / "lexical",
        [p.searchable for p in layout.passages],
        layout.rows,
        layout.total_rows,
        previous / "lexical" if previous is not None else None,
        layout.previous_rows,
    )
    return {
        "format": FORMAT_VERSION,
        "backend": encoder.backend,
        "model": encoder.model,
        "quantization": encoder.quantization,
        "dim": encoder.dim,
        "query_prompt": encoder.query_prompt,
        "passage_prompt": encoder.passage_prompt,
        "max_tokens": encoder.max_tokens,
        "documents": len(documents),
        "passages": len(layout.passages),
        "rows": layout.total_rows,
        "retired_rows": len(retired),
        "removed_passages": len(removed),
        "dense_index": spec,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _write_sqlite(
    path: Path,
    documents: list[Document],
    file_hashes: dict[str, str],
    layout: Layout,
    retired: np.ndarray,
    accent_counts: dict[str, int],
) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO files VALUES (?, ?)", file_hashes.items())
        db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id_of(d.key), d.key, d.path, d.title, int(d.title_derived), d.date, d.source, d.url,
                 d.content_hash, position)
                for position, d in enumerate(documents)
            ],
        )
        db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?)",
            [
                (doc_id_of(d.key), ordinal, p.text, int(p.teaser), p.teaser_title)
                for d in documents
                for ordinal, p in enumerate(d.paragraphs)
            ],
        )
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (int(row), p.passage_id, doc_id_of(p.doc_key), p.ordinal, p.text, int(p.teaser), p.teaser_title)
                for row, p in zip(layout.rows, layout.passages, strict=True)
            ],
        )
        db.executemany("INSERT INTO retired VALUES (?)", ((int(row),) for row in retired))
        db.executemany("INSERT INTO accent_counts VALUES (?, ?)", accent_counts.items())
        db.executemany("INSERT INTO accents VALUES (?, ?)", best_forms(accent_counts).items())
        db.commit()
    finally:
        db.close()


def _write_removed(path: Path, removed: list[Removed]) -> None:
    db = sqlite3.connect(path)
    try:
        db.executemany(
            "INSERT INTO removed VALUES (?, ?, ?)",
            ((r.passage_id, r.removed_at, np.ascontiguousarray(r.vectors, dtype=np.int8).tobytes()) for r in removed),
        )
        db.commit()
    finally:
        db.close()
