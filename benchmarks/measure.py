"""Measurements for `tracuu bench`: latency percentiles, recall vs exact search, memory, disk, machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings import Encoder

SHARED_QUESTIONS = (Path("eval/seed_dev.jsonl"), Path("eval/xquad_vi/questions.jsonl"))


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if len(values) else float("nan")


def proc_status_mb(field: str = "VmRSS") -> float:
    """VmRSS (resident now) or VmHWM (peak resident) of this process, in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: Path) -> float:
    """Bytes actually allocated under `path` (like `du`), following the `current` link once."""
    path = path.resolve()
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                continue
    return total / 2**20


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 2**20
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {
        "cpu": model or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "load_avg_1m_at_start": round(load, 2),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", ""),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
    }


def load_questions(shared_dir: Path, count: int) -> list[str]:
    """All seed questions, then XQuAD-vi questions spread evenly over the file, `count` in all."""
    groups: list[list[str]] = []
    for relative in SHARED_QUESTIONS:
        path = shared_dir / relative
        if path.is_file():
            groups.append(
                [
                    str(json.loads(line)["question"])
                    for line in path.read_text("utf-8").splitlines()
                    if line.strip()
                ]
            )
    if not groups:
        return ["Việt Nam và Lào ký hiệp ước hữu nghị và hợp tác năm nào?"]
    chosen = list(groups[0][:count])
    rest = [q for group in groups[1:] for q in group]
    need = count - len(chosen)
    if need > 0 and rest:
        step = max(1, len(rest) // need)
        chosen += rest[::step][:need]
    return chosen


@dataclass(frozen=True)
class EncoderSpeed:
    name: str
    backend: str
    model: str
    load_s: float
    passages_per_s: float
    query_ms_p50: float
    query_ms_p95: float
    passages: int


def encoder_speed(name: str, load, passages: Sequence[str], queries: Sequence[str]) -> EncoderSpeed:
    """Bulk passage throughput (batches of 32) and one-at-a-time query latency of one encoder."""
    started = time.perf_counter()
    encoder: Encoder = load()
    load_s = time.perf_counter() - started
    encoder.encode(list(passages[:4]), kind="passage")  # warm-up
    started = time.perf_counter()
    encoder.encode(list(passages), kind="passage", batch_size=32)
    per_s = len(passages) / (time.perf_counter() - started)
    times = []
    for query in queries:
        started = time.perf_counter()
        encoder.encode([query], kind="query")
        times.append((time.perf_counter() - started) * 1000)
    return EncoderSpeed(
        name,
        encoder.backend,
        encoder.model,
        round(load_s, 2),
        round(per_s, 2),
        round(percentile(times, 50), 2),
        round(percentile(times, 95), 2),
        len(passages),
    )


@dataclass(frozen=True)
class RetrievalTimes:
    retrieve_ms: list[float]
    dense_ms: list[float]
    lexical_ms: list[float]
    answered: int


def time_retrieval(searcher, questions: Sequence[str], vectors: np.ndarray, k: int) -> RetrievalTimes:
    """Time `search_encoded` per question (query already encoded), and its dense and BM25 parts alone."""
    from retriever.index.local.dense import search_dense

    store = searcher.store
    depth = min(searcher.options.candidates, store.info.passages)
    total, dense, lexical = [], [], []
    answered = 0
    for question, vector in zip(questions, vectors, strict=True):
        query = searcher.prepare(question)
        one = vector[None, :]
        t0 = time.perf_counter()
        search_dense(store.dense, one, depth)
        t1 = time.perf_counter()
        store.lexical.search(query.tokens, depth)  # top rows only: fusion scores the rest
        t2 = time.perf_counter()
        response = searcher.search_encoded([query], one, k)[0]
        t3 = time.perf_counter()
        dense.append((t1 - t0) * 1000)
        lexical.append((t2 - t1) * 1000)
        total.append((t3 - t2) * 1000)
        answered += not response.abstained
    return RetrievalTimes(total, dense, lexical, answered)


def recall_at_k(store, vectors: np.ndarray, k: int = 10, depth: int = 50) -> tuple[float, float]:
    """Share of the exact top-k (brute-force inner product over stored vectors) that the index returns:
    as its own top-k, and as search uses it (its top `depth` candidates re-scored exactly)."""
    from retriever.index.local.dense import search_dense

    queries = np.ascontiguousarray(vectors, dtype=np.float32)
    _, approx = search_dense(store.dense, queries, max(k, depth))
    exact = _exact_top(store.vectors, queries, k)
    raw = [len(set(a[:k][a[:k] >= 0].tolist()) & set(e.tolist())) for a, e in zip(approx, exact, strict=True)]
    served = []
    for query, candidates, best in zip(queries, approx, exact, strict=True):
        candidates = np.sort(candidates[candidates >= 0])
        top = candidates[np.argsort(-(np.asarray(store.vectors[candidates]) @ query))[:k]]
        served.append(len(set(top.tolist()) & set(best.tolist())))
    k = exact.shape[1]
    return float(np.mean(raw) / k), float(np.mean(served) / k)


def _exact_top(stored: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(stored))
    best = np.full((len(queries), k), -np.inf, dtype=np.float32)
    rows = np.zeros((len(queries), k), dtype=np.int64)
    step = 65_536
    for start in range(0, len(stored), step):
        block = np.asarray(stored[start : start + step], dtype=np.float32)
        merged = np.concatenate([best, queries @ block.T], axis=1)
        ids = np.concatenate([rows, np.arange(start, start + len(block))[None, :].repeat(len(queries), 0)], axis=1)
        top = np.argpartition(-merged, k - 1, axis=1)[:, :k]
        best = np.take_along_axis(merged, top, 1)
        rows = np.take_along_axis(ids, top, 1)
    return rows


@dataclass(frozen=True)
class ProbeResult:
    cold_start_s: float
    answer_ms: list[float]
    rss_mb: float
    rss_peak_mb: float
    rss_anon_mb: float
    first_answer_ok: bool


def run_probe(
    data_dir: Path,
    index_dir: Path,
    questions: Sequence[str],
    timeout: float = 600,
    enter: Callable[[], object] | None = None,
) -> ProbeResult:
    """Start a fresh process that does what `tracuu ask` does; time process start to first rendered answer,
    then let it answer `questions` (encoding included) and report its memory. `enter` runs in the child
    before it starts (`benchmarks.memory_limit` puts it in a memory cgroup there)."""
    payload = json.dumps({"data": str(data_dir), "index": str(index_dir), "questions": list(questions)})
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.probe"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=env,
        preexec_fn=enter,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(payload)
    process.stdin.close()
    first = process.stdout.readline()
    cold = time.perf_counter() - started
    rest = process.stdout.read()
    if process.wait(timeout=timeout) != 0 or not first.startswith("FIRST "):
        raise RuntimeError(f"bench probe failed (exit {process.returncode}): {first[:200]}{rest[-500:]}")
    report = json.loads(rest.strip().splitlines()[-1])
    return ProbeResult(
        round(cold, 2),
        report["answer_ms"],
        report["rss_mb"],
        report["rss_peak_mb"],
        report["rss_anon_mb"],
        first.strip() == "FIRST ok",
    )


def eval_root() -> Path:
    """The folder that holds `eval/`: the repository's own evaluation sets."""
    return Path(__file__).resolve().parents[1]
