"""`tracuu bench --backend postgres`: the PostgreSQL + pgvector index at several sizes, on the same generated
collections and questions as the local bench (DATABASE_URL: a database the bench may empty)."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import psycopg

from benchmarks.corpus import (
    CHANGED_FACT_DATE,
    NEW_ARTICLE_FACT_DATE,
    NEW_ARTICLE_QUESTION,
    StandInEncoder,
    generate_collection,
    load_source_text,
    sentence_vectors,
    write_new_article,
)
from benchmarks.encoders import encode_questions
from benchmarks.measure import load_questions, machine, percentile, proc_status_mb
from retriever.errors import TraCuuError, UnreachableError
from retriever.index.postgres.query import dense_rows
from tracuu.messages import DATABASE_UNREACHABLE
from tracuu.settings import Settings

log = logging.getLogger(__name__)
QUESTIONS = 300
DROP = "DROP TABLE IF EXISTS idx_schema, idx_meta, idx_files, idx_documents, idx_paragraphs, idx_terms, " \
       "idx_passages, idx_sentences, idx_accent_counts, idx_accents, idx_removed, idx_withdrawn CASCADE; " \
       "DROP FUNCTION IF EXISTS idx_lexical_top"


@dataclass(frozen=True)
class PgRun:
    passages: int
    documents: int
    build_s: float
    build_peak_mb: float  # this process's peak resident memory from the start of the build to its end
    add_article_s: float
    add_article_found: bool
    change_article_s: float
    change_article_found: bool
    retrieve_ms_p50: float
    retrieve_ms_p95: float
    recall_at_10: float
    recall_at_10_served: float
    database_mb: float


def run_pg_bench(settings: Settings, sizes: list[int], work: Path, *, as_json: bool = False) -> int:
    from benchmarks.measure import eval_root
    from embeddings import load_encoder

    if not settings.database_url:
        raise TraCuuError("tracuu bench --backend postgres needs DATABASE_URL (a database the bench may empty)")
    _reachable(settings.database_url)  # before minutes of encoding, not after them
    real = load_encoder(settings.embedding_backend, settings.embedding_model, device=settings.embedding_device)
    shared = eval_root()
    questions = load_questions(shared, QUESTIONS)
    qvecs, _ = encode_questions(real, questions)
    source = load_source_text(settings.data_dir, shared)
    vectors = sentence_vectors(source, real, work)
    runs = [run_size(settings, real, source, vectors, questions, qvecs, n, work) for n in sizes]
    payload = {"machine": machine(), "backend": "postgres + pgvector", "runs": [asdict(r) for r in runs]}
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("| passages | build s | build peak MB | add article s | change article s | p50 ms | p95 ms "
              "| recall@10 (served) | DB MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in runs:
            print(f"| {r.passages:,} | {r.build_s} | {r.build_peak_mb} | {r.add_article_s} | {r.change_article_s} "
                  f"| {r.retrieve_ms_p50} "
                  f"| {r.retrieve_ms_p95} "
                  f"| {r.recall_at_10} ({r.recall_at_10_served}) | {r.database_mb} |")
    return 0


def _reachable(url: str) -> None:
    from retriever.index.postgres.conninfo import location, passing, reason

    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as error:
        said = DATABASE_UNREACHABLE.format(name="DATABASE_URL", where=f" ({location(url)})", reason=reason(error))
        raise (UnreachableError if passing(error) else TraCuuError)(said) from error


def run_size(settings: Settings, real, source, vectors: dict, questions: list[str], qvecs: np.ndarray,
             passages: int, work: Path) -> PgRun:
    from retriever.index.postgres.index import PostgresIndex
    from retriever.index.postgres.sync import sync
    from retriever.library import Library, LibraryConfig

    data = work / f"p{passages}" / "data"
    documents = generate_collection(source, passages, data)
    for stale in data.glob("zz-bench-*"):
        stale.unlink()
    with psycopg.connect(settings.database_url, autocommit=True) as db:
        db.execute(DROP)
    log.info("bench postgres %d: building (synthetic vectors)", passages)
    _reset_peak()
    started = time.perf_counter()
    index = PostgresIndex(settings.database_url, StandInEncoder(real, vectors))
    report = sync(index, data, settings.batch_size, rebuild=True)
    index.close()
    build_s = time.perf_counter() - started
    build_peak_mb = round(proc_status_mb("VmHWM"), 1)
    config = LibraryConfig(data, work / "unused", database_url=settings.database_url)
    library, _ = Library.open(config, real, refresh=False)
    searcher = library.searcher
    timings: list[float] = []
    for _ in range(2):  # the first pass warms the caches; the second is reported
        timings = []
        for question, vector in zip(questions, qvecs, strict=True):
            query = searcher.prepare(question)
            t0 = time.perf_counter()
            searcher.search_encoded([query], vector[None, :], settings.top_k)
            timings.append((time.perf_counter() - t0) * 1000)
    recall, served = _recall(library, qvecs)
    article = write_new_article(source, data)
    started = time.perf_counter()
    library.reindex()
    add_s = time.perf_counter() - started
    found = any(NEW_ARTICLE_FACT_DATE in r.text for r in library.search(NEW_ARTICLE_QUESTION, 3).results)
    article.write_text(article.read_text("utf-8").replace(NEW_ARTICLE_FACT_DATE, CHANGED_FACT_DATE), "utf-8")
    started = time.perf_counter()
    library.reindex()
    change_s = time.perf_counter() - started
    changed = any(CHANGED_FACT_DATE in r.text for r in library.search(NEW_ARTICLE_QUESTION, 3).results)
    [(size,)] = library.searcher.store.query("SELECT pg_database_size(current_database())")  # type: ignore[attr-defined]
    library.close()
    return PgRun(report.passages, documents, round(build_s, 1), build_peak_mb, round(add_s, 2), found,
                 round(change_s, 2), changed, round(percentile(timings, 50), 2),
                 round(percentile(timings, 95), 2), round(recall, 4), round(served, 4), round(size / 2**20, 1))


def _reset_peak() -> None:
    """Start VmHWM again from the current resident memory (Linux: `clear_refs` 5), so that each size's
    build reports its own peak: the PostgreSQL import runs in this process, after the smaller sizes."""
    with contextlib.suppress(OSError):  # not Linux: the peak is then the process's so far
        Path("/proc/self/clear_refs").write_text("5")


def _recall(library, qvecs: np.ndarray, k: int = 10, depth: int = 50) -> tuple[float, float]:
    """HNSW's top-k (and its top `depth` re-scored exactly, as search uses them) against brute force."""
    store = library.searcher.store
    found_rows = store.query("SELECT row, embedding FROM idx_passages ORDER BY row")
    rows, stored = zip(*((row, np.asarray(v.to_numpy(), dtype=np.float32)) for row, v in found_rows), strict=True)
    matrix, ids = np.stack(stored), np.array(rows)
    raw, served = [], []
    for query in np.asarray(qvecs, dtype=np.float32):
        exact = set(ids[np.argsort(-(matrix @ query))[:k]].tolist())
        found = [r for (r,) in store.query(dense_rows(len(query)), {"vector": query, "depth": depth})]
        raw.append(len(exact & set(found[:k])) / k)
        scored = sorted(found, key=lambda r: -float(matrix[np.searchsorted(ids, r)] @ query))
        served.append(len(exact & set(scored[:k])) / k)
    return float(np.mean(raw)), float(np.mean(served))
