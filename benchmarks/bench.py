"""`tracuu bench`: encoder speed, build time and overhead, retrieval and answer latency, recall, memory,
disk and cold start at several collection sizes. Scale collections are real Vietnamese sentences
recombined; their passage vectors are derived from real sentence vectors (see `bench_corpus`)."""

from __future__ import annotations

import gc
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks.build_child import build_in_child
from benchmarks.corpus import (
    CHANGED_FACT_DATE,
    NEW_ARTICLE_FACT_DATE,
    NEW_ARTICLE_QUESTION,
    SourceText,
    generate_collection,
    load_source_text,
    sentence_vectors,
    write_new_article,
)
from benchmarks.encoders import StageClock, encode_questions, measure_overhead, minilm_speed
from benchmarks.measure import (
    EncoderSpeed,
    disk_mb,
    eval_root,
    load_questions,
    machine,
    percentile,
    recall_at_k,
    run_probe,
    time_retrieval,
)
from benchmarks.report import markdown, targets
from tracuu.settings import Settings

log = logging.getLogger(__name__)

QUESTIONS = 300  # retrieval latency and recall
ANSWER_QUESTIONS = 200  # full answers in the fresh process
SYNTHETIC_NOTE = (
    "Scale collections: real sentences from data/ and XQuAD-vi recombined into new paragraphs "
    "(2-3 sentences, 8-20 paragraphs per article). Their passage vectors are synthetic: "
    "the normalised sum of the real e5 vectors of their sentences (+0.3 x title) plus Gaussian noise "
    "(sigma 0.015 per dimension), so build_s there is the pipeline without encoding. "
    "Queries are encoded for real. Build overhead is measured on a small real collection with real encoding."
)


@dataclass(frozen=True)
class SizeRun:
    passages: int
    documents: int
    index: str
    build_s: float
    build_peak_mb: float  # peak resident memory of the process that built (encoder and collection included)
    recall_at_10: float
    recall_at_10_served: float
    retrieve_ms_p50: float
    retrieve_ms_p95: float
    retrieve_first_pass_ms_p95: float
    dense_ms_p50: float
    dense_ms_p95: float
    lexical_ms_p50: float
    lexical_ms_p95: float
    fusion_fetch_ms_p50: float
    fusion_fetch_ms_p95: float
    answered_share: float
    answer_ms_p50: float
    answer_ms_p95: float
    rss_mb: float
    rss_peak_mb: float
    rss_anon_mb: float
    disk_mb: float
    data_mb: float
    cold_start_s: float
    add_article_s: float
    add_article_found: bool
    add_article_peak_mb: float
    change_article_s: float
    change_article_found: bool
    change_article_peak_mb: float
    build_stages_s: dict[str, float]  # seconds from each build stage's first progress event to the next
    add_article_stages_s: dict[str, float]
    change_article_stages_s: dict[str, float]

    def as_json(self) -> dict:
        row = asdict(self)
        row["recall@10"] = row.pop("recall_at_10")
        row["recall@10_served"] = row.pop("recall_at_10_served")
        return row


def _ms(values: list[float], q: float) -> float:
    return round(percentile(values, q), 2)


def run_size(
    settings: Settings,
    real,
    source: SourceText,
    vectors: dict,
    questions: list[str],
    qvecs: np.ndarray,
    passages: int,
    work: Path,
) -> SizeRun:
    from retriever.library import Library, LibraryConfig

    folder = work / f"p{passages}"
    data, index = folder / "data", folder / "index"
    log.info("bench %d: generating the collection", passages)
    documents = generate_collection(source, passages, data)
    for stale in data.glob("zz-bench-*"):
        stale.unlink()
    log.info("bench %d: building (synthetic vectors) in a process of its own", passages)
    built = build_in_child(
        data, index, work, rebuild=True, dense_index=settings.dense_index, batch_size=settings.batch_size,
        build_memory_mb=settings.build_memory_mb,
    )
    config = LibraryConfig(
        data, index, settings.dense_index, settings.batch_size, build_memory_mb=settings.build_memory_mb
    )
    library, _ = Library.open(config, real, refresh=False)
    log.info("bench %d: retrieval latency over %d questions", passages, len(questions))
    # the first pass reads the index files from disk where the build pushed them out of the page cache
    first = time_retrieval(library.searcher, questions, qvecs, settings.top_k)
    times = time_retrieval(library.searcher, questions, qvecs, settings.top_k)
    recall, served = recall_at_k(library.searcher.store, qvecs, 10, library.searcher.options.candidates)
    spec = library.info().dense_index
    library.close()
    del library
    gc.collect()
    fusion = [
        t - d - lex for t, d, lex in zip(times.retrieve_ms, times.dense_ms, times.lexical_ms, strict=True)
    ]
    log.info("bench %d: cold start and answers in a fresh process", passages)
    probe = run_probe(data, index, questions[:ANSWER_QUESTIONS])
    log.info("bench %d: adding one article", passages)
    article = write_new_article(source, data)
    added = update_and_answer(settings, config, real, lambda text: NEW_ARTICLE_FACT_DATE in text, work)
    log.info("bench %d: changing that article", passages)
    article.write_text(article.read_text("utf-8").replace(NEW_ARTICLE_FACT_DATE, CHANGED_FACT_DATE), "utf-8")
    changed = update_and_answer(settings, config, real, lambda text: CHANGED_FACT_DATE in text, work)
    disk = disk_mb(index / "current")
    gc.collect()
    return SizeRun(
        passages=built.passages,
        documents=documents,
        index=spec,
        build_s=built.seconds,
        build_peak_mb=built.peak_mb,
        recall_at_10=round(recall, 4),
        recall_at_10_served=round(served, 4),
        retrieve_ms_p50=_ms(times.retrieve_ms, 50),
        retrieve_ms_p95=_ms(times.retrieve_ms, 95),
        retrieve_first_pass_ms_p95=_ms(first.retrieve_ms, 95),
        dense_ms_p50=_ms(times.dense_ms, 50),
        dense_ms_p95=_ms(times.dense_ms, 95),
        lexical_ms_p50=_ms(times.lexical_ms, 50),
        lexical_ms_p95=_ms(times.lexical_ms, 95),
        fusion_fetch_ms_p50=_ms(fusion, 50),
        fusion_fetch_ms_p95=_ms(fusion, 95),
        answered_share=round(times.answered / max(len(questions), 1), 3),
        answer_ms_p50=_ms(probe.answer_ms, 50),
        answer_ms_p95=_ms(probe.answer_ms, 95),
        rss_mb=probe.rss_mb,
        rss_peak_mb=probe.rss_peak_mb,
        rss_anon_mb=probe.rss_anon_mb,
        disk_mb=round(disk, 1),
        data_mb=round(disk_mb(data), 1),
        cold_start_s=probe.cold_start_s,
        add_article_s=added.seconds,
        add_article_found=added.found,
        add_article_peak_mb=added.peak_mb,
        change_article_s=changed.seconds,
        change_article_found=changed.found,
        change_article_peak_mb=changed.peak_mb,
        build_stages_s=built.stages,
        add_article_stages_s=added.stages,
        change_article_stages_s=changed.stages,
    )


@dataclass(frozen=True)
class Update:
    seconds: float  # incremental build, then reload and the answer quoting it
    found: bool
    stages: dict[str, float]
    peak_mb: float  # of the process that built


def update_and_answer(
    settings: Settings, config, real, quoted: Callable[[str], bool], work: Path | None = None
) -> Update:
    """Incremental build after a file change, then reload and ask about the change as the bot would.
    With `work` (the bench folder), the build runs in a process of its own, with the real encoder for the
    new article, and its peak memory is measured; its start and encoder load are not counted, since a
    running bot has them already. Without, it runs here (peak_mb 0: not measured)."""
    from retriever.index.local.build import build_index
    from retriever.index.local.storage import IndexStore
    from retriever.library import Library

    # a running bot reloads with the index it serves at hand: after an update written as a delta segment
    # it keeps the main segment loaded (`IndexStore.open(reuse=...)`); timed apart from the fresh start below
    running = None if config.database_url else IndexStore.open(config.index_dir, real)
    if work is not None:
        built = build_in_child(
            config.data_dir, config.index_dir, work, rebuild=False, dense_index=settings.dense_index,
            batch_size=settings.batch_size, build_memory_mb=settings.build_memory_mb,
        )
        seconds, stages, peak = built.seconds, dict(built.stages), built.peak_mb
    else:
        started = time.perf_counter()
        clock = StageClock()
        build_index(
            config.data_dir, config.index_dir, real, dense_index=settings.dense_index,
            batch_size=settings.batch_size, progress=clock, build_memory_mb=settings.build_memory_mb,
        )
        seconds, stages, peak = time.perf_counter() - started, clock.durations(), 0.0
    if running is not None:
        reload_started = time.perf_counter()
        reloaded = IndexStore.open(config.index_dir, real, reuse=running)
        stages["reload in the running bot"] = round(time.perf_counter() - reload_started, 2)
        reloaded.close()
        running.close()
    reload_started = time.perf_counter()
    library, _ = Library.open(config, real, refresh=False)
    response = library.search(NEW_ARTICLE_QUESTION, settings.top_k)
    stages["reload+answer"] = round(time.perf_counter() - reload_started, 2)
    library.close()
    return Update(
        round(seconds + stages["reload+answer"], 2),
        bool(response.results) and quoted(response.results[0].text),
        stages,
        peak,
    )


def run_bench(settings: Settings, sizes: list[int], work: Path, *, as_json: bool = False) -> int:
    from embeddings import load_encoder

    began = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    facts = machine()
    shared = eval_root()
    started = time.perf_counter()
    real = load_encoder(settings.embedding_backend, settings.embedding_model, device=settings.embedding_device)
    load_s = time.perf_counter() - started
    questions = load_questions(shared, QUESTIONS)
    log.info("bench: encoding %d questions one at a time", len(questions))
    qvecs, query_ms = encode_questions(real, questions)
    log.info("bench: build overhead on a small real collection (real encoding)")
    overhead, texts = measure_overhead(settings, real, shared, work)
    default = EncoderSpeed(
        f"{real.model} ({real.backend}, default)",
        real.backend,
        real.model,
        round(load_s, 2),
        overhead.encode_passages_per_s,
        _ms(query_ms, 50),
        _ms(query_ms, 95),
        overhead.passages,
    )
    encoders = [default]
    other = minilm_speed(texts, questions[:50])
    if other is not None:
        encoders.append(other)
    source = load_source_text(settings.data_dir, shared)
    vectors = sentence_vectors(source, real, work)
    runs = [run_size(settings, real, source, vectors, questions, qvecs, n, work) for n in sizes]
    payload = {
        "machine": facts,
        "encoder": f"{real.model} ({real.backend})",
        "encode_passages_per_s": default.passages_per_s,
        "encode_query_ms_p50": default.query_ms_p50,
        "encoders": [asdict(e) for e in encoders],
        "build_overhead": asdict(overhead),
        "questions": len(questions),
        "answer_questions": min(len(questions), ANSWER_QUESTIONS),
        "synthetic": SYNTHETIC_NOTE,
        "runs": [run.as_json() for run in runs],
        "bot_under_load": "not measured here (see the bot's load test)",
        "bench_s": round(time.perf_counter() - began, 1),
    }
    payload["targets"] = targets(payload)
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(markdown(payload))
    return 0
