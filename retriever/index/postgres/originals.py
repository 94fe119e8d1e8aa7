"""With INDEX_BACKEND=postgres the database is the collection: `idx_files` keeps every file's original, its
metadata and its origin, written in the transaction that writes its passages.

Origins: `upload` and `link` (uploads, fetched pages, feed items: the bot's own) and `folder:<absolute path>`
(imported from a data folder). A data folder is a source that is imported: at start-up (`prune=False`) its new
and changed files are added and nothing is removed, so a replica whose folder lacks a document, or is empty,
never takes it from the others; `tracuu index` (`prune=True`) also removes the documents that came from that
folder and are gone from it, never uploads, links, feed items or another folder's documents. A document an
admin removed is remembered (`idx_withdrawn`, path and content): a folder that still holds that very file does
not bring it back at its next start.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from retriever.index.sources import hash_files
from retriever.ingest.files import SourceFile, SourceMeta, list_files, meta_path, read_source
from retriever.models import SkippedFile
from retriever.originals import check_relative, meta_bytes, origin_of, parse_meta, source_hash

# migration 5 of retriever/index/postgres.py: rows written before it have no original; the migration's
# origins follow the path (the bot's folders) or say "folder" (the one data folder of that time)
MIGRATION = """
ALTER TABLE idx_files ADD COLUMN origin TEXT NOT NULL DEFAULT 'folder', ADD COLUMN original BYTEA,
    ADD COLUMN meta TEXT;
UPDATE idx_files SET origin = CASE WHEN path LIKE 'uploads/%' THEN 'upload' WHEN path LIKE 'links/%' THEN 'link'
    ELSE 'folder' END;
CREATE TABLE idx_withdrawn (
    path TEXT NOT NULL, content_hash TEXT NOT NULL, removed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (path, content_hash));
"""
LEGACY_FOLDER = "folder"

Query = Callable[..., list[tuple]]


@dataclass(frozen=True)
class Stored:
    """What `idx_files` says of one path."""

    content_hash: str
    origin: str
    has_original: bool


@dataclass(frozen=True)
class Incoming:
    """A file to (re)write: from the data folder, from an admin (`raw` set) or from the database itself."""

    relative: str
    content_hash: str
    origin: str
    folder: Path | None = None  # read from this data folder
    raw: bytes | None = None  # given by an admin
    meta: SourceMeta | None = None


@dataclass(frozen=True)
class Plan:
    writes: dict[str, Incoming]
    removals: list[str]
    withdrawn: list[str]  # removals an admin asked for: remembered so a folder does not bring them back
    folder_hashes: dict[str, str]


def folder_origin(data_dir: Path) -> str:
    return f"folder:{data_dir.resolve()}"


def folder_hashes(data_dir: Path, skipped: list[SkippedFile]) -> dict[str, str]:
    """Each readable file's hash; a missing data folder is an empty source (the database is the collection)."""
    if not data_dir.is_dir():
        return {}
    paths, listed = list_files(data_dir)
    skipped.extend(listed)
    return hash_files(paths, data_dir, skipped)


def stored_files(query: Query) -> dict[str, Stored]:
    rows = query("SELECT path, content_hash, origin, original IS NOT NULL FROM idx_files")
    return {path: Stored(content_hash, origin, has) for path, content_hash, origin, has in rows}


Pending = dict[str, tuple[bytes, SourceMeta | None] | None]  # what admins added (bytes, metadata) or removed


def plan(query: Query, data_dir: Path, hashes: dict[str, str], pending: Pending, rebuild: bool, prune: bool) -> Plan:
    known = stored_files(query)
    withdrawn = set(query("SELECT path, content_hash FROM idx_withdrawn"))
    origin = folder_origin(data_dir)
    writes: dict[str, Incoming] = {}
    if rebuild:  # every original the database holds is read again; the folder's files then replace theirs
        writes.update({path: Incoming(path, row.content_hash, row.origin)
                       for path, row in known.items() if row.has_original})
    for relative, content_hash in hashes.items():
        row = known.get(relative)
        fresh = row is None or row.content_hash != content_hash or not row.has_original
        if (rebuild or fresh) and (relative, content_hash) not in withdrawn:
            writes[relative] = Incoming(relative, content_hash, origin_of(relative, origin), folder=data_dir)
    removals, asked = [], []
    for relative, item in pending.items():
        if item is None:
            writes.pop(relative, None)
            removals.append(relative)
            asked.append(relative)
        else:
            raw, meta = item
            writes[relative] = Incoming(relative, source_hash(raw, meta_bytes(meta)), origin_of(relative, "upload"),
                                        raw=raw, meta=meta)
    if prune:
        removals += [path for path, row in known.items()
                     if row.origin in (origin, LEGACY_FOLDER) and path not in hashes and path not in writes]
    return Plan(writes, sorted(set(removals)), asked, hashes)


def load(query: Query, item: Incoming) -> tuple[SourceFile, tuple[str, bytes, str | None]]:
    """The file to parse, and the row `idx_files` keeps of it: (origin, original, metadata JSON)."""
    if item.folder is not None:
        source = read_source(item.folder / item.relative, item.folder)
        sidecar = meta_path(item.folder, item.relative)
        meta = sidecar.read_text("utf-8") if sidecar.is_file() else None
        return source, (item.origin, source.raw, meta)
    if item.raw is not None:
        encoded = meta_bytes(item.meta)
        source = SourceFile(Path(item.relative), item.relative, item.content_hash, item.raw, item.meta or SourceMeta())
        return source, (item.origin, item.raw, encoded.decode() if encoded is not None else None)
    [(raw, meta)] = query("SELECT original, meta FROM idx_files WHERE path = %s", (item.relative,))
    source_meta = parse_meta(meta)
    return SourceFile(Path(item.relative), item.relative, item.content_hash, bytes(raw), source_meta), \
        (item.origin, bytes(raw), meta)


# what admins added or removed, kept in the database from the moment it is sent until a reindex has written it:
# held in one replica's memory, an upload was lost for good when that replica died before its reindex
# (killed, out of memory, stopped past its grace period during a large file)
PENDING_TABLE = """
CREATE TABLE IF NOT EXISTS idx_pending (
    path TEXT PRIMARY KEY, original BYTEA, meta TEXT, token TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now());
"""


class PendingOriginals:
    """`retriever.originals.Originals` over the database: what an admin adds or removes waits in
    `idx_pending` (an original, or NULL for a removal) until a reindex, on any replica, writes it with its
    passages; `done` then forgets exactly what was written (`token`: a later version waits for the next)."""

    def __init__(self, query: Query) -> None:
        self.cache_dir: Path | None = None  # a scan is read again when indexed: no replica's folder is shared
        self._query = query
        self._lock = threading.Lock()
        self._snapshots: dict[int, dict[str, str]] = {}  # id of a snapshot: the tokens it holds, by path

    def _waiting(self, relative: str) -> tuple[bytes | None, SourceMeta | None] | None:
        """(original or None for a removal, metadata) of what waits at `relative`; None when nothing does."""
        found = self._query("SELECT original, meta FROM idx_pending WHERE path = %s", (relative,))
        if not found:
            return None
        original, meta = found[0]
        return (None if original is None else bytes(original)), (parse_meta(meta) if meta else None)

    def _all(self) -> tuple[Pending, dict[str, str]]:
        rows = self._query("SELECT path, original, meta, token FROM idx_pending ORDER BY path")
        pending: Pending = {path: None if original is None else (bytes(original), parse_meta(meta) if meta else None)
                            for path, original, meta, _ in rows}
        return pending, {path: token for path, _, _, token in rows}

    def read(self, relative: str) -> bytes | None:
        if (waiting := self._waiting(relative)) is not None:
            return waiting[0]
        found = self._query("SELECT original FROM idx_files WHERE path = %s", (relative,))
        if not found:
            return None
        # a file indexed before originals were kept: taken, with contents unknown (never equal to an upload)
        return b"" if found[0][0] is None else bytes(found[0][0])

    def meta(self, relative: str) -> SourceMeta:
        if (waiting := self._waiting(relative)) is not None:
            return waiting[1] or SourceMeta()
        found = self._query("SELECT meta FROM idx_files WHERE path = %s", (relative,))
        return parse_meta(found[0][0]) if found else SourceMeta()

    def write(self, relative: str, raw: bytes, meta: SourceMeta | None) -> None:
        encoded = meta_bytes(meta)
        self._keep(check_relative(relative), raw, encoded.decode() if encoded is not None else None)

    def remove(self, relative: str) -> None:
        self._keep(check_relative(relative), None, None)

    def _keep(self, relative: str, raw: bytes | None, meta: str | None) -> None:
        self._query("INSERT INTO idx_pending (path, original, meta, token) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (path) DO UPDATE SET original = excluded.original, meta = excluded.meta, "
                    "token = excluded.token, added_at = now()", (relative, raw, meta, uuid.uuid4().hex))

    def holding(self, folder: str, raw: bytes, digest: str) -> str | None:
        pending, _ = self._all()
        for relative, item in sorted(pending.items()):
            if relative.startswith(f"{folder}/") and item is not None and item[0] == raw and source_hash(
                    raw, meta_bytes(item[1])) == digest:
                return relative
        found = self._query("SELECT path FROM idx_files WHERE content_hash = %s AND path LIKE %s ORDER BY path",
                            (digest, _under(folder)))
        return next((path for (path,) in found if path not in pending), None)

    def addresses(self, folder: str) -> dict[str, str]:
        pending, _ = self._all()
        rows = self._query("SELECT path, meta FROM idx_files WHERE path LIKE %s AND meta IS NOT NULL",
                           (_under(folder),))
        found = {path: parse_meta(meta).url for path, meta in rows if path not in pending}
        # what waits for the next reindex counts as held already: the second form sent before it is no copy
        found.update({relative: item[1].url for relative, item in pending.items()
                      if relative.startswith(f"{folder}/") and item is not None and item[1] is not None})
        return {relative: url for relative, url in found.items() if url}

    def snapshot(self) -> Pending:
        pending, tokens = self._all()
        with self._lock:
            self._snapshots[id(pending)] = tokens
        return pending

    def done(self, written: Pending) -> None:
        """Forget what a reindex wrote (what was sent again meanwhile, with a new token, waits for the next)."""
        with self._lock:
            tokens = self._snapshots.pop(id(written), {})
        if tokens:
            self._query("DELETE FROM idx_pending p USING unnest(%s::text[], %s::text[]) AS w (path, token) "
                        "WHERE p.path = w.path AND p.token = w.token", (list(tokens), list(tokens.values())))


def _under(folder: str) -> str:
    """LIKE's pattern for the paths under `folder`: its "_" and "%" as themselves ("channels/vn_news/" is
    not "channels/vnxnews/"), in PostgreSQL's default escape, the backslash."""
    escaped = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}/%"


def withdraw(execute: Callable[..., object], removed: Sequence[str], written: Sequence[str]) -> None:
    """Remember what an admin removed (before its rows go), forget it where it is written again."""
    if written:
        execute("DELETE FROM idx_withdrawn WHERE path = ANY(%s)", (list(written),))
    if removed:
        execute("INSERT INTO idx_withdrawn (path, content_hash) SELECT path, content_hash FROM idx_files "
                "WHERE path = ANY(%s) ON CONFLICT DO NOTHING", (list(removed),))
