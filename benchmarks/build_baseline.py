"""What a plain build of the same index takes: FAISS and bm25s alone, over an index's own vectors and texts.

    python -m benchmarks.build_baseline INDEX_DIR

Reads the live generation's `vectors.npy` and passage texts (the catalog), then times, in this
process: FAISS of the generation's index type (`HNSW32,Flat` with the efConstruction of
`retriever.index.local.dense`) built from the vectors held in memory, and bm25s tokenising the texts
(its default tokeniser, no stopwords) and indexing them (Lucene BM25, as ours). No catalog, no
sentence vectors, no files: the floor a build of the same index cannot go under.
`python -m benchmarks.build_profile N --baseline` runs it after its build and prints the ratio.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Baseline:
    spec: str
    passages: int
    faiss_s: float
    bm25_tokenize_s: float
    bm25_index_s: float

    @property
    def seconds(self) -> float:
        return self.faiss_s + self.bm25_tokenize_s + self.bm25_index_s


def plain_build(generation: Path) -> Baseline:
    import bm25s
    import faiss

    from retriever.index.bm25 import K1, B
    from retriever.index.local.dense import HNSW_EF_CONSTRUCTION

    spec = json.loads((generation / "manifest.json").read_text("utf-8"))["dense_index"]
    vectors = np.load(generation / "vectors.npy")
    db = sqlite3.connect(f"file:{generation / 'passages.sqlite'}?mode=ro", uri=True)
    texts = [text for (text,) in db.execute("SELECT text FROM passages ORDER BY row")]
    db.close()
    started = time.perf_counter()
    index = faiss.index_factory(vectors.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    hnsw = getattr(faiss.downcast_index(index), "hnsw", None)
    if hnsw is not None:
        hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    if not index.is_trained:
        index.train(vectors[: 40 * 1024])
    index.add(vectors)
    faiss_s = time.perf_counter() - started
    del index, vectors
    started = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords=None, show_progress=False)
    tokenize_s = time.perf_counter() - started
    started = time.perf_counter()
    bm25s.BM25(k1=K1, b=B, method="lucene").index(tokens, show_progress=False)
    return Baseline(spec, len(texts), faiss_s, tokenize_s, time.perf_counter() - started)


def report(baseline: Baseline) -> str:
    return (
        f"plain build of {baseline.passages} passages: FAISS {baseline.spec} {baseline.faiss_s:.1f} s, "
        f"bm25s tokenize {baseline.bm25_tokenize_s:.1f} s + index {baseline.bm25_index_s:.1f} s, "
        f"{baseline.seconds:.1f} s in all"
    )


def main() -> int:
    from retriever.index.local.generations import current_generation

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    args = parser.parse_args()
    generation = current_generation(args.index)
    if generation is None:
        raise SystemExit(f"{args.index} holds no index: build one first")
    print(report(plain_build(generation)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
