"""`tracuu calibrate`: fit the answerability gate for the configured encoder.

Each question set belongs to a collection; every question is asked of every collection. Positives: the
front passages (the gate's depth) holding a gold answer of an answerable question asked of its own
collection. Negatives, all of their front passages, from questions the collection cannot answer:
- `unanswerable`: a set's own questions without answers (written to share the collection's vocabulary);
- `passage_removed` / `article_removed`: each answerable question asked as if the passages holding its
  answer, or their whole articles, had never been in the collection (their rows leave the candidates and
  the words only they had become unknown): the closest thing to a question a collection almost answers;
- `other_collection`: every set's questions asked of the other collections.
The other front passages of an answerable question are left out: neither label is right for them.

Both gates are logistic regressions (scikit-learn) on standardised features with every pairwise
interaction, examples weighted so that each question counts once and both classes equally; the
same-language gate also weighs every question set the same within each class, and takes the vector
check (`retriever.query.vectorcheck`), fitted first, as one more feature. The
same-language gate is fitted on questions in the collection's language, the cross-language one on
every question ranked as one in another language (dense evidence and names only). The threshold is the
highest that declines at most `max_declined` of the answerable questions: what is traded for fewer
quotes of unanswerable ones is measured in `python -m benchmarks.abstention`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from retriever.errors import TraCuuError
from retriever.evaluate import Question
from retriever.query.examples import KINDS, NEGATIVE, CalibrationSet, Examples, collect
from retriever.query.relevance import FEATURES, Calibration, Calibrations, VectorCheck
from retriever.query.search import Searcher

__all__ = ["KINDS", "NEGATIVE", "CalibrationError", "CalibrationSet", "Examples", "calibrate", "collect", "encode"]

log = logging.getLogger(__name__)

SAME_LANGUAGE = FEATURES
# another language shares no words: dense evidence, and the names it mentions (compared folded)
CROSS_LANGUAGE = ("dense", "dense_best", "dense_z", "lead", "typed", "type_missing", "named", "names_missing")
MINIMUM = 20  # answerable questions, and questions that cannot be answered, each gate needs at least
# inverse L2 strength, chosen by 2-fold cross-validation on the fit parts (grouped by question): at 2% of
# answerable questions declined, 0.1 quoted 4.8% of the written unanswerable questions over the news and
# 10% over XQuAD-vi; 0.5: 4.8% and 11%; 2: 5.7% and 14%; no interactions: 14% and 24%
C = 0.1
# weight of each kind of negative in the fit (others: 1). The left-out questions are measured, not fitted:
# fitted as negatives (weight 1 or 0.3) they left 8% of the written unanswerable questions over the news
# and 20% over XQuAD-vi quoted at the same 2% of answerable ones declined (0.1: 6.6% and 20%), against
# 4.8% and 11% without them. To every feature here a neighbouring paragraph of the same article is an
# answer; fitting it as none teaches the gate what does not carry over to other questions
KIND_WEIGHTS = {"passage_removed": 0.0, "article_removed": 0.0}
# the cross-language gate's threshold: the lowest that quotes at most this share of the questions in
# another language written for a collection that it cannot answer (English ones here). Its answerable
# questions are too few, and too unlike the Vietnamese ones ranked as English, to set it by declines.
# Only the questions asked of their own collection count: asked of another collection (XQuAD-vi) they
# score ~0 and only diluted the share: 5% of all 57 English fit ones let 2 or 3 of the 16 written for
# the news through, and with English read as typed the threshold fell to 0.036, quoting 6 of the 17
# held-out near misses (docs/quality.md, "English questions"). Of the 146 held-out English translations of
# the written unanswerable questions, the news quotes 10 at this rule's threshold and 38 at 0.036
MAX_FOREIGN_QUOTED = 0.05
FOREIGN_MINIMUM = 10  # such questions needed to set it so; fewer: by declines, as the other gate


class CalibrationError(TraCuuError):
    pass


def require_enough(examples: Examples, minimum: int) -> None:
    _, y, _, _ = examples.arrays()
    kinds = np.array(examples.kinds)
    answerable = int((kinds == "answerable").sum())
    negative = int(np.isin(kinds, NEGATIVE).sum())
    if answerable < minimum or negative < minimum or not (y == 1).any():
        raise CalibrationError(
            f"calibrate needs at least {minimum} answerable questions and {minimum} that a collection cannot "
            f"answer (questions without answers, each answerable one with its passage or article left out, every "
            f"set asked of the other collections); these sets give {answerable} and {negative}"
        )


def row_weights(examples: Examples, by_source: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Which front passages a fit learns from, and their weights: each question counts once (its front
    passages share its weight), both classes weigh the same in total and, `by_source`, so does every
    question set within each class."""
    _, y, groups, _ = examples.arrays()
    kinds = np.array(examples.kinds)
    fitted = (y >= 0) & np.array([KIND_WEIGHTS.get(kinds[group], 1.0) > 0 for group in groups], dtype=bool)
    per_group = np.bincount(groups[fitted], minlength=len(kinds))
    weight = np.array([KIND_WEIGHTS.get(kinds[group], 1.0) for group in groups[fitted]]) / per_group[groups[fitted]]
    labels = y[fitted]
    if by_source:
        sources = np.array([examples.sets[group].split(" @ ")[0] for group in groups[fitted]])
        for label in (0, 1):
            for source in set(sources[labels == label]):
                chosen = (labels == label) & (sources == source)
                weight[chosen] /= weight[chosen].sum()
    for label in (0, 1):
        if (labels == label).any():
            weight[labels == label] /= weight[labels == label].sum()
    return fitted, weight * len(labels)


def with_vector_check(examples: Examples) -> tuple[Examples, VectorCheck]:
    """The vector check fitted on every question, and the examples with its feature filled in from checks
    fitted without each question (`vectorcheck.out_of_fold`), for the gate to learn from."""
    from retriever.query.vectorcheck import fit_vector_check, out_of_fold, question_folds

    x, y, groups, _ = examples.arrays()
    products = np.array(examples.products, dtype=np.float64)
    fitted, weight = row_weights(examples, by_source=True)
    weights = np.zeros(len(y))
    weights[fitted] = weight
    folds = question_folds(examples.questions)[groups]
    check = fit_vector_check(products[fitted], y[fitted], weights[fitted])
    x[:, FEATURES.index("vector_check")] = out_of_fold(products, y, weights, folds, fitted)
    return replace(examples, features=[tuple(row) for row in x.tolist()]), check


def fit_gate(
    examples: Examples, used: tuple[str, ...], max_declined: float, minimum: int, by_foreign: bool = False,
    by_source: bool = False,
) -> tuple[Calibration, dict]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    require_enough(examples, minimum)
    x, y, groups, positions = examples.arrays()
    kinds = np.array(examples.kinds)
    columns = [FEATURES.index(name) for name in used]
    fitted, weight = row_weights(examples, by_source)
    labels = y[fitted]
    scaler = StandardScaler().fit(x[fitted][:, columns])
    poly = PolynomialFeatures(degree=2, include_bias=False).fit(scaler.transform(x[fitted][:, columns]))
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(poly.transform(scaler.transform(x[fitted][:, columns])), labels, sample_weight=weight)
    calibration = export(used, scaler, poly, model)
    best = best_scores(calibration, x, groups, len(kinds))
    foreign = np.array(examples.foreign, dtype=bool)
    unanswered = np.sort(best[foreign & (kinds == "unanswerable")])[::-1]
    if by_foreign and len(unanswered) >= min(minimum, FOREIGN_MINIMUM):
        # lowest threshold with at most that share of them above it
        allowed = int(np.floor(MAX_FOREIGN_QUOTED * len(unanswered)))
        threshold = float(unanswered[allowed]) + 1e-6
    else:
        own = np.sort(best[kinds == "answerable"])
        allowed = int(np.floor(max_declined * len(own)))
        # highest threshold with at most `allowed` answerable questions below it
        threshold = float(own[allowed]) - 1e-6 if allowed < len(own) else 0.0
    calibration = replace(calibration, threshold=round(min(max(threshold, 0.0), 1.0), 6))
    report: dict[str, object] = {
        "examples": int(fitted.sum()), "positives": int(labels.sum()), "terms": len(poly.powers_)
    }
    for kind in KINDS:
        chosen = best[kinds == kind]
        verb = "declined" if kind == "answerable" else "quoted"
        hits = (chosen < calibration.threshold) if kind == "answerable" else (chosen >= calibration.threshold)
        report[kind] = {"questions": int(len(chosen)), verb: int(hits.sum())}
    if foreign.any():
        answerable = best[foreign & (kinds == "answerable")]
        report["in_another_language"] = {
            "answerable": int(len(answerable)), "declined": int((answerable < calibration.threshold).sum()),
            "unanswerable": int(len(unanswered)), "quoted": int((unanswered >= calibration.threshold).sum()),
        }
    return calibration, report


def export(used: tuple[str, ...], scaler, poly, model) -> Calibration:
    """A fitted StandardScaler → PolynomialFeatures → LogisticRegression as the gate's plain numbers."""
    return Calibration(
        used, tuple(round(float(m), 6) for m in scaler.mean_), tuple(round(float(s), 6) for s in scaler.scale_),
        tuple(tuple(int(p) for p in row) for row in poly.powers_), tuple(round(float(w), 6) for w in model.coef_[0]),
        round(float(model.intercept_[0]), 6), 0.5,
    )


def best_scores(calibration: Calibration, x: np.ndarray, groups: np.ndarray, count: int) -> np.ndarray:
    """Each instance's best front relevance: what the gate compares with its threshold."""
    best = np.zeros(count)
    if len(x):
        np.maximum.at(best, groups, calibration.relevance_many(x))
    return best


def encode(searcher: Searcher, questions: list[Question]) -> np.ndarray:
    """The questions as search encodes them, accents restored (when typed without) from their own
    collection's vocabulary; asked of another collection only unaccented questions could differ."""
    texts = [searcher.prepare(question.question).dense_text for question in questions]
    return searcher.encoder.encode(texts, kind="query", batch_size=32)


def calibrate(
    sets: list[CalibrationSet], *, max_declined: float = 0.01, minimum: int = MINIMUM,
    progress: Callable[[str], None] | None = None,
) -> tuple[Calibrations, dict]:
    say = progress or log.info
    depth = sets[0].searcher.options.gate_depth
    say(f"encoding {sum(len(s.questions) for s in sets)} questions")
    vectors = [encode(s.searcher, s.questions) for s in sets]
    say("ranking the questions on every collection, with and without their answers")
    examples = collect(sets, depth, False, vectors, products=True)
    require_enough(examples, minimum)
    examples, check = with_vector_check(examples)
    same, same_report = fit_gate(examples, SAME_LANGUAGE, max_declined, minimum, by_source=True)
    say("ranking them again as questions in another language")
    cross, cross_report = fit_gate(collect(sets, depth, True, vectors), CROSS_LANGUAGE, max_declined, minimum, True)
    fitted_on = {
        "sets": {s.name: len(s.questions) for s in sets},
        "max_declined": max_declined,
        "same_language": same_report,
        "cross_language": cross_report,
    }
    return Calibrations(same, cross, check), fitted_on
