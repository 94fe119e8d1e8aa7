"""Draw `tracuu bench --json` runs at several sizes as one figure (docs/performance-at-scale.md).

    python -m benchmarks.plot_scale BENCH.json [MORE.json ...] --out docs/performance-at-scale.png

Four panels against passages (linear scale): build peak memory, build time, retrieval p95, and the time
to add and to change one article. Runs from several files are joined (the later file wins at a size).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

PANELS = (
    ("build_peak_mb", "build peak resident memory (MB)", ()),
    ("build_s", "build time, encoding excluded (s)", ()),
    ("retrieve_ms_p95", "retrieval p95 (ms)", ("retrieve_ms_p50",)),
    ("add_article_s", "add / change one article (s)", ("change_article_s",)),
)


def load_runs(paths: list[Path]) -> list[dict]:
    runs: dict[int, dict] = {}
    for path in paths:
        for run in json.loads(path.read_text("utf-8"))["runs"]:
            runs[int(run["passages"])] = run
    return [runs[size] for size in sorted(runs)]


def plot(runs: list[dict], out: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [run["passages"] for run in runs]
    figure, axes = plt.subplots(2, 2, figsize=(10, 7), constrained_layout=True)
    for axis, (field, label, extra) in zip(axes.flat, PANELS, strict=True):
        for name in (field, *extra):
            values = [run.get(name) for run in runs]
            points = [(s, v) for s, v in zip(sizes, values, strict=True) if v is not None]
            if points:
                axis.plot(*zip(*points, strict=True), marker="o", label=name)
                for s, v in points:
                    axis.annotate(f"{v:g}", (s, v), textcoords="offset points", xytext=(4, 4), fontsize=8)
        axis.set_xlim(left=0)  # linear: growth in proportion to the collection is a straight line
        axis.set_xlabel("passages")
        axis.set_title(label, fontsize=10)
        axis.set_ylim(bottom=0)
        axis.grid(True, alpha=0.3)
        if extra:
            axis.legend(fontsize=8)
    figure.suptitle(title, fontsize=11)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/performance-at-scale.png"))
    parser.add_argument("--title", default="Tra Cứu, local backend, stand-in encoder (tracuu bench)")
    args = parser.parse_args()
    plot(load_runs(args.results), args.out, args.title)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
