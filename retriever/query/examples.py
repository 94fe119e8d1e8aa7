"""Collecting the examples a gate is fitted on: every question set's questions ranked on every collection,
their front passages labelled (see `retriever.query.calibrate` for the kinds of negatives)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from retriever.evaluate import Question, comparable
from retriever.index.backend import Candidates
from retriever.query.prepare import Query
from retriever.query.ranked import Ranked
from retriever.query.relevance import FEATURES
from retriever.query.search import Searcher, unknown_share
from retriever.text import lexical_tokens

KINDS = ("answerable", "unanswerable", "passage_removed", "article_removed", "other_collection")
NEGATIVE = KINDS[1:]


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
    # per front passage, when collected for the vector check: question vector × best-sentence vector
    products: list[list[float]] = field(default_factory=list)
    # per front passage, collected with the products: its bold sentence (for answer checkers that read text)
    sentences: list[str] = field(default_factory=list)

    def add(
        self, kind: str, where: str, front: list[tuple[tuple[float, ...], int]], foreign: bool = False,
        question: str = "", products: np.ndarray | None = None, sentences: tuple[str, ...] = (),
    ) -> None:
        if products is not None:
            self.products.extend(products.tolist())
        self.sentences.extend(sentences)
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
    sets: list[CalibrationSet], depth: int, foreign: bool | None, vectors: list[np.ndarray], others: bool = True,
    products: bool = False,
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
                front = _front(searcher, ranked, wanted, depth)
                examples.add(kind, where, front, detected, question.question,
                             _products(searcher, ranked, vector, depth) if products else None,
                             ranked.highlights[:depth] if products else ())
                if wanted:
                    for scope in ("passage", "article"):
                        left = _left_out(collection, query, vector, wanted, depth, other, scope)
                        if left is not None:
                            examples.add(f"{scope}_removed", where, left[0], detected, question.question,
                                         _products(searcher, left[1], vector, depth) if products else None,
                                         left[1].highlights[:depth] if products else ())
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


def _products(searcher: Searcher, ranked: Ranked, vector: np.ndarray, depth: int) -> np.ndarray:
    """Question vector × each front passage's best-sentence unit vector: what the vector check weighs."""
    rows = ranked.rows[:depth]
    if not len(rows):
        return np.zeros((0, len(vector)))
    best = searcher.best_vectors(rows, searcher.store.sentence_cosines(rows, vector))
    return np.asarray(vector, dtype=np.float64)[None, :] * best


def _left_out(
    collection: Collection, query: Query, vector: np.ndarray, wanted: list[str], depth: int, foreign: bool,
    scope: str,
) -> tuple[list[tuple[tuple[float, ...], int]], Ranked] | None:
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
    return _front(searcher, ranked, [], depth), ranked
