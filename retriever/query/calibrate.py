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
interaction, examples weighted so that each question counts once and both classes equally. The
same-language gate is fitted on questions in the collection's language, the cross-language one on
every question ranked as one in another language (dense evidence and names only). The threshold is the
highest that declines at most `max_declined` of the answerable questions: what is traded for fewer
quotes of unanswerable ones is measured in `python -m benchmarks.abstention`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from retriever.errors import TraCuuError
from retriever.evaluate import Question, comparable
from retriever.index.backend import Candidates
from retriever.query.relevance import FEATURES, Calibration, Calibrations
from retriever.query.search import Query, Searcher, unknown_share
from retriever.text import lexical_tokens

log = logging.getLogger(__name__)

SAME_LANGUAGE = FEATURES
# another language shares no words: dense evidence, and the names it mentions (compared folded)
CROSS_LANGUAGE = ("dense", "dense_best", "dense_z", "lead", "typed", "type_missing", "named", "names_missing")
KINDS = ("answerable", "unanswerable", "passage_removed", "article_removed", "other_collection")
NEGATIVE = KINDS[1:]
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
# held-out near misses (docs/quality.md, "English questions")
MAX_FOREIGN_QUOTED = 0.05
FOREIGN_MINIMUM = 10  # such questions needed to set it so; fewer: by declines, as the other gate


class CalibrationError(TraCuuError):
    pass


@dataclass(frozen=True)
class CalibrationSet:
    name: str
    searcher: Searcher  # of the set's collection (sets over the same collection share one)
    questions: list[Question]


@dataclass
class Examples:
    """Front passages of every question asked (an `instance`: a question asked of one collection,
    possibly with its answer left out)."""

    features: list[tuple[float, ...]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)  # 1 answers, 0 does not, -1 left out of the fit
    groups: list[int] = field(default_factory=list)  # instance of each front passage
    positions: list[int] = field(default_factory=list)  # its rank (0 first)
    kinds: list[str] = field(default_factory=list)  # per instance
    sets: list[str] = field(default_factory=list)  # per instance: set name @ collection
    foreign: list[bool] = field(default_factory=list)  # per instance: a question in another language
    questions: list[str] = field(default_factory=list)  # per instance: the question (for reports)

    def add(
        self, kind: str, where: str, front: list[tuple[tuple[float, ...], int]], foreign: bool = False,
        question: str = "",
    ) -> None:
        for position, (values, label) in enumerate(front):
            self.features.append(values)
            self.labels.append(label)
            self.groups.append(len(self.kinds))
            self.positions.append(position)
        self.kinds.append(kind)
        self.sets.append(where)
        self.foreign.append(foreign)
        self.questions.append(question)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (np.array(self.features, dtype=np.float64).reshape(-1, len(FEATURES)), np.array(self.labels),
                np.array(self.groups, dtype=np.int64), np.array(self.positions, dtype=np.int64))


@dataclass(frozen=True)
class Collection:
    searcher: Searcher
    paragraphs: list[tuple[int, str, frozenset[str]]]  # doc id, comparable text, syllables
    frequency: Counter  # in how many paragraphs each syllable occurs


def _collection(searcher: Searcher) -> Collection:
    paragraphs = []
    for info in searcher.store.articles():
        article = searcher.store.article(info.doc_id)
        for text in article.paragraphs if article is not None else ():
            words = frozenset(t for t in lexical_tokens(text) if "_" not in t)
            paragraphs.append((info.doc_id, comparable(text), words))
    return Collection(searcher, paragraphs, Counter(w for *_, words in paragraphs for w in words))


def collect(
    sets: list[CalibrationSet], depth: int, foreign: bool | None, vectors: list[np.ndarray], others: bool = True
) -> Examples:
    """Rank every set's questions on every collection (`others`; else only on their own) and label the
    front passages. `foreign`: True ranks every question as one in another language (for the
    cross-language gate), False leaves questions in another language out, None ranks each as search
    would. `vectors`: each set's questions encoded."""
    examples = Examples()
    owners: list[Searcher] = []
    for item in sets:
        if all(item.searcher is not seen for seen in owners):
            owners.append(item.searcher)
    for searcher in owners:
        collection = _collection(searcher)
        for asked, encoded in zip(sets, vectors, strict=True):
            own = asked.searcher is searcher
            if not own and not others:
                continue
            where = f"{asked.name} @ {_name(sets, searcher)}"
            for question, vector in zip(asked.questions, encoded, strict=True):
                query = searcher.prepare(question.question)
                other = searcher.is_foreign(query) if foreign is None else foreign
                if foreign is False and searcher.is_foreign(query):
                    continue
                wanted = [comparable(answer) for answer in question.answers] if own else []
                kind = "answerable" if wanted else "unanswerable" if own else "other_collection"
                ranked = searcher.rank(query, vector, foreign=other)
                detected = searcher.is_foreign(query) if foreign else other
                examples.add(kind, where, _front(searcher, ranked, wanted, depth), detected, question.question)
                if wanted:
                    for scope in ("passage", "article"):
                        front = _left_out(collection, query, vector, wanted, depth, other, scope)
                        if front is not None:
                            examples.add(f"{scope}_removed", where, front, detected, question.question)
    return examples


def _name(sets: list[CalibrationSet], searcher: Searcher) -> str:
    return next(item.name for item in sets if item.searcher is searcher).split("/")[0]


def _front(searcher: Searcher, ranked, wanted: list[str], depth: int) -> list[tuple[tuple[float, ...], int]]:
    texts = searcher.store.passage_rows([int(row) for row in ranked.rows[:depth]])
    found = []
    for row, evidence in zip(ranked.rows[:depth], ranked.evidence[:depth], strict=False):
        hit = any(answer in comparable(texts[int(row)][0]) for answer in wanted)
        found.append((evidence.features(), 1 if hit else -1 if wanted else 0))
    return found


def _left_out(
    collection: Collection, query: Query, vector: np.ndarray, wanted: list[str], depth: int, foreign: bool,
    scope: str,
) -> list[tuple[tuple[float, ...], int]] | None:
    """The front as if the passages holding the answer (scope "passage"), or their documents ("article"),
    had never been indexed: their rows leave the candidates, words only they had become unknown."""
    searcher = collection.searcher
    candidates = searcher.candidates([query], vector[None, :], [foreign])[0]
    texts = searcher.store.passage_rows([int(row) for row in candidates.rows])
    holding = [any(a in comparable(texts[int(r)][0]) for a in wanted) for r in candidates.rows]
    docs = {texts[int(r)][3] for r, hit in zip(candidates.rows, holding, strict=True) if hit}
    if not docs:
        return None
    gone = np.array(holding if scope == "passage" else [texts[int(r)][3] in docs for r in candidates.rows])
    if gone.all():
        return None
    left = Candidates(candidates.rows[~gone], candidates.dense[~gone], candidates.lexical[~gone])
    ranked = searcher.rank(query, vector, left, foreign=foreign)
    removed = Counter(
        w for doc, text, words in collection.paragraphs
        if (doc in docs if scope == "article" else any(a in text for a in wanted)) for w in words
    )
    if not foreign:
        weights = searcher.content_weights(query, np.asarray(searcher.store.idf(query.tokens), dtype=np.float64))
        lost = np.array([collection.frequency[t] - removed[t] <= 0 for t in query.tokens])
        unknown = unknown_share(query.tokens, weights, lost)
        ranked = replace(ranked, evidence=tuple(replace(e, unknown=unknown) for e in ranked.evidence))
    return _front(searcher, ranked, [], depth)


def fit_gate(
    examples: Examples, used: tuple[str, ...], max_declined: float, minimum: int, by_foreign: bool = False
) -> tuple[Calibration, dict]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    x, y, groups, positions = examples.arrays()
    kinds = np.array(examples.kinds)
    answerable = int((kinds == "answerable").sum())
    negative = int(np.isin(kinds, NEGATIVE).sum())
    if answerable < minimum or negative < minimum or not (y == 1).any():
        raise CalibrationError(
            f"calibrate needs at least {minimum} answerable questions and {minimum} that a collection cannot "
            f"answer (questions without answers, each answerable one with its passage or article left out, every "
            f"set asked of the other collections); these sets give {answerable} and {negative}"
        )
    columns = [FEATURES.index(name) for name in used]
    fitted = (y >= 0) & np.array([KIND_WEIGHTS.get(kinds[group], 1.0) > 0 for group in groups], dtype=bool)
    per_group = np.bincount(groups[fitted], minlength=len(kinds))
    weight = np.array([KIND_WEIGHTS.get(kinds[group], 1.0) for group in groups[fitted]]) / per_group[groups[fitted]]
    labels = y[fitted]
    for label in (0, 1):  # both classes weigh the same in total
        weight[labels == label] /= weight[labels == label].sum()
    scaler = StandardScaler().fit(x[fitted][:, columns])
    poly = PolynomialFeatures(degree=2, include_bias=False).fit(scaler.transform(x[fitted][:, columns]))
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(poly.transform(scaler.transform(x[fitted][:, columns])), labels, sample_weight=weight * len(labels))
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
    same, same_report = fit_gate(collect(sets, depth, False, vectors), SAME_LANGUAGE, max_declined, minimum)
    say("ranking them again as questions in another language")
    cross, cross_report = fit_gate(collect(sets, depth, True, vectors), CROSS_LANGUAGE, max_declined, minimum, True)
    fitted_on = {
        "sets": {s.name: len(s.questions) for s in sets},
        "max_declined": max_declined,
        "same_language": same_report,
        "cross_language": cross_report,
    }
    return Calibrations(same, cross), fitted_on
