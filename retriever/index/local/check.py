"""A cheap look at every file of a generation before it is loaded: sizes against headers, not contents.

A truncated `vectors.npy` used to load (its header still says how many rows), be reported "up to date",
and fail every question; a damaged lexical array failed the next build with an unexpected error. Here each
`.npy` must be exactly header + rows × row size, JSON must parse, SQLite must start with its magic and be
whole pages, FAISS must not be empty. Reading headers only, it costs milliseconds at any index size.
"""

from __future__ import annotations

import json
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
    return ""
