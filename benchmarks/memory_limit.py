"""Serving under a hard memory limit: the bench's probe run inside a memory cgroup.

    python -m benchmarks.memory_limit DATA INDEX --limit-mb 1536 [--questions 200]   # as root

The probe is the fresh process `tracuu bench` times (`benchmarks.probe`: opens the index as `tracuu ask`
does, then answers the questions, encoding included). Its VmRSS counts every page of the memory-mapped
index that a question touched, although the kernel may drop those pages whenever memory is short: at
~1M passages, VmRSS was 1.9 GB after 200 questions, 130 MB of it the process's own (RssAnon). A memory
cgroup charges the page cache the process reads to the limit too, so this shows what a machine that
holds only `--limit-mb` for the bot costs in answer latency: the same questions are answered without a
limit and then with it, the page cache dropped before each run so that both start from disk, each
question asked twice (the first pass reads the index from disk; `answer_ms_*` are the second's).

Needs root and a memory cgroup (cgroup v2 with the memory controller, or v1's memory hierarchy).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from benchmarks.measure import eval_root, load_questions, percentile, run_probe

V2 = Path("/sys/fs/cgroup")
V1 = Path("/sys/fs/cgroup/memory")


class MemoryCgroup:
    """A fresh memory cgroup limited to `limit_mb` (v2 `memory.max`, or v1 `memory.limit_in_bytes`)."""

    def __init__(self, limit_mb: int) -> None:
        name = f"tracuu-bench-{os.getpid()}"
        if "memory" in _read(V2 / "cgroup.controllers").split():
            self.folder, self.v2 = V2 / name, True
            if "memory" not in _read(V2 / "cgroup.subtree_control").split():  # children get no memory.max
                (V2 / "cgroup.subtree_control").write_text("+memory")
        elif (V1 / "memory.limit_in_bytes").is_file():
            self.folder, self.v2 = V1 / name, False
        else:
            raise SystemExit("no memory cgroup here: needs cgroup v2 with the memory controller, or v1's memory")
        self.folder.mkdir()
        self.limit_mb = limit_mb
        limit = str(limit_mb * 2**20)
        if self.v2:
            (self.folder / "memory.max").write_text(limit)
        else:
            (self.folder / "memory.limit_in_bytes").write_text(limit)

    def enter(self) -> None:
        """In the child, before it starts: move it into the cgroup."""
        (self.folder / "cgroup.procs").write_text(str(os.getpid()))

    def peak_mb(self) -> float:
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        text = _read(self.folder / name)
        return round(int(text) / 2**20, 1) if text.strip().isdigit() else float("nan")

    def killed(self) -> int:
        """How many times the kernel killed a process of the cgroup for memory."""
        if self.v2:
            events = dict(line.split() for line in _read(self.folder / "memory.events").splitlines() if line)
            return int(events.get("oom_kill", 0))
        control = dict(line.split() for line in _read(self.folder / "memory.oom_control").splitlines() if line)
        return int(control.get("oom_kill", 0))

    def remove(self) -> None:
        with contextlib.suppress(OSError):  # a process still in it: the kernel keeps the group until it exits
            self.folder.rmdir()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def drop_page_cache() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("1")


def run(data: Path, index: Path, questions: list[str], cgroup: MemoryCgroup | None) -> dict:
    drop_page_cache()
    started = time.perf_counter()
    limit = cgroup.limit_mb if cgroup else None
    try:
        # asked twice: the first pass reads the index from disk (the page cache was dropped), the second
        # shows the steady state, where a limit makes the kernel drop and read again what does not fit
        probe = run_probe(data, index, questions * 2, enter=cgroup.enter if cgroup else None)
    except RuntimeError as error:  # the probe died: killed for memory, most likely
        return {"limit_mb": limit, "failed": str(error)[:300], "killed_for_memory": cgroup.killed() if cgroup else 0}
    return {
        "limit_mb": limit,
        "cold_start_s": probe.cold_start_s,
        "first_pass_ms_p50": round(percentile(probe.answer_ms[: len(questions)], 50), 2),
        "first_pass_ms_p95": round(percentile(probe.answer_ms[: len(questions)], 95), 2),
        "answer_ms_p50": round(percentile(probe.answer_ms[len(questions):], 50), 2),
        "answer_ms_p95": round(percentile(probe.answer_ms[len(questions):], 95), 2),
        "rss_mb": probe.rss_mb,
        "rss_anon_mb": probe.rss_anon_mb,
        "cgroup_peak_mb": cgroup.peak_mb() if cgroup else None,
        "killed_for_memory": cgroup.killed() if cgroup else 0,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("--limit-mb", type=int, default=1536)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("benchmarks.memory_limit needs root (it makes a memory cgroup and drops the page cache)",
              file=sys.stderr)
        return 2
    questions = load_questions(eval_root(), args.questions)
    rows = [run(args.data, args.index, questions, None)]
    cgroup = MemoryCgroup(args.limit_mb)
    try:
        rows.append(run(args.data, args.index, questions, cgroup))
    finally:
        cgroup.remove()
    print(json.dumps({"questions": len(questions), "runs": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
