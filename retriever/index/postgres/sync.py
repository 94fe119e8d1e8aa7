"""Reindex into PostgreSQL: the data folder is imported and admins' additions and removals written (which
files: retriever/index/postgres/originals.py); only new and changed files are parsed, only passages not
already stored are encoded. Two passes: every file to write is read and split into a spool on disk
(`retriever.index.postgres.spool`), then the spool is encoded and written a batch of files at a time, each
batch in one transaction (readers see a document's old or new version, never half; a reindex that fails
part-way keeps the batches it wrote, and the next one finds them stored). One reindex at a time across
every replica: a session advisory lock."""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from retriever.errors import ReindexBusyError
from retriever.index.postgres.index import PostgresIndex
from retriever.index.postgres.originals import Pending, Plan, folder_hashes, plan, stored_files, withdraw
from retriever.index.postgres.removed import forget_live_and_old, remember
from retriever.index.postgres.schema import RAISE_BUILD_MEMORY, search_indexes
from retriever.index.postgres.spool import Splitter, Spooled, Totals, read_spool, write_spool
from retriever.index.postgres.write import Writer, replace_files
from retriever.index.sources import fingerprint, skips_record, still_skipped
from retriever.ingest.files import DEFAULT_OCR
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, SkippedFile
from retriever.wordforms import best_forms

log = logging.getLogger(__name__)

REINDEX_LOCK = 7_116_004
FILES_PER_TRANSACTION = 50
# a batch also ends past this many passages (a few MB of vectors), however few files hold them
PASSAGES_PER_TRANSACTION = 2_000

Progress = Callable[[BuildProgress], None]


def sync(index: PostgresIndex, data_dir: Path, batch_size: int = 32, rebuild: bool = False,
         progress: Progress | None = None, wait: bool = False, ocr: OcrOptions = DEFAULT_OCR, *,
         pending: Pending | None = None, prune: bool = False) -> BuildReport:
    """Import the data folder and write what admins added or removed (`pending`); see
    `retriever.index.postgres.originals` for what is removed (`prune`: the folder's own documents gone from it).
    `wait`: when another replica is reindexing, wait for it (then usually find nothing left to do)
    instead of raising ReindexBusyError."""
    started = time.perf_counter()
    progress = progress or (lambda _: None)
    if index.read_only:
        log.info("the index database is a standby: reindexing is the primary's job")
        info = index.info = index.read_info()
        return BuildReport(info.documents, info.passages, 0, 0, 0, 0, 0, 0, (), 0.0, unchanged=True)
    with index.pool.connection() as lock:
        if wait:
            lock.execute("SELECT pg_advisory_lock(%s)", (REINDEX_LOCK,))
        elif not lock.execute("SELECT pg_try_advisory_lock(%s)", (REINDEX_LOCK,)).fetchone()[0]:  # type: ignore[index]
            raise ReindexBusyError("A reindex is already running (on this or another replica).")
        try:
            report = _sync(index, data_dir, batch_size, (rebuild, prune), pending or {}, progress, started, ocr)
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", (REINDEX_LOCK,))
    index.info = index.read_info()
    progress(BuildProgress("done", report.passages, report.passages))
    return report


def _sync(index: PostgresIndex, data_dir: Path, batch_size: int, how: tuple[bool, bool], pending: Pending,
          progress: Progress, started: float, ocr: OcrOptions) -> BuildReport:
    rebuild, prune = how
    skipped: list[SkippedFile] = []
    hashes = folder_hashes(data_dir, skipped)
    print_ = fingerprint(list(hashes.items()), index.encoder)
    meta = index.meta()
    if not (rebuild or prune or pending) and meta.get("fingerprint") == print_:
        info = index.info
        return BuildReport(info.documents, info.passages, 0, 0, 0, 0, 0, 0,
                           still_skipped(_record(meta.get("skipped")), skipped, hashes),
                           time.perf_counter() - started, unchanged=True)
    known = {path: row.content_hash for path, row in stored_files(index.query).items()}
    todo = plan(index.query, data_dir, hashes, pending, rebuild, prune)
    replaced = sorted({*todo.writes, *todo.removals})
    kept_ids = {pid for (pid,) in index.query(
        "SELECT passage_id FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path <> ALL(%s)",
        (replaced,))}
    splitter = Splitter(index.encoder.max_tokens - 8, index.encoder.count_tokens, kept_ids)
    old = dict(index.query("SELECT passage_id, length FROM idx_passages p JOIN idx_documents d USING (doc_id) "
                           "WHERE d.path = ANY(%s)", (replaced,)))
    admins = {path for path, item in pending.items() if item is not None}
    with tempfile.TemporaryFile("w+", encoding="utf-8", prefix="tracuu-reindex-") as spool:
        totals = write_spool(spool, index.query, [todo.writes[p] for p in replaced if p in todo.writes], splitter,
                             skipped, progress, ocr)
        average = _average_length(index, totals, (sum(old.values()), len(old)), rebuild)
        spool.seek(0)
        encoded = _write(index, (todo, admins), replaced, read_spool(spool), (rebuild, batch_size, average),
                         progress, totals)
    with index.pool.connection() as db, db.transaction():
        forget_live_and_old(db)
        _write_accents(db)
        _write_meta(db, index, print_, average, skipped)
    info = index.read_info()
    # a file that could not be read is no document added: it is read again at every build (it has no row to
    # tell it is unchanged), and was counted "1 added" each time
    unread = {item.path for item in skipped}
    written = [path for path in todo.writes if path not in unread]
    return BuildReport(
        documents=info.documents, passages=info.passages,
        added=sum(p not in known for p in written), changed=sum(p in known for p in written),
        removed=sum(p in known for p in todo.removals), passages_added=len(totals.ids - old.keys()),
        passages_removed=len(old.keys() - totals.ids), encoded=encoded,
        skipped=tuple(skipped), seconds=time.perf_counter() - started, cut=tuple(totals.cut),
    )


def _write(index: PostgresIndex, what: tuple[Plan, set[str]], replaced: list[str], spooled: Iterator[Spooled],
           how: tuple[bool, int, float], progress: Progress, totals: Totals) -> int:
    """The second pass: the spooled files written a batch at a time, each batch in one transaction
    (`retriever.index.postgres.write`). `what`: the plan and the paths admins gave. Returns how many
    passages were encoded."""
    (todo, admins), (rebuild, batch_size, average) = what, how
    writer = Writer(index, batch_size, average)
    # a first build: nobody reads an empty index, and building HNSW once after the load is many times
    # faster than growing it row by row
    bulk = not index.query("SELECT EXISTS (SELECT 1 FROM idx_passages)")[0][0]
    if bulk:
        index.query("DROP INDEX IF EXISTS idx_passages_dense, idx_passages_lexical, idx_passages_terms")
    if rebuild:  # as a local --rebuild: what was removed before is forgotten
        index.query("DELETE FROM idx_removed")
    encoded = done = 0
    try:
        for paths, files in _batches(replaced, spooled):
            progress(BuildProgress("encoding", done, totals.passages))
            with index.pool.connection() as db, db.transaction():
                if not rebuild:
                    remember(db, paths, [d.key for f in files for d in f.documents])
                withdraw(db.execute, [p for p in todo.withdrawn if p in paths], [p for p in paths if p in admins])
                encoded += replace_files(writer, db, paths, files)
            done += sum(len(f.passages) for f in files)
        progress(BuildProgress("indexing", 0, 1))
    finally:
        if bulk:
            _create_search_indexes(index)
    return encoded


def _batches(replaced: list[str], spooled: Iterator[Spooled]) -> Iterator[tuple[list[str], list[Spooled]]]:
    """`replaced` in order, `FILES_PER_TRANSACTION` paths or about `PASSAGES_PER_TRANSACTION` passages at a
    time, with the spooled files among them (a file that could not be read has none: its old version goes)."""
    paths: list[str] = []
    files: list[Spooled] = []
    count = 0
    following = next(spooled, None)
    for path in replaced:
        paths.append(path)
        if following is not None and following.path == path:
            files.append(following)
            count += len(following.passages)
            following = next(spooled, None)
        if len(paths) >= FILES_PER_TRANSACTION or count >= PASSAGES_PER_TRANSACTION:
            yield paths, files
            paths, files, count = [], [], 0
    if paths:
        yield paths, files


def _average_length(index: PostgresIndex, totals: Totals, old: tuple[int, int], rebuild: bool) -> float:
    """The average passage length (in tokens) after this reindex; `old`: the replaced passages' total length
    and count."""
    if rebuild:
        return totals.tokens / max(totals.passages, 1)
    [(total, count)] = index.query("SELECT COALESCE(SUM(length), 0), COUNT(*) FROM idx_passages")
    return (total - old[0] + totals.tokens) / max(count - old[1] + totals.passages, 1)


def _create_search_indexes(index: PostgresIndex) -> None:
    with index.pool.connection() as db:
        for sql in search_indexes(index.encoder.dim):
            with db.transaction():  # each index kept once built, as the load's batches are
                db.execute(RAISE_BUILD_MEMORY.encode())
                db.execute(sql.encode())


def _write_accents(db: psycopg.Connection) -> None:
    """The most frequent form of each folded syllable and pair, from the counts the batches left."""
    forms = best_forms(dict(db.execute("SELECT form, count FROM idx_accent_counts").fetchall()))
    db.execute("DELETE FROM idx_accents")
    db.execute("INSERT INTO idx_accents SELECT * FROM unnest(%s::text[], %s::text[])",
               (list(forms), list(forms.values())))


def _record(stored: str | None) -> object:
    try:
        return json.loads(stored or "[]")
    except ValueError:
        return []


def _write_meta(db: psycopg.Connection, index: PostgresIndex, print_: str, average: float,
                skipped: list[SkippedFile]) -> None:
    encoder = index.encoder
    meta = {"backend": encoder.backend, "model": encoder.model, "quantization": encoder.quantization,
            "dim": str(encoder.dim), "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": print_, "average_length": str(average), "skipped": json.dumps(skips_record(skipped))}
    with db.cursor() as cursor:
        cursor.executemany("INSERT INTO idx_meta VALUES (%s, %s) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", list(meta.items()))
