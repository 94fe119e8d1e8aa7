"""Reindex into PostgreSQL: the data folder is imported and admins' additions and removals written (which
files: retriever/index/postgres/originals.py); only new and changed files are parsed, only passages not
already stored are encoded. Two passes: every file to write is read and split into a spool on disk
(`retriever.index.postgres.spool`), then the spool is encoded and written a batch of files at a time, each
batch in one transaction (readers see a document's old or new version, never half; a reindex that fails
part-way keeps the batches it wrote, and the next one finds them stored). One reindex at a time across
every replica: a session advisory lock."""

from __future__ import annotations

import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psycopg
from pgvector import SparseVector

from retriever.errors import ReindexBusyError
from retriever.index.passages import Passage
from retriever.index.postgres.index import SEARCH_INDEXES, SPARSE_DIM, PostgresIndex, bm25_weights
from retriever.index.postgres.originals import Pending, Plan, folder_hashes, plan, stored_files, withdraw
from retriever.index.postgres.removed import forget_live_and_old, remember
from retriever.index.postgres.sentences import as_numpy, sentence_vectors, stored_sentences, write_sentences
from retriever.index.postgres.spool import Splitter, Spooled, Totals, passage_tokens, read_spool, write_spool
from retriever.index.sources import ENCODE_CHUNK, fingerprint
from retriever.ingest.files import DEFAULT_OCR
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, SkippedFile
from retriever.wordforms import best_forms, count_forms

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
    if not (rebuild or prune or pending) and index.meta().get("fingerprint") == print_:
        info = index.info
        return BuildReport(info.documents, info.passages, 0, 0, 0, 0, 0, 0, tuple(skipped),
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
        _write_meta(db, index, print_, average)
    info = index.read_info()
    return BuildReport(
        documents=info.documents, passages=info.passages,
        added=sum(p not in known for p in todo.writes), changed=sum(p in known for p in todo.writes),
        removed=sum(p in known for p in todo.removals), passages_added=len(totals.ids - old.keys()),
        passages_removed=len(old.keys() - totals.ids), encoded=encoded,
        skipped=tuple(skipped), seconds=time.perf_counter() - started,
    )


def _write(index: PostgresIndex, what: tuple[Plan, set[str]], replaced: list[str], spooled: Iterator[Spooled],
           how: tuple[bool, int, float], progress: Progress, totals: Totals) -> int:
    """The second pass: the spooled files written a batch at a time, each batch encoded (stored vectors
    reused) and written in one transaction. `what`: the plan and the paths admins gave. Returns how many
    passages were encoded."""
    (todo, admins), (rebuild, batch_size, average) = what, how
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
            passages = [p for f in files for p in f.passages]
            ids = [p.passage_id for p in passages]
            stored = {pid: as_numpy(vector) for pid, vector in index.query(
                "SELECT passage_id, embedding FROM idx_passages WHERE passage_id = ANY(%s)", (ids,))}
            vectors = _encode(index, passages, stored, batch_size)
            sentences = sentence_vectors(index.encoder, passages, stored_sentences(index.query, ids), batch_size,
                                         _quiet)
            with index.pool.connection() as db, db.transaction():
                if not rebuild:
                    remember(db, paths, [d.key for f in files for d in f.documents])
                withdraw(db.execute, [p for p in todo.withdrawn if p in paths], [p for p in paths if p in admins])
                _replace_files(db, paths, files, (vectors, sentences), average)
            encoded += len(passages) - len(stored)
            done += len(passages)
        progress(BuildProgress("indexing", 0, 1))
    finally:
        if bulk:
            _create_search_indexes(index)
    return encoded


def _quiet(_: BuildProgress) -> None:
    """A batch's sentence encoding: the batches' progress is reported as a whole."""


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


def _encode(index: PostgresIndex, passages: list[Passage], stored: dict[int, np.ndarray],
            batch_size: int) -> dict[int, np.ndarray]:
    """A vector per passage: stored ones reused, the rest encoded."""
    vectors = {p.passage_id: stored[p.passage_id] for p in passages if p.passage_id in stored}
    missing = [p for p in passages if p.passage_id not in stored]
    for start in range(0, len(missing), ENCODE_CHUNK):
        chunk = missing[start : start + ENCODE_CHUNK]
        encoded = index.encoder.encode([p.searchable for p in chunk], kind="passage", batch_size=batch_size)
        vectors.update({p.passage_id: encoded[i] for i, p in enumerate(chunk)})
    return vectors


def _average_length(index: PostgresIndex, totals: Totals, old: tuple[int, int], rebuild: bool) -> float:
    """The average passage length (in tokens) after this reindex; `old`: the replaced passages' total length
    and count."""
    if rebuild:
        return totals.tokens / max(totals.passages, 1)
    [(total, count)] = index.query("SELECT COALESCE(SUM(length), 0), COUNT(*) FROM idx_passages")
    return (total - old[0] + totals.tokens) / max(count - old[1] + totals.passages, 1)


def _replace_files(db: psycopg.Connection, paths: list[str], files: list[Spooled],
                   encoded: tuple[dict[int, np.ndarray], dict[int, np.ndarray]], average: float) -> None:
    """Replace these paths' rows by `files` (`encoded`: each passage's vector and sentence vectors, by
    passage_id); the accent counts follow."""
    vectors, sentences = encoded
    removed = db.execute("SELECT text FROM idx_passages p JOIN idx_documents d USING (doc_id) "
                         "WHERE d.path = ANY(%s)", (paths,)).fetchall()
    db.execute("UPDATE idx_terms t SET df = t.df - c.n FROM (SELECT unnest(p.terms) AS id, COUNT(*) AS n "
               "FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path = ANY(%s) GROUP BY 1) c "
               "WHERE t.id = c.id", (paths,))
    db.execute("DELETE FROM idx_files WHERE path = ANY(%s)", (paths,))  # cascades to documents and passages
    mine = [p for f in files for p in f.passages]
    _count_accents(db, [text for (text,) in removed], [p.text for p in mine])
    if not files:
        return
    with db.cursor() as cursor:
        cursor.executemany("INSERT INTO idx_files (path, content_hash, origin, original, meta) "
                           "VALUES (%s, %s, %s, %s, %s)", [(f.path, *f.row) for f in files])
    [(position,)] = db.execute("SELECT COALESCE(MAX(position), 0) FROM idx_documents").fetchall()
    doc_ids = {}
    for i, d in enumerate((d for f in files for d in f.documents), start=position + 1):
        [(doc_ids[d.key],)] = db.execute(
            "INSERT INTO idx_documents (path, key, title, date, source, url, content_hash, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING doc_id",
            (d.path, d.key, d.title, d.date, d.source, d.url, d.content_hash, i)).fetchall()
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO idx_paragraphs VALUES (%s, %s, %s, %s)",
                               [(doc_ids[d.key], n, p.text, p.teaser) for n, p in enumerate(d.paragraphs)])
    tokens = [passage_tokens(p) for p in mine]
    terms = sorted({t for ts in tokens for t in ts})
    db.execute("INSERT INTO idx_terms (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (terms,))
    ids: dict[str, int] = dict(db.execute("SELECT term, id FROM idx_terms WHERE term = ANY(%s)", (terms,)).fetchall())
    rows = []
    for passage, words in zip(mine, tokens, strict=True):
        counts = Counter(ids[t] for t in words)
        weights = bm25_weights(counts, len(words), average)
        rows.append((passage.passage_id, doc_ids[passage.doc_key], passage.ordinal, passage.text, passage.teaser,
                     passage.teaser_title, len(words), sorted(counts), vectors[passage.passage_id],
                     SparseVector(weights, SPARSE_DIM)))
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO idx_passages (passage_id, doc_id, ordinal, text, teaser, teaser_title, length, terms, "
            "embedding, lexical) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    write_sentences(db, [passage.passage_id for passage in mine], sentences)
    db.execute("UPDATE idx_terms t SET df = t.df + c.n FROM (SELECT unnest(p.terms) AS id, COUNT(*) AS n "
               "FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path = ANY(%s) GROUP BY 1) c "
               "WHERE t.id = c.id", (paths,))


BUILD_MEMORY_MB = 512  # at least this much maintenance_work_mem to build the indexes after a bulk load


def _create_search_indexes(index: PostgresIndex) -> None:
    with index.pool.connection() as db:
        # an HNSW graph that fits in maintenance_work_mem is built many times faster; the server's setting
        # stands where it is larger (1M passages want several GB: docs/performance-at-scale.md)
        [(mb,)] = db.execute("SELECT setting::bigint / 1024 FROM pg_settings "
                             "WHERE name = 'maintenance_work_mem'").fetchall()
        if mb < BUILD_MEMORY_MB:
            db.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY_MB}MB'".encode())
        for sql in SEARCH_INDEXES:
            db.execute(sql.encode())


def _count_accents(db: psycopg.Connection, removed: list[str], added: list[str]) -> None:
    """Each accented form's count, changed by only the forms a batch removes or adds."""
    delta = count_forms(added)
    delta.subtract(count_forms(removed))
    changed = {form: n for form, n in delta.items() if n}
    db.execute("INSERT INTO idx_accent_counts SELECT * FROM unnest(%s::text[], %s::int[]) ON CONFLICT (form) "
               "DO UPDATE SET count = idx_accent_counts.count + excluded.count",
               (list(changed), list(changed.values())))
    db.execute("DELETE FROM idx_accent_counts WHERE count <= 0 AND form = ANY(%s)", (list(changed),))


def _write_accents(db: psycopg.Connection) -> None:
    """The most frequent form of each folded syllable and pair, from the counts the batches left."""
    forms = best_forms(dict(db.execute("SELECT form, count FROM idx_accent_counts").fetchall()))
    db.execute("DELETE FROM idx_accents")
    db.execute("INSERT INTO idx_accents SELECT * FROM unnest(%s::text[], %s::text[])",
               (list(forms), list(forms.values())))


def _write_meta(db: psycopg.Connection, index: PostgresIndex, print_: str, average: float) -> None:
    encoder = index.encoder
    meta = {"backend": encoder.backend, "model": encoder.model, "quantization": encoder.quantization,
            "dim": str(encoder.dim), "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": print_, "average_length": str(average)}
    with db.cursor() as cursor:
        cursor.executemany("INSERT INTO idx_meta VALUES (%s, %s) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", list(meta.items()))
