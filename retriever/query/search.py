"""Hybrid search: FAISS and BM25 candidates, fused by how far each score stands out, then abstain or quote."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embeddings import Encoder
from retriever.errors import EmptyQuestionError
from retriever.index.backend import Candidates, IndexBackend
from retriever.models import SearchResponse, SearchResult
from retriever.query.accents import restore_accents
from retriever.query.relevance import Evidence, calibration_for
from retriever.query.stopwords import content_mask
from retriever.text import collapse_spaces, has_diacritics, lexical_tokens, nfc, sentences

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class SearchOptions:
    candidates: int = 50  # from each ranker
    rerank: int = 24  # of those, how many get sentence-level evidence
    dense_weight: float = 1.0
    lexical_weight: float = 0.5
    sentence_weight: float = 0.5
    min_relevance: float | None = None  # None: the encoder's calibrated threshold
    # once the best passage passes, further ones need only this share of the threshold: a second
    # relevant paragraph is often worded further from the question than the first
    follow_ratio: float = 0.25


@dataclass(frozen=True)
class Query:
    text: str  # as asked (NFC, spaces collapsed)
    dense_text: str  # what the encoder sees (accents restored when typed without)
    tokens: list[str]


def _zscores(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return np.zeros_like(values)
    spread = float(values.std())
    return (values - values.mean()) / (spread if spread > 1e-6 else 1.0)


class Searcher:
    def __init__(self, store: IndexBackend, encoder: Encoder, options: SearchOptions = SearchOptions()) -> None:
        self.store = store
        self.encoder = encoder
        self.options = options
        self.calibration = calibration_for(store.info.model)

    def prepare(self, question: str) -> Query:
        text = collapse_spaces(nfc(question))[:MAX_QUESTION_CHARS]
        if not text or not any(ch.isalnum() for ch in text):
            raise EmptyQuestionError("The question is empty.")
        dense_text = text if has_diacritics(text) else restore_accents(text, self.store.accents)[0]
        return Query(text, dense_text, lexical_tokens(text))

    def search(self, question: str, k: int = 3) -> SearchResponse:
        [response] = self.search_many([question], k)
        if isinstance(response, EmptyQuestionError):
            raise response
        return response

    def search_many(self, questions: Sequence[str], k: int = 3) -> list[SearchResponse | EmptyQuestionError]:
        """Several questions with one encoder call: under load that is cheaper per question than one
        call each. An empty question gets its error in its place instead of failing the others."""
        prepared: list[Query | EmptyQuestionError] = []
        for question in questions:
            try:
                prepared.append(self.prepare(question))
            except EmptyQuestionError as error:
                prepared.append(error)
        queries = [q for q in prepared if isinstance(q, Query)]
        if not queries:
            return [error for error in prepared if isinstance(error, EmptyQuestionError)]
        vectors = self.encoder.encode([q.dense_text for q in queries], kind="query", batch_size=len(queries))
        found = iter(self.search_encoded(queries, vectors, k))
        return [next(found) if isinstance(q, Query) else q for q in prepared]

    def search_encoded(self, queries: list[Query], vectors: np.ndarray, k: int) -> list[SearchResponse]:
        """Batch search for queries already encoded; search() is built on this."""
        depth = min(self.options.candidates, self.store.info.passages)
        found = self.store.candidates([q.tokens for q in queries], vectors, depth)
        return [self._one(query, candidates, k) for query, candidates in zip(queries, found)]

    def _one(self, query: Query, candidates: Candidates, k: int) -> SearchResponse:
        rows, dense, lex = candidates.rows, candidates.dense, candidates.lexical
        if len(rows) == 0:
            return SearchResponse(query.text, True, ())
        dense_z = _zscores(dense)
        fused = self.options.dense_weight * dense_z + self.options.lexical_weight * (
            _zscores(lex) if lex.max() > 0 else 0.0
        )
        # sentence-level evidence only for the front of the queue: splitting every candidate costs more
        # than the rest of the query, and the tail cannot reach the top k
        front = np.argsort(-fused)[: self.options.rerank]
        rows, dense, dense_z, fused = rows[front], dense[front], dense_z[front], fused[front]
        passages = self.store.passage_rows([int(row) for row in rows])
        weights = self.store.idf(query.tokens) * np.array(content_mask(query.tokens), dtype=np.float64)
        best = [_best_sentence(passages[int(row)][0], query.tokens, weights) for row in rows]
        fused = fused + self.options.sentence_weight * _zscores(np.array([coverage for _, coverage in best]))
        threshold = self.calibration.threshold if self.options.min_relevance is None else self.options.min_relevance
        results: list[SearchResult] = []
        for i in np.argsort(-fused):
            sentence, coverage = best[i]
            score = self.calibration.relevance(Evidence(float(dense[i]), float(dense_z[i]), coverage))
            if score < (threshold if not results else threshold * self.options.follow_ratio):
                break
            text, teaser, teaser_title, doc_id, title, date, source, path, url = passages[int(rows[i])]
            results.append(
                SearchResult(int(rows[i]), text, sentence, round(score, 4), title, date, source, path, doc_id,
                             bool(teaser), teaser_title, url)
            )
            if len(results) == k:
                break
        return SearchResponse(query.text, not results, tuple(results))


def _best_sentence(text: str, tokens: list[str], weights: np.ndarray) -> tuple[str, float]:
    """The sentence holding most of the question's content, and that share (0..1)."""
    total = float(weights.sum())
    best, best_share = text, -1.0
    for sentence in sentences(text) or [text]:
        present = set(lexical_tokens(sentence))
        share = sum(w for token, w in zip(tokens, weights) if token in present) / total if total > 0 else 0.0
        if share > best_share:
            best, best_share = sentence, share
    return best, max(best_share, 0.0)
