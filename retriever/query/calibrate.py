"""`tracuu calibrate`: fit the abstention gate for the configured encoder.

Examples come from question sets, each over its own collection. A set's answerable questions asked of
its own collection give positives: the front passages (the gate's depth) that hold an answer. Off-topic
examples are made by asking each collection every other collection's questions (plus the sets' own
questions without answers): all their front passages are negatives. Both gates are fitted from the
same examples: the cross-language one on dense evidence alone, ranked as a question in another
language would be. The threshold is the lowest that leaves at most `max_off_topic` of the off-topic
questions with a quote: the rate the product accepts, traded against false abstentions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from retriever.evaluate import Question, comparable
from retriever.query.relevance import FEATURES, Calibration, Calibrations
from retriever.query.search import Searcher

log = logging.getLogger(__name__)

# features each gate may use: another language shares no words, so only dense evidence is left
SAME_LANGUAGE = FEATURES
CROSS_LANGUAGE = ("dense", "dense_best", "dense_z")
L2 = 1e-3  # keeps Newton steps finite when a feature separates the classes


@dataclass(frozen=True)
class CalibrationSet:
    name: str
    searcher: Searcher
    questions: list[Question]


@dataclass(frozen=True)
class Examples:
    features: np.ndarray  # (n, len(FEATURES))
    labels: np.ndarray  # 1 relevant, 0 not
    groups: np.ndarray  # question number of each example
    answerable: np.ndarray  # per question: True when it should be answered
    count: int  # questions


def fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> tuple[float, np.ndarray]:
    """Class-balanced logistic regression by Newton's method (IRLS). Features are standardised for the
    fit and the weights mapped back, so the result applies to raw features."""
    mean, spread = x.mean(axis=0), x.std(axis=0)
    spread[spread < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / spread])
    sample = np.where(y == 1, len(y) / (2 * max(y.sum(), 1)), len(y) / (2 * max((1 - y).sum(), 1)))
    beta = np.zeros(z.shape[1])
    penalty = L2 * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -50, 50)))
        gradient = z.T @ (sample * (p - y)) + penalty @ beta
        hessian = (z * (sample * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = beta[1:] / spread
    return float(beta[0] - weights @ mean), weights


def collect(sets: list[CalibrationSet], depth: int, foreign: bool, vectors: list[np.ndarray]) -> Examples:
    """Rank every set's questions on every collection; label the front passages. `vectors`: each set's
    questions encoded (once for both gates)."""
    features: list[tuple[float, ...]] = []
    labels: list[int] = []
    groups: list[int] = []
    answerable: list[bool] = []
    for owner in sets:
        searcher = owner.searcher
        for asked, encoded in zip(sets, vectors, strict=True):
            own = owner is asked
            for question, vector in zip(asked.questions, encoded, strict=True):
                wanted = [comparable(answer) for answer in question.answers] if own else []
                ranked = searcher.rank(searcher.prepare(question.question), vector, foreign=foreign)
                number = len(answerable)
                answerable.append(bool(wanted))
                texts = searcher.store.passage_rows([int(row) for row in ranked.rows[:depth]])
                for row, evidence in zip(ranked.rows[:depth], ranked.evidence[:depth], strict=False):
                    hit = any(answer in comparable(texts[int(row)][0]) for answer in wanted)
                    if wanted and not hit:
                        continue  # a related passage of an answerable question: neither label is right
                    features.append(evidence.features())
                    labels.append(int(hit))
                    groups.append(number)
    return Examples(np.array(features), np.array(labels, dtype=np.float64), np.array(groups), np.array(answerable),
                    len(answerable))


def _encode(searcher: Searcher, questions: list[Question]) -> np.ndarray:
    """The questions as search encodes them, accents restored (when typed without) from their own
    collection's vocabulary; asked of another collection only unaccented questions could differ."""
    texts = [searcher.prepare(question.question).dense_text for question in questions]
    return searcher.encoder.encode(texts, kind="query", batch_size=32)


def fit_gate(examples: Examples, used: tuple[str, ...], max_off_topic: float) -> tuple[Calibration, dict]:
    mask = np.array([name in used for name in FEATURES])
    bias, weights = fit_logistic(examples.features[:, mask], examples.labels)
    full = np.zeros(len(FEATURES))
    full[mask] = weights
    calibration = Calibration(round(bias, 3), tuple(round(float(w), 3) for w in full), 0.5)
    scores = np.array([calibration.relevance_of(row) for row in examples.features])
    best = np.zeros(examples.count)  # each question's best front score: what the gate compares
    np.maximum.at(best, examples.groups, scores)
    off_topic = np.sort(best[~examples.answerable])[::-1]
    allowed = int(np.floor(max_off_topic * len(off_topic)))
    # lowest threshold with at most `allowed` off-topic questions above it
    threshold = float(off_topic[allowed]) + 1e-4 if allowed < len(off_topic) else 0.0
    calibration = replace(calibration, threshold=round(threshold, 4))
    report = {
        "examples": int(len(examples.labels)),
        "positives": int(examples.labels.sum()),
        "off_topic_questions": int(len(off_topic)),
        "off_topic_quoted": int((off_topic >= calibration.threshold).sum()),
        "answerable_questions": int(examples.answerable.sum()),
        "answerable_abstained": int((best[examples.answerable] < calibration.threshold).sum()),
    }
    return calibration, report


def calibrate(
    sets: list[CalibrationSet], *, max_off_topic: float = 0.06, progress: Callable[[str], None] | None = None
) -> tuple[Calibrations, dict]:
    say = progress or log.info
    depth = sets[0].searcher.options.gate_depth
    say(f"encoding {sum(len(s.questions) for s in sets)} questions")
    vectors = [_encode(s.searcher, s.questions) for s in sets]
    say("ranking the questions on every collection")
    same, same_report = fit_gate(collect(sets, depth, False, vectors), SAME_LANGUAGE, max_off_topic)
    say("ranking them again on dense evidence alone, as for a question in another language")
    cross, cross_report = fit_gate(collect(sets, depth, True, vectors), CROSS_LANGUAGE, max_off_topic)
    fitted_on = {
        "sets": {s.name: len(s.questions) for s in sets},
        "max_off_topic": max_off_topic,
        "same_language": same_report,
        "cross_language": cross_report,
    }
    return Calibrations(same, cross), fitted_on
