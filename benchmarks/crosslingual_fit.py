"""The cross-language gate fitted on English translations of the Vietnamese sets (docs/quality.md,
"English questions"). Measured, not shipped.

    python -m benchmarks.splits eval SPLIT
    python -m benchmarks.crosslingual_fit SPLIT --index NEWS_INDEX --xquad-index XQUAD_INDEX --cache DIR

`eval/xquad_vi/questions_en.jsonl` and `eval/unanswerable_en.jsonl` are the XQuAD-vi questions and the
written unanswerable ones, translated into English: 1,510 English questions beside the 81 of
`eval/seed_en.jsonl`. Each variant is fitted as `tracuu calibrate` fits the cross-language gate, its
threshold the lowest that quotes at most 5% of the English questions written for a collection that it
cannot answer; reported by 2-fold cross-validation over the English fit questions (grouped by the
Vietnamese original), then fitted on all of them and measured on the held-out parts. Per set and
collection: answerable questions declined with hit@1 / hit@5, or questions quoted.
"""

from __future__ import annotations

import argparse
import json
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.crosslingual import SETS, _open, _subset, _threshold, answer
from retriever.evaluate import load_questions
from retriever.query import calibrate as fitting
from retriever.query.relevance import FEATURES
from retriever.query.search import Searcher
from retriever.query.vectorcheck import fit_vector_check

TRANSLATED = ("unanswerable_en", "xquad_en")
CHECK = FEATURES.index("vector_check")
VARIANTS = {  # name: (translated sets, English questions alone with every set weighing the same, vector check)
    "as shipped: every set ranked as English, no translations": (False, False, False),
    "+ translations, English questions alone, sets weighing the same": (True, True, False),
    "+ a vector check fitted on the English questions": (True, True, True),
}


def examples(split: Path, part: str, news: Searcher, xquad: Searcher, cache: Path) -> fitting.Examples:
    stored = cache / f"translated-{part}.json"
    if stored.is_file():
        return fitting.Examples(**json.loads(stored.read_text("utf-8")))
    sets = [fitting.CalibrationSet(f"data/{n}", news, load_questions(split / part / f"{n}.jsonl"))
            for n in (*SETS, "unanswerable_en")]
    for name in ("xquad_vi", "xquad_en"):
        sets.append(fitting.CalibrationSet(f"xquad/{name}", xquad, load_questions(split / part / f"{name}.jsonl")))
    found = fitting.collect(sets, 5, True, [fitting.encode(s.searcher, s.questions) for s in sets], products=True)
    cache.mkdir(parents=True, exist_ok=True)
    stored.write_text(json.dumps(found.__dict__), "utf-8")
    return found


def fold(question: str, originals: dict[str, str], shift: int = 0) -> int:
    return (zlib.crc32(originals.get(question, question).encode("utf-8")) >> shift) % 2


def check(ex: fitting.Examples, chosen: list[int]):
    part = _subset(ex, chosen)
    fitted, weight = fitting.row_weights(part, by_source=True)
    return fit_vector_check(np.array(part.products)[fitted], part.arrays()[1][fitted], weight)


def stacked(ex: fitting.Examples, train: list[int], originals: dict[str, str]) -> np.ndarray:
    """Features with the check's logit, for the training questions from checks fitted without them."""
    x, _, groups, _ = ex.arrays()
    products = np.array(ex.products)
    for inner in (0, 1):
        fitted = check(ex, [i for i in train if fold(ex.questions[i], originals, 3) != inner])
        rows = np.isin(groups, [i for i in train if fold(ex.questions[i], originals, 3) == inner])
        x[rows, CHECK] = fitted.of_products(products[rows])
    return x


def fit(ex: fitting.Examples, train: list[int], variant: tuple[bool, bool, bool], originals: dict[str, str]):
    """The gate, its threshold, and the check (None without) fitted on `train`."""
    translated, alone, with_check = variant
    train = [i for i in train if (translated or ex.sets[i].split(" @ ")[0].split("/")[1] not in TRANSLATED)
             and (ex.foreign[i] or not alone)]
    x = stacked(ex, train, originals) if with_check else ex.arrays()[0]
    used = fitting.CROSS_LANGUAGE + (("vector_check",) if with_check else ())
    part = _subset(ex, train, x)
    gate, _ = fitting.fit_gate(part, used, 0.01, 10, by_source=alone)
    threshold = _threshold(gate, part, own_only=True)
    return replace(gate, threshold=threshold), (check(ex, [i for i in train if ex.foreign[i]]) if with_check else None)


def tally(gate, vector_check, ex: fitting.Examples, chosen: list[int], totals: dict[str, np.ndarray]) -> None:
    x, y, groups, _ = ex.arrays()
    if vector_check is not None:
        x[:, CHECK] = vector_check.of_products(np.array(ex.products))
    scores, threshold = gate.relevance_many(x), gate.threshold
    for i in chosen:
        answered, hit1, hit5 = answer(scores[groups == i], y[groups == i], threshold)
        total = totals.setdefault(f"{ex.sets[i]}, {ex.kinds[i]}", np.zeros(4))
        total += (1, not answered, hit1, hit5) if ex.kinds[i] == "answerable" else (1, answered, 0, 0)


def report(name: str, totals: dict[str, np.ndarray]) -> None:
    print(f"  {name}")
    for where, (n, failed, hit1, hit5) in sorted(totals.items()):
        if where.endswith("removed"):
            continue
        if where.endswith("answerable") and not where.endswith("unanswerable"):
            print(f"    {where}: {failed:.0f} of {n:.0f} declined, hit@1 {hit1 / n:.2f}, hit@5 {hit5 / n:.2f}")
        else:
            print(f"    {where}: {failed:.0f} of {n:.0f} quoted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("split", type=Path)
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--xquad-index", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args()
    news = _open(args.data, args.index)
    xquad = _open(args.split / "xquad", args.xquad_index, news.encoder)
    originals = {}
    for part in ("fit", "heldout"):
        for name in TRANSLATED:
            for line in (args.split / part / f"{name}.jsonl").read_text("utf-8").splitlines():
                record = json.loads(line)
                originals[record["question"]] = record["source"]
    fitted_on, held = (examples(args.split, part, news, xquad, args.cache) for part in ("fit", "heldout"))
    english = [i for i, other in enumerate(fitted_on.foreign) if other]
    print("2-fold cross-validation over the English fit questions")
    for name, variant in VARIANTS.items():
        totals: dict[str, np.ndarray] = {}
        for side in (0, 1):
            held_in = [i for i in english if fold(fitted_on.questions[i], originals) == side]
            apart = set(held_in)
            gate, vector_check = fit(fitted_on, [i for i in range(len(fitted_on.kinds)) if i not in apart], variant,
                                     originals)
            tally(gate, vector_check, fitted_on, held_in, totals)
        report(name, totals)
    print("fitted on the fit parts, measured on the held-out ones")
    for name, variant in VARIANTS.items():
        totals = {}
        gate, vector_check = fit(fitted_on, list(range(len(fitted_on.kinds))), variant, originals)
        tally(gate, vector_check, held, [i for i, other in enumerate(held.foreign) if other], totals)
        report(f"{name} (threshold {gate.threshold:.3f})", totals)


if __name__ == "__main__":
    main()
