"""One build in a process of its own, so that its peak resident memory is the build's alone.

The bench process has by then loaded the real encoder, encoded questions, searched other indexes: its
own high-water mark says nothing about a build. The parent starts `python -m benchmarks.build_child`;
the child loads what a real build loads (the encoder, the collection), builds with the bench's stand-in
encoder (`benchmarks.corpus`) and reports its own VmHWM (peak resident set). Not the `ru_maxrss` that
`os.wait4` or RUSAGE_CHILDREN give: Linux carries the parent's peak into the child at fork and keeps it
through exec, so a child of a 900 MB bench process reported 900 MB for a 10k-passage build.

    stdin:  {"data", "index", "work", "rebuild", "dense_index", "batch_size", "build_memory_mb"}
            a rebuild encodes with the stand-in, an update (new text, not the bench's) for real
    stdout: one JSON line {"seconds", "stages", "passages", "encoded"}
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChildBuild:
    seconds: float  # build_index alone, not the child's start
    peak_mb: float  # the child's peak resident memory (VmHWM): encoder and collection included
    stages: dict[str, float]
    passages: int
    encoded: int


def build_in_child(
    data: Path,
    index: Path,
    work: Path,
    *,
    rebuild: bool,
    dense_index: str = "auto",
    batch_size: int = 32,
    build_memory_mb: int = 0,
) -> ChildBuild:
    payload = {
        "data": str(data), "index": str(index), "work": str(work), "rebuild": rebuild,
        "dense_index": dense_index, "batch_size": batch_size, "build_memory_mb": build_memory_mb,
    }
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.build_child"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(payload))
    process.stdin.close()
    out = process.stdout.read()
    if process.wait() != 0:
        raise RuntimeError(f"bench build failed (exit {process.returncode}): {out[-500:]}")
    report = json.loads(out.strip().splitlines()[-1])
    return ChildBuild(report["seconds"], report["peak_mb"], report["stages"], report["passages"], report["encoded"])


def main() -> int:
    from benchmarks.bench import eval_root
    from benchmarks.corpus import StandInEncoder, load_source_text, sentence_vectors
    from benchmarks.encoders import StageClock
    from benchmarks.measure import proc_status_mb
    from embeddings import load_encoder
    from retriever.index.local.build import build_index
    from tracuu.settings import Settings

    job = json.loads(sys.stdin.read())
    settings = Settings()
    real = load_encoder(settings.embedding_backend, settings.embedding_model, device=settings.embedding_device)
    encoder = real
    if job["rebuild"]:
        source = load_source_text(settings.data_dir, eval_root())
        encoder = StandInEncoder(real, sentence_vectors(source, real, Path(job["work"])))
        del source
    clock = StageClock()
    options = {"build_memory_mb": job["build_memory_mb"]} if job["build_memory_mb"] else {}
    started = time.perf_counter()
    report = build_index(
        Path(job["data"]), Path(job["index"]), encoder, dense_index=job["dense_index"],
        batch_size=job["batch_size"], rebuild=job["rebuild"], progress=clock, **options,
    )
    seconds = time.perf_counter() - started
    print(json.dumps({
        "seconds": round(seconds, 2), "stages": clock.durations(), "passages": report.passages,
        "encoded": report.encoded, "peak_mb": round(proc_status_mb("VmHWM"), 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
