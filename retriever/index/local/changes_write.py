"""Writing a generation's `changes.sqlite` (`retriever.index.local.changes` says what it holds): the live
generation's changes carried over but for the files changed again, then this update's."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retriever.index.local.catalog import in_file_positions, insert_rows
from retriever.index.local.changes import CHANGES, SCHEMA
from retriever.index.passages import Passage
from retriever.index.removed import Removed
from retriever.models import Document


@dataclass(frozen=True)
class AccentChanges:
    counts: list[tuple[str, int]]  # each form whose count changed: its count now (0: it no longer occurs)
    best: list[tuple[str, str]]  # each folded word among them: its best form now ("" for none)
    forms: list[tuple[str, str]]  # (folded, form): every form those folded words have now


@dataclass(frozen=True)
class Changes:
    documents: list[Document]  # of the files read, with their paragraphs
    passages: list[tuple[int, Passage]]  # theirs, with their rows
    paths: set[str]  # files changed or gone: what the live changes had of them is dropped
    hidden: list[int]  # the main's documents of those files
    files: dict[str, str]  # every file's hash
    retiring: np.ndarray  # rows retired by this update
    removed: list[Removed]  # every removed passage remembered
    duplicates: list[tuple[int, str]]  # every repeat left out
    accents: AccentChanges


def write_changes(path: Path, live: Path, changes: Changes) -> None:
    """Write `changes` at `path`, over those of the live generation in the folder `live` (if it has any)."""
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        if (live / CHANGES).is_file():
            _carry_over(db, live / CHANGES, changes.paths, [folded for folded, _ in changes.accents.best])
        db.executemany("INSERT OR IGNORE INTO hidden VALUES (?)", ((doc_id,) for doc_id in changes.hidden))
        insert_rows(db, changes.documents, in_file_positions(changes.documents), changes.passages)
        db.executemany("INSERT INTO files VALUES (?, ?)", changes.files.items())
        db.executemany("INSERT OR IGNORE INTO retired VALUES (?)", ((int(row),) for row in changes.retiring))
        db.executemany(
            "INSERT INTO removed VALUES (?, ?, ?)",
            ((r.passage_id, r.removed_at, np.ascontiguousarray(r.vectors, dtype=np.int8).tobytes())
             for r in changes.removed),
        )
        db.executemany("INSERT INTO duplicates VALUES (?, ?)", changes.duplicates)
        db.executemany("INSERT OR REPLACE INTO accent_counts VALUES (?, ?)", changes.accents.counts)
        db.executemany("INSERT OR REPLACE INTO accents VALUES (?, ?)", changes.accents.best)
        db.executemany("INSERT INTO accent_folds VALUES (?, ?)", changes.accents.forms)
        db.commit()
    finally:
        db.close()


def _carry_over(db: sqlite3.Connection, live: Path, paths: Iterable[str], folds: list[str]) -> None:
    """The live changes, but for the documents of `paths` and the accents of `folds` (written anew)."""
    db.execute("ATTACH DATABASE ? AS live", (str(live),))
    db.execute("CREATE TEMP TABLE dropping (path TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO dropping VALUES (?)", ((p,) for p in paths))
    db.execute("CREATE TEMP TABLE refolded (folded TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO refolded VALUES (?)", ((f,) for f in folds))
    db.execute("INSERT INTO documents SELECT * FROM live.documents WHERE path NOT IN (SELECT path FROM dropping)")
    for table in ("paragraphs", "passages"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM live.{table} "  # noqa: S608 (names from this list)
                   "WHERE doc_id IN (SELECT doc_id FROM main.documents)")
    for table in ("hidden", "retired", "accent_counts"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM live.{table}")  # noqa: S608
    for table in ("accents", "accent_folds"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM live.{table} "  # noqa: S608
                   "WHERE folded NOT IN (SELECT folded FROM refolded)")
    db.commit()
    db.execute("DETACH DATABASE live")
