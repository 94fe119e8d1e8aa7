"""Reindex into PostgreSQL: the data folder is imported and admins' additions and removals written (which
files: retriever/index/postgres/originals.py); only new and changed files are parsed, only passages not already stored
are encoded, and each batch of files is replaced in one transaction (readers see a document's old or new version, never
half). One reindex at a time across every replica: a session advisory lock."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psycopg
from pgvector import SparseVector

from retriever.errors import ReindexBusyError
from retriever.index.passages import Passage, make_passages
from retriever.index.postgres.index import SEARCH_INDEXES, SPARSE_DIM, PostgresIndex, bm25_weights
from retriever.index.postgres.originals import Incoming, Pending, folder_hashes, load, plan, stored_files, withdraw
from retriever.index.postgres.removed import forget_live_and_old, remember
from retriever.index.postgres.sentences import as_numpy, sentence_vectors, stored_sentences, write_sentences
from retriever.index.sources import ENCODE_CHUNK, fingerprint
from retriever.ingest.files import DEFAULT_OCR, parse_source
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, Document, SkippedFile
from retriever.text import lexical_tokens
from retriever.wordforms import best_forms, updated_counts

log = logging.getLogger(__name__)

REINDEX_LOCK = 7_116_004
FILES_PER_TRANSACTION = 50
EMPTY = "\x00"  # the token of a passage without syllables (as the local vocabulary has)

Progress = Callable[[BuildProgress], None]
FileRow = tuple[str, str, bytes, str | None]  # idx_files: content hash, origin, original, metadata JSON


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
    documents, files = _read(index, list(todo.writes.values()), skipped, progress, ocr)
    replaced = sorted({*todo.writes, *todo.removals})
    kept_ids = {pid for (pid,) in index.query(
        "SELECT passage_id FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path <> ALL(%s)",
        (replaced,))}
    passages = make_passages(documents, index.encoder.max_tokens - 8, index.encoder.count_tokens, (), kept_ids)
    old = {pid: (text, as_numpy(vector)) for pid, text, vector in index.query(
        "SELECT passage_id, text, embedding FROM idx_passages p JOIN idx_documents d USING (doc_id) "
        "WHERE d.path = ANY(%s)", (replaced,))}
    vectors = _encode(index, passages, old, batch_size, progress)
    sentences = sentence_vectors(index.encoder, passages, stored_sentences(index.query, replaced), batch_size,
                                 progress)
    progress(BuildProgress("indexing", 0, 1))
    average = _average_length(index, passages, old, rebuild)
    by_path: dict[str, list[Document]] = {}
    for document in documents:
        by_path.setdefault(document.path, []).append(document)
    # a first build: nobody reads an empty index, and building HNSW once after the load is many times
    # faster than growing it row by row
    bulk = not index.query("SELECT EXISTS (SELECT 1 FROM idx_passages)")[0][0]
    if bulk:
        index.query("DROP INDEX IF EXISTS idx_passages_dense, idx_passages_lexical, idx_passages_terms")
    if rebuild:  # as a local --rebuild: what was removed before is forgotten
        index.query("DELETE FROM idx_removed")
    admins = [path for path, item in pending.items() if item is not None]
    try:
        for start in range(0, max(len(replaced), 1), FILES_PER_TRANSACTION):
            progress(BuildProgress("indexing", start, len(replaced)))
            chunk = replaced[start : start + FILES_PER_TRANSACTION]
            with index.pool.connection() as db, db.transaction():
                if not rebuild:
                    remember(db, chunk, [d.key for path in chunk for d in by_path.get(path, [])])
                withdraw(db.execute, [p for p in todo.withdrawn if p in chunk], [p for p in admins if p in chunk])
                _replace_files(db, chunk, files, by_path, passages, (vectors, sentences), average)
    finally:
        if bulk:
            _create_search_indexes(index)
    with index.pool.connection() as db, db.transaction():
        forget_live_and_old(db)
        _update_accents(db, [text for text, _ in old.values()], [p.text for p in passages])
        _write_meta(db, index, print_, average)
    info = index.read_info()
    new_ids = {p.passage_id for p in passages}
    return BuildReport(
        documents=info.documents, passages=info.passages,
        added=sum(p not in known for p in todo.writes), changed=sum(p in known for p in todo.writes),
        removed=sum(p in known for p in todo.removals), passages_added=len(new_ids - set(old)),
        passages_removed=len(set(old) - new_ids), encoded=sum(1 for p in passages if p.passage_id not in old),
        skipped=tuple(skipped), seconds=time.perf_counter() - started,
    )


def _read(index: PostgresIndex, items: list[Incoming], skipped: list[SkippedFile], progress: Progress,
          ocr: OcrOptions) -> tuple[list[Document], dict[str, FileRow]]:
    """The documents of each file to write, and the `idx_files` row of each that could be read."""
    documents: list[Document] = []
    files: dict[str, FileRow] = {}
    for done, item in enumerate(items, start=1):
        progress(BuildProgress("reading", done, len(items)))
        try:
            source, (origin, raw, meta) = load(index.query, item)
            parsed = parse_source(source, ocr)
        except (OSError, ValueError) as error:
            skipped.append(SkippedFile(item.relative, str(error) or type(error).__name__))
            continue
        if not any(document.paragraphs for document in parsed):
            skipped.append(SkippedFile(item.relative, "no text paragraphs found"))
            continue
        documents.extend(parsed)
        files[item.relative] = (item.content_hash, origin, raw, meta)
    return documents, files


def _encode(index: PostgresIndex, passages: list[Passage], old: dict[int, tuple[str, np.ndarray]],
            batch_size: int, progress: Progress) -> dict[int, np.ndarray]:
    """A vector per passage: stored ones reused, the rest encoded."""
    vectors = {p.passage_id: old[p.passage_id][1] for p in passages if p.passage_id in old}
    missing = [p for p in passages if p.passage_id not in old]
    for start in range(0, len(missing), ENCODE_CHUNK):
        progress(BuildProgress("encoding", start, len(missing)))
        chunk = missing[start : start + ENCODE_CHUNK]
        encoded = index.encoder.encode([p.searchable for p in chunk], kind="passage", batch_size=batch_size)
        vectors.update({p.passage_id: encoded[i] for i, p in enumerate(chunk)})
    progress(BuildProgress("encoding", len(missing), len(missing)))
    return vectors


def _tokens(passage: Passage) -> list[str]:
    return lexical_tokens(passage.searchable) or [EMPTY]


def _average_length(index: PostgresIndex, passages: list[Passage], old: dict, rebuild: bool) -> float:
    """The average passage length (in tokens) after this reindex."""
    added = sum(len(_tokens(p)) for p in passages)
    if rebuild:
        return added / max(len(passages), 1)
    [(total, count)] = index.query("SELECT COALESCE(SUM(length), 0), COUNT(*) FROM idx_passages")
    [(dropped,)] = index.query("SELECT COALESCE(SUM(length), 0) FROM idx_passages WHERE passage_id = ANY(%s)",
                               (list(old),))
    return (total - dropped + added) / max(count - len(old) + len(passages), 1)


def _replace_files(db: psycopg.Connection, paths: list[str], files: dict[str, FileRow],
                   by_path: dict[str, list[Document]], passages: list[Passage],
                   encoded: tuple[dict[int, np.ndarray], dict[int, np.ndarray]], average: float) -> None:
    """`encoded`: each passage's vector and sentence vectors (by passage_id)."""
    vectors, sentences = encoded
    db.execute("UPDATE idx_terms t SET df = t.df - c.n FROM (SELECT unnest(p.terms) AS id, COUNT(*) AS n "
               "FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path = ANY(%s) GROUP BY 1) c "
               "WHERE t.id = c.id", (paths,))
    db.execute("DELETE FROM idx_files WHERE path = ANY(%s)", (paths,))  # cascades to documents and passages
    documents = [d for path in paths for d in by_path.get(path, [])]
    if not documents:
        return
    with db.cursor() as cursor:
        cursor.executemany("INSERT INTO idx_files (path, content_hash, origin, original, meta) "
                           "VALUES (%s, %s, %s, %s, %s)", [(path, *files[path]) for path in by_path if path in paths])
    [(position,)] = db.execute("SELECT COALESCE(MAX(position), 0) FROM idx_documents").fetchall()
    doc_ids = {}
    for i, d in enumerate(documents, start=position + 1):
        [(doc_ids[d.key],)] = db.execute(
            "INSERT INTO idx_documents (path, key, title, date, source, url, content_hash, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING doc_id",
            (d.path, d.key, d.title, d.date, d.source, d.url, d.content_hash, i)).fetchall()
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO idx_paragraphs VALUES (%s, %s, %s, %s)",
                               [(doc_ids[d.key], n, p.text, p.teaser) for n, p in enumerate(d.paragraphs)])
    mine = [p for p in passages if p.doc_key in doc_ids]
    tokens = [_tokens(p) for p in mine]
    terms = sorted({t for ts in tokens for t in ts})
    db.execute("INSERT INTO idx_terms (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (terms,))
    ids: dict[str, int] = dict(db.execute("SELECT term, id FROM idx_terms WHERE term = ANY(%s)", (terms,)).fetchall())
    rows = []
    for passage, passage_tokens in zip(mine, tokens):
        counts = Counter(ids[t] for t in passage_tokens)
        weights = bm25_weights(counts, len(passage_tokens), average)
        rows.append((passage.passage_id, doc_ids[passage.doc_key], passage.ordinal, passage.text, passage.teaser,
                     passage.teaser_title, len(passage_tokens), sorted(counts), vectors[passage.passage_id],
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


def _update_accents(db: psycopg.Connection, removed: list[str], added: list[str]) -> None:
    old: dict[str, int] = dict(db.execute("SELECT form, count FROM idx_accent_counts").fetchall())
    counts = updated_counts(old, removed, added)
    db.execute("DELETE FROM idx_accent_counts")
    db.execute("DELETE FROM idx_accents")
    db.execute("INSERT INTO idx_accent_counts SELECT * FROM unnest(%s::text[], %s::int[])",
               (list(counts), list(counts.values())))
    forms = best_forms(counts)
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
