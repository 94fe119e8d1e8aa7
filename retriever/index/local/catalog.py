"""The SQLite side of a generation (`passages.sqlite`): documents, paragraphs, passages by row, retired
rows, accent vocabulary, removed passages and the repeats each file left out.

After a change to a few files, most of it is what the live generation has: its file is copied (inside
the kernel) and only the documents, paragraphs and passages of the changed files are deleted and
written again, with the small tables rewritten whole. Re-inserting a million passages through Python
took most of an addition's time; a copy takes a second. A full write when rows were renumbered or no
file's passages could be kept.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

from retriever.index.local.changes import merge_changes
from retriever.index.local.layout import Layout
from retriever.index.local.schema import CATALOG as SCHEMA
from retriever.index.passages import Passage, stable_id
from retriever.index.removed import Removed
from retriever.models import Document
from retriever.wordforms import accent_folds, best_forms

# written whole by every build but one written as changes (`retriever.index.local.changes`)
SMALL_TABLES = ("files", "retired", "accent_counts", "accents", "accent_folds", "removed", "duplicates")


def doc_id_of(key: str) -> int:
    return stable_id("doc:" + key, bits=52)  # fits JSON numbers and short callback data


@dataclass(frozen=True)
class Kept:
    """The live generation's catalog, and the files whose documents and passages go over unchanged."""

    catalog: Path
    paths: frozenset[str]


def write_catalog(
    path: Path,
    documents: list[Document],
    file_hashes: dict[str, str],
    layout: Layout,
    accent_counts: dict[str, int],
    remembered: tuple[list[Removed], list[tuple[int, str]]],
    kept: Kept | None,
) -> None:
    """`kept`: copy the live catalog and rewrite only the rest (rows must be where they were). The
    layout's passages are `Passage`s here: the catalog is what later steps read their texts from."""
    laid = cast(list[Passage], layout.passages)
    if kept is not None and kept.paths and can_copy(kept.catalog):
        shutil.copyfile(kept.catalog, path)
    else:
        kept = None  # nothing to keep: written whole
    db = sqlite3.connect(path)
    try:
        passages: Iterable[tuple[int, Passage]]
        if kept is None:
            db.executescript(SCHEMA)
            fresh, passages = documents, zip(layout.rows.tolist(), laid, strict=True)
        else:
            fresh = [d for d in documents if d.path not in kept.paths]
            keys = {d.key for d in fresh}
            passages = ((row, p) for row, p in zip(layout.rows.tolist(), laid, strict=True)
                        if p.doc_key in keys)
            merge_changes(db, kept.catalog)
            _add_missing_tables(db)
            _forget_changed(db, kept.paths)
        insert_rows(db, fresh, in_file_positions(fresh), passages)
        write_small_tables(db, file_hashes, layout.retired, accent_counts, remembered)
        db.commit()
    finally:
        db.close()


def write_small_tables(
    db: sqlite3.Connection,
    file_hashes: dict[str, str],
    retired: Iterable[int],
    accent_counts: dict[str, int],
    remembered: tuple[list[Removed], list[tuple[int, str]]],
) -> None:
    """The tables written whole at every build: files, retired rows, accents, removed passages, repeats."""
    db.executemany("INSERT INTO files VALUES (?, ?)", file_hashes.items())
    db.executemany("INSERT INTO retired VALUES (?)", ((int(row),) for row in retired))
    db.executemany("INSERT INTO accent_counts VALUES (?, ?)", accent_counts.items())
    db.executemany("INSERT INTO accents VALUES (?, ?)", best_forms(accent_counts).items())
    db.executemany("INSERT INTO accent_folds VALUES (?, ?)", accent_folds(accent_counts))
    removed, duplicates = remembered
    db.executemany(
        "INSERT INTO removed VALUES (?, ?, ?)",
        ((r.passage_id, r.removed_at, np.ascontiguousarray(r.vectors, dtype=np.int8).tobytes()) for r in removed),
    )
    db.executemany("INSERT INTO duplicates VALUES (?, ?)", duplicates)


def _tables(catalog: Path) -> set[str]:
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    try:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()


def has_every_table(catalog: Path) -> bool:
    return set(re.findall(r"CREATE TABLE (\w+)", SCHEMA)) <= _tables(catalog)


def can_copy(catalog: Path) -> bool:
    """Whether a catalog can be copied and updated: it has the collection's tables (a small table it lacks,
    from before that table existed, is made on the copy: every build writes those whole)."""
    return {"documents", "paragraphs", "passages"} <= _tables(catalog)


def _add_missing_tables(db: sqlite3.Connection) -> None:
    found = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for statement in SCHEMA.split(";"):
        named = re.search(r"CREATE TABLE (\w+)", statement)
        if named and named.group(1) not in found:
            db.execute(statement)


def in_file_positions(documents: Iterable[Document]) -> dict[str, int]:
    """Each document's place in its file. Files go in the order `list_files` gives them (the articles are
    listed so), so a document's place never changes while its file does not: an update writes only the
    changed files' documents, not every later one's position again."""
    seen: dict[str, int] = {}
    positions: dict[str, int] = {}
    for document in documents:
        positions[document.key] = seen.get(document.path, 0)
        seen[document.path] = positions[document.key] + 1
    return positions


def _forget_changed(db: sqlite3.Connection, kept: frozenset[str]) -> None:
    """Delete what belongs to files not kept, and the small tables (written again whole)."""
    db.execute("CREATE TEMP TABLE kept (path TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO kept VALUES (?)", ((path,) for path in kept))
    changed = "SELECT doc_id FROM documents WHERE path NOT IN (SELECT path FROM kept)"
    db.execute(f"DELETE FROM passages WHERE doc_id IN ({changed})")
    db.execute(f"DELETE FROM paragraphs WHERE doc_id IN ({changed})")
    db.execute("DELETE FROM documents WHERE path NOT IN (SELECT path FROM kept)")
    for table in SMALL_TABLES:
        db.execute(f"DELETE FROM {table}")  # noqa: S608 (names from this list)


def insert_rows(
    db: sqlite3.Connection,
    documents: list[Document],
    positions: dict[str, int],
    passages: Iterable[tuple[int, Passage]],
) -> None:
    # generators: rows go to SQLite as they are made, never listed first
    db.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (doc_id_of(d.key), d.key, d.path, d.title, int(d.title_derived), d.date, d.source, d.url,
             d.content_hash, positions[d.key])
            for d in documents
        ),
    )
    db.executemany(
        "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?)",
        (
            (doc_id_of(d.key), ordinal, p.text, int(p.teaser), p.context)
            for d in documents
            for ordinal, p in enumerate(d.paragraphs)
        ),
    )
    db.executemany(
        "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (row, p.passage_id, doc_id_of(p.doc_key), p.ordinal, p.text, int(p.teaser), p.context)
            for row, p in passages
        ),
    )
