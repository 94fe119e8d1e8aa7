"""`tracuu calibrate`: fit the abstention gate for the configured encoder.

Examples come from question sets, each over its own collection. A set's answerable questions asked of
its own collection give positives: the front passages (the gate's depth) that hold an answer. Off-topic
examples are made by asking each collection every other collection's questions (plus the sets' own
questions without answers): all their front passages are negatives. Both gates are fitted from the
same examples: the cross-language one on dense evidence alone, ranked as a question in another
language would be. The threshold is the lowest that leaves at most `max_off_topic` of the off-topic
questions with a quote: the rate the product accepts, traded against false abstentions.

The report also asks each set's answerable questions of their collection without the documents that
answer them (as after `/remove`) and counts how many still get a quote, with the removed-document check
(`SearchOptions.removed_margin`: the removed passages' vectors are still known) and without it (as from
an index that never had them). They are left out of the fit:
fitted as negatives (XQuAD-vi calibration questions without their paragraph, other paragraphs of the
same article still there), the weights at the same off-topic rate left 507 of 700 quoted instead of 582,
at the cost of 22 false abstentions of 700 instead of 14; at threshold 0.5, 206 quoted for 62 false
abstentions. A similar paragraph of another document is, to every feature here, an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from retriever.evaluate import Question, comparable
from retriever.index.backend import Candidates
from retriever.query.relevance import FEATURES, Calibration, Calibrations
from retriever.query.search import Query, Searcher, unknown_share
from retriever.query.stopwords import content_mask
from retriever.text import lexical_tokens

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
    removal: np.ndarray  # per question: asked without the documents that answer it (neither kind above)
    caught: np.ndarray  # per question: asked so, and abstaining on the removed-document check


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
    rows: list[tuple[tuple[float, ...], int, int]] = []  # features, label, question number
    kinds: list[tuple[bool, bool, bool]] = []  # per question: answerable, asked without its documents, caught
    for owner in sets:
        searcher = owner.searcher
        words = None if foreign else _document_words(searcher)
        for asked, encoded in zip(sets, vectors, strict=True):
            own = owner is asked
            for question, vector in zip(asked.questions, encoded, strict=True):
                wanted = [comparable(answer) for answer in question.answers] if own else []
                query = searcher.prepare(question.question)
                rows += [(f, label, len(kinds)) for f, label in _front(searcher, query, vector, wanted, depth, foreign)]
                kinds.append((bool(wanted), False, False))
                if wanted and words is not None:
                    removed, caught = _without_answer(searcher, query, vector, wanted, depth, words)
                    rows += [(f, 0, len(kinds)) for f in removed]
                    kinds.append((False, True, caught))
    return Examples(np.array([r[0] for r in rows]), np.array([r[1] for r in rows], dtype=np.float64),
                    np.array([r[2] for r in rows]), np.array([k[0] for k in kinds]), len(kinds),
                    np.array([k[1] for k in kinds]), np.array([k[2] for k in kinds]))


def _front(
    searcher: Searcher, query: Query, vector: np.ndarray, wanted: list[str], depth: int, foreign: bool
) -> list[tuple[tuple[float, ...], int]]:
    """The front passages' features and labels; a related passage of an answerable question that does
    not hold the answer is left out: neither label is right for it."""
    ranked = searcher.rank(query, vector, foreign=foreign)
    texts = searcher.store.passage_rows([int(row) for row in ranked.rows[:depth]])
    found = []
    for row, evidence in zip(ranked.rows[:depth], ranked.evidence[:depth], strict=False):
        hit = any(answer in comparable(texts[int(row)][0]) for answer in wanted)
        if hit or not wanted:
            found.append((evidence.features(), int(hit)))
    return found


def _document_words(searcher: Searcher) -> dict[int, set[str]]:
    """Each document's syllables: what the collection would still know without it."""
    words = {}
    for info in searcher.store.articles():
        article = searcher.store.article(info.doc_id)
        if article is not None:
            words[info.doc_id] = {t for text in article.paragraphs for t in lexical_tokens(text) if "_" not in t}
    return words


def _without_answer(
    searcher: Searcher, query: Query, vector: np.ndarray, wanted: list[str], depth: int, words: dict[int, set[str]]
) -> tuple[list[tuple[float, ...]], bool]:
    """The front passages' features for the question asked as if the documents holding its answer had
    been removed: their passages leave the candidates, and words only they had become unknown. And
    whether the removed-document check abstains (their candidate passages stand for what is remembered)."""
    candidates = searcher.candidates([query], vector[None, :], [False])[0]
    texts = searcher.store.passage_rows([int(row) for row in candidates.rows])
    gone = {texts[int(r)][3] for r in candidates.rows if any(a in comparable(texts[int(r)][0]) for a in wanted)}
    keep = np.array([texts[int(r)][3] not in gone for r in candidates.rows], dtype=bool)
    if not gone or not keep.any():
        return [], False
    removed, _ = searcher.dense_evidence(candidates.rows[~keep], candidates.dense[~keep], vector)
    left = Candidates(candidates.rows[keep], candidates.dense[keep], candidates.lexical[keep], float(removed.max()))
    ranked = searcher.rank(query, vector, left, foreign=False)
    known = set().union(*(w for doc, w in words.items() if doc not in gone))
    weights = searcher.store.idf(query.tokens) * np.array(content_mask(query.tokens), dtype=np.float64)
    unknown = unknown_share(query.tokens, weights, np.array([t not in known for t in query.tokens]))
    features = [replace(e, unknown=unknown).features() for e in ranked.evidence[:depth]]
    return features, searcher.about_removed(left, ranked)


def _encode(searcher: Searcher, questions: list[Question]) -> np.ndarray:
    """The questions as search encodes them, accents restored (when typed without) from their own
    collection's vocabulary; asked of another collection only unaccented questions could differ."""
    texts = [searcher.prepare(question.question).dense_text for question in questions]
    return searcher.encoder.encode(texts, kind="query", batch_size=32)


def fit_gate(examples: Examples, used: tuple[str, ...], max_off_topic: float) -> tuple[Calibration, dict]:
    mask = np.array([name in used for name in FEATURES])
    fitted = ~examples.removal[examples.groups]
    bias, weights = fit_logistic(examples.features[fitted][:, mask], examples.labels[fitted])
    full = np.zeros(len(FEATURES))
    full[mask] = weights
    calibration = Calibration(round(bias, 3), tuple(round(float(w), 3) for w in full), 0.5)
    scores = np.array([calibration.relevance_of(row) for row in examples.features])
    best = np.zeros(examples.count)  # each question's best front score: what the gate compares
    np.maximum.at(best, examples.groups, scores)
    off_topic = np.sort(best[~examples.answerable & ~examples.removal])[::-1]
    allowed = int(np.floor(max_off_topic * len(off_topic)))
    # lowest threshold with at most `allowed` off-topic questions above it
    threshold = float(off_topic[allowed]) + 1e-4 if allowed < len(off_topic) else 0.0
    calibration = replace(calibration, threshold=round(threshold, 4))
    report = {
        "examples": int(fitted.sum()),
        "positives": int(examples.labels[fitted].sum()),
        "off_topic_questions": int(len(off_topic)),
        "off_topic_quoted": int((off_topic >= calibration.threshold).sum()),
        "answerable_questions": int(examples.answerable.sum()),
        "answerable_abstained": int((best[examples.answerable] < calibration.threshold).sum()),
        "asked_without_their_documents": int(examples.removal.sum()),
        "quoted_without_their_documents": int((best[examples.removal] >= calibration.threshold).sum()),
        "quoted_without_their_documents_checked": int(
            ((best >= calibration.threshold) & examples.removal & ~examples.caught).sum()
        ),
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
