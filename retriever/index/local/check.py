"""A cheap look at every file of a generation before it is loaded: sizes against headers, not contents.

Unchecked, a truncated `vectors.npy` loads (its header still says how many rows), is reported "up to
date", and fails every question; a damaged lexical array fails the next build with an unexpected error. Here each
`.npy` must be exactly header + rows × row size, JSON must parse, SQLite must start with its magic and be
whole pages, FAISS must not be empty. Reading headers only, it costs milliseconds at any index size.

SQLite files also get `PRAGMA quick_check`, which reads every page: a page damaged inside a file whose
header is intact was reported "up to date", then failed every update with "database disk image is
malformed". It costs 0.23 s for a 124 MB file (200,000 passages of 90 words; `integrity_check`, which
also compares indexes with their tables, 0.52 s), and 0.8 s for the 1.3 GB catalog of 926k passages:
paid when an index is opened, which an update did three times (the build opening the live generation, the
bot reloading, a fresh process opening). So a build vouches for the catalog it wrote (`mark_written`:
its inode, size and modification time, beside it), and an open skips the page check while the
file is still that one: any write, copy or restore changes one of them, and then every page is read.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np

SQLITE_MAGIC = b"SQLite format 3\x00"


def damaged_files(generation: Path) -> list[str]:
    """What is wrong with the generation's files, one short phrase each (empty when all look whole)."""
    problems: list[str] = []
    for name in ("passages.sqlite", "vectors.npy", "dense.faiss", "manifest.json"):
        if not (generation / name).is_file():
            problems.append(f"{name} is missing")
    for path in sorted(generation.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(generation).as_posix()
        try:
            problem = _check(path)
        except (OSError, ValueError) as error:
            problem = f"unreadable ({error})"
        if problem:
            problems.append(f"{relative} {problem}")
    return problems


def unreadable_part(generation: Path, error: BaseException) -> str:
    """Which of the generation's files a failed load names (FAISS and SQLite put the path in their
    messages), as a phrase for the user instead of the library's exception."""
    said = str(error) + str(getattr(error, "filename", "") or "")
    named = [path.relative_to(generation).as_posix() for path in sorted(generation.rglob("*"))
             if path.is_file() and str(path) in said]
    return f"{named[-1]} cannot be read" if named else "one of its files cannot be read"


def _check(path: Path) -> str:
    if path.suffix == ".npy":
        return _check_npy(path)
    if path.suffix == ".json":
        json.loads(path.read_text("utf-8"))
        return ""
    if path.suffix == ".sqlite":
        return _check_sqlite(path)
    if path.suffix == ".faiss" and path.stat().st_size == 0:
        return "is empty"
    return ""


def _check_npy(path: Path) -> str:
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(handle)
        offset = handle.tell()
    expected = offset + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = path.stat().st_size
    if actual != expected:
        return f"is {actual} bytes, its header says {expected}"
    return ""


def _check_sqlite(path: Path) -> str:
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "is not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size = path.stat().st_size
    if size % page_size or (pages and size < pages * page_size):
        return f"is {size} bytes, not the {pages} pages of {page_size} bytes its header says"
    if _as_written(path):
        return ""
    return _quick_check(path)


def _quick_check(path: Path) -> str:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = db.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as error:
        return f"has damaged pages ({error})"
    finally:
        db.close()
    if found == [("ok",)]:
        return ""
    detail = " ".join(str(found[0][0]).replace("*** in database main ***", "").split())
    return f"has damaged pages ({detail})"


def _identity(path: Path) -> dict[str, int]:
    found = path.stat()
    # not the change time: linking the catalog into the next generation, and unlinking the old one's name,
    # change it (`retriever.index.local.changes`); a write changes the modification time, a copy the inode
    return {"inode": found.st_ino, "size": found.st_size, "mtime_ns": found.st_mtime_ns}


def _mark(path: Path) -> Path:
    return path.with_name(path.name + ".written")


def mark_written(path: Path) -> None:
    """Vouch for an SQLite file this build wrote and closed: its page check is skipped while it is unchanged."""
    _mark(path).write_text(json.dumps(_identity(path)), "utf-8")


def _as_written(path: Path) -> bool:
    try:
        return bool(json.loads(_mark(path).read_text("utf-8")) == _identity(path))
    except (OSError, ValueError):
        return False
