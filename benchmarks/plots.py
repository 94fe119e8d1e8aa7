"""The plots of docs/performance.md, drawn from the figures measured there (each series names the command
that measured it). `python -m benchmarks.plots` rewrites docs/images/*.png."""

from __future__ import annotations

from pathlib import Path

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"

# `tracuu bench --passages 10000 100000 --json` and `--passages 1000000` (local backend, first code version
# measured at ~1M: passage vectors only); passages, retrieve p50, p95, answer p50, p95 (ms)
LOCAL = [(10_005, 4.3, 5.1, 22.2, 31.7), (100_000, 4.8, 6.5, 22.0, 32.3), (926_000, 12.6, 17.5, 30.7, 44.2)]
# the same bench with int8 sentence vectors (the current format)
LOCAL_SENTENCES = [(10_005, 5.1, 6.0, 23.3, 31.9), (100_000, 5.9, 7.7, 23.5, 33.3)]
# `tracuu bench --backend postgres --passages 10000 100000`, shared_buffers 1 GB (retrieve only)
POSTGRES = [(10_005, 12.9, 14.2), (100_000, 17.0, 20.5)]
TARGETS = [(100_000, 10.0, "local 100k target"), (926_000, 25.0, "~1M target"), (100_000, 30.0, "postgres 100k target")]


def latency_by_size(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=120)
    for rows, label, style in ((LOCAL, "local, passage vectors", "o-"),
                               (LOCAL_SENTENCES, "local, + sentence vectors", "s-"),
                               (POSTGRES, "PostgreSQL + pgvector", "^-")):  # fmt: skip
        sizes = [row[0] for row in rows]
        left.plot(sizes, [row[2] for row in rows], style, label=label)
        if len(rows[0]) > 3:
            right.plot(sizes, [row[4] for row in rows], style, label=label)
    for size, limit, label in TARGETS:
        left.plot([size], [limit], "k_", markersize=18)
        left.annotate(label, (size, limit), textcoords="offset points", xytext=(6, 3), fontsize=7)
    right.axhline(80, color="k", linewidth=0.8, linestyle=":")
    right.annotate("~1M target 80 ms", (12_000, 80), textcoords="offset points", xytext=(0, 3), fontsize=7)
    for axis, title in ((left, "retrieval p95 (encoded question)"), (right, "full answer p95 (question text)")):
        axis.set_xscale("log")
        axis.set_xlabel("passages in the collection")
        axis.set_ylabel("ms")
        axis.set_title(title, fontsize=10)
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
    left.legend(fontsize=7, loc="upper left")
    fig.suptitle("Latency by collection size, 2 CPU cores", fontsize=11)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__).parse_args()  # --help says what it does before drawing
    IMAGES.mkdir(parents=True, exist_ok=True)
    latency_by_size(IMAGES / "latency-by-size.png")
    print(IMAGES / "latency-by-size.png")


if __name__ == "__main__":
    main()
