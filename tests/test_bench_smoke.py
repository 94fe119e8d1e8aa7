"""`tracuu bench` building blocks on a tiny collection, with a hash encoder (no model, a few seconds)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import benchmarks
from benchmarks.bench import update_and_answer
from benchmarks.corpus import (
    NEW_ARTICLE_QUESTION,
    StandInEncoder,
    generate_collection,
    load_source_text,
    write_new_article,
)
from benchmarks.measure import (
    disk_mb,
    load_questions,
    percentile,
    proc_status_mb,
    recall_at_k,
    time_retrieval,
)
from benchmarks.report import markdown, targets
from retriever.index.local.build import build_index
from retriever.index.local.storage import IndexStore
from retriever.library import Library, LibraryConfig
from tests.fakes import HashEncoder
from tracuu.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


def test_bench_pipeline_on_a_tiny_collection(tmp_path: Path) -> None:
    source = load_source_text(REPO / "data", tmp_path / "no-shared")
    assert source.sentences and source.titles
    real = HashEncoder()
    texts = [*source.titles, *source.sentences]
    stand_in = StandInEncoder(real, dict(zip(texts, real.encode(texts, kind="passage"), strict=True)))
    data, index = tmp_path / "data", tmp_path / "index"
    documents = generate_collection(source, 300, data)
    assert documents > 0 and generate_collection(source, 300, data) == documents  # cached the second time
    report = build_index(data, index, stand_in, rebuild=True)
    store = IndexStore.open(index, stand_in)
    sentence_vectors = int(store.sentences.offsets[-1])
    store.close()
    # every passage encoded once, and each sentence of the passages of several sentences
    assert 250 <= report.passages <= 300 and stand_in.texts == report.passages + sentence_vectors > report.passages

    library, _ = Library.open(LibraryConfig(data, index), real, refresh=False)
    questions = load_questions(tmp_path / "no-shared", 5)
    vectors = real.encode(questions, kind="query")
    times = time_retrieval(library.searcher, questions, vectors, 3)
    assert len(times.retrieve_ms) == len(questions) and all(t >= 0 for t in times.dense_ms)
    assert recall_at_k(library.searcher.store, vectors, 10) == (1.0, 1.0)  # Flat index is exact
    library.close()

    article = write_new_article(source, data)
    added = update_and_answer(load_settings(), LibraryConfig(data, index), real, lambda text: True)
    assert added.seconds > 0 and set(added.stages) >= {"encoding", "indexing", "reload+answer"}
    library, _ = Library.open(LibraryConfig(data, index), real, refresh=False)
    library.search(NEW_ARTICLE_QUESTION, 3)  # random hash vectors: may abstain, must not fail
    assert article.name in {info.document for info in library.articles()}
    library.close()
    assert disk_mb(index / "current") > 0 and proc_status_mb() > 0 and percentile([1.0, 3.0], 50) == 2.0


def test_report_renders_and_checks_targets() -> None:
    run = {
        "passages": 100_000,
        "index": "Flat",
        "build_s": 1.0,
        "recall@10": 1.0,
        "recall@10_served": 1.0,
        "retrieve_ms_p50": 5.0,
        "retrieve_ms_p95": 12.0,
        "retrieve_first_pass_ms_p95": 20.0,
        "dense_ms_p95": 4.0,
        "lexical_ms_p95": 6.0,
        "fusion_fetch_ms_p95": 2.0,
        "answer_ms_p50": 30.0,
        "answer_ms_p95": 40.0,
        "rss_mb": 500.0,
        "rss_anon_mb": 400.0,
        "disk_mb": 300.0,
        "cold_start_s": 3.0,
        "add_article_s": 9.0,
        "add_article_found": True,
        "change_article_s": 9.5,
        "change_article_found": True,
    }
    payload = {
        "machine": {
            "cpu": "x",
            "cores": 2,
            "memory_gib": 8,
            "python": "3.11",
            "os": "Linux",
            "load_avg_1m_at_start": 0.1,
        },
        "encoders": [{"name": "e5", "passages_per_s": 8.0, "query_ms_p50": 20.0, "query_ms_p95": 30.0, "load_s": 0.1}],
        "build_overhead": {"passages": 100, "build_s": 11.0, "encode_s": 10.0, "overhead": 0.1},
        "questions": 300,
        "answer_questions": 200,
        "synthetic": "synthetic vectors",
        "runs": [run],
        "bot_under_load": "not measured",
        "bench_s": 1.0,
    }
    payload["targets"] = targets(payload)
    met = {t["target"]: t["met"] for t in payload["targets"]}
    assert met["100k: recall@10 ≥ 0.95"] and not met["100k: retrieval p95 ≤ 10 ms"]
    assert "| 100k (100,000) | Flat |" in markdown(payload)


def test_every_benchmark_module_imports() -> None:
    """A benchmark is run by hand, rarely: a name it imports that has moved would otherwise go unseen."""
    names = [info.name for info in pkgutil.iter_modules(benchmarks.__path__, "benchmarks.")]
    assert "benchmarks.inline" in names
    for name in names:
        importlib.import_module(name)
