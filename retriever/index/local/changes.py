"""A catalog as its main part, unchanged and shared, plus a small file of what changed since it was written.

An update written as a delta (`retriever.index.local.delta`) links the main's `passages.sqlite` into the
new generation as it links the main's vectors, and writes beside it `changes.sqlite`:

    documents, paragraphs, passages   every document of the files added or changed since the main, whole
    hidden                            the main's documents those replace, or whose file is gone
    files, removed, duplicates        whole (a row per file, per remembered removed passage, per repeat)
    retired                           rows retired since the main (the main's own stay in its table)
    accent_counts                     counts changed since the main (0: the form no longer occurs)
    accents, accent_folds             for each folded word whose forms changed: its best form ('' for
                                      none) and every form it has now

Copying the catalog (1.3 GB at 926k passages, 3.0 s) and reading every passage's row from it (3.8 s)
were most of an addition's time at that size; these files hold only what changed, and the update reads
only the rows of the files it changes. `connect` attaches the changes and puts temporary views over the
two, named as the tables, so every reader's SQL stays as it is: SQLite takes a lookup's WHERE into both
parts (20 passages by row, with their documents: 0.23 ms against 0.15 ms in one file, at 100k).
A full generation merges the changes into its copy of the main (`merge_changes`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from retriever.index.local.schema import CATALOG

CHANGES = "changes.sqlite"

# the catalog's tables, and the main's documents that the changes replace
SCHEMA = CATALOG + "CREATE TABLE hidden (doc_id INTEGER PRIMARY KEY);\n"

_BY_DOCUMENT = "SELECT * FROM main.{t} WHERE doc_id NOT IN (SELECT doc_id FROM changes.hidden) UNION ALL " \
               "SELECT * FROM changes.{t}"
VIEWS = {
    "documents": _BY_DOCUMENT.format(t="documents"),
    "paragraphs": _BY_DOCUMENT.format(t="paragraphs"),
    "passages": _BY_DOCUMENT.format(t="passages"),
    "files": "SELECT * FROM changes.files",
    "removed": "SELECT * FROM changes.removed",
    "duplicates": "SELECT * FROM changes.duplicates",
    "retired": "SELECT row FROM main.retired UNION ALL SELECT row FROM changes.retired",
    "accent_counts": "SELECT * FROM main.accent_counts WHERE form NOT IN (SELECT form FROM changes.accent_counts) "
                     "UNION ALL SELECT * FROM changes.accent_counts WHERE count > 0",
    "accents": "SELECT * FROM main.accents WHERE folded NOT IN (SELECT folded FROM changes.accents) "
               "UNION ALL SELECT * FROM changes.accents WHERE form != ''",
    "accent_folds": "SELECT * FROM main.accent_folds WHERE folded NOT IN (SELECT folded FROM changes.accents) "
                    "UNION ALL SELECT * FROM changes.accent_folds",
}


def changes_of(catalog: Path) -> Path:
    return catalog.with_name(CHANGES)


def connect(catalog: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection to a generation's catalog, its changes (if any) seen through it."""
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, check_same_thread=check_same_thread)
    try:
        changes = changes_of(catalog)
        if changes.is_file():
            db.execute("ATTACH DATABASE ? AS changes", (f"file:{changes}?mode=ro",))
            for table, sql in VIEWS.items():
                db.execute(f"CREATE TEMP VIEW {table} AS {sql}")
    except BaseException:
        db.close()
        raise
    return db


def merge_changes(db: sqlite3.Connection, catalog: Path) -> None:
    """Into `db`, a copy of `catalog`'s main part: the documents, paragraphs and passages of its changes.
    The small tables are left as the main has them (every build writes those whole)."""
    changes = changes_of(catalog)
    if not changes.is_file():
        return
    db.execute("ATTACH DATABASE ? AS changes", (str(changes),))
    hidden = "SELECT doc_id FROM changes.hidden"
    for table in ("passages", "paragraphs", "documents"):
        db.execute(f"DELETE FROM main.{table} WHERE doc_id IN ({hidden})")  # noqa: S608 (names from this list)
    for table in ("documents", "paragraphs", "passages"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM changes.{table}")  # noqa: S608
    db.commit()
    db.execute("DETACH DATABASE changes")


def count_passages(db: sqlite3.Connection) -> int:
    """How many passages the catalog holds, without walking the view (a second at a million passages)."""
    if not any(name == "changes" for _, name, _ in db.execute("PRAGMA database_list")):
        return int(db.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
    return int(db.execute(
        "SELECT (SELECT COUNT(*) FROM main.passages) + (SELECT COUNT(*) FROM changes.passages) - "
        "(SELECT COUNT(*) FROM main.passages WHERE doc_id IN (SELECT doc_id FROM changes.hidden))"
    ).fetchone()[0])
