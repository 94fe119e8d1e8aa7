"""Hybrid search: FAISS and BM25 candidates, fused by how far each score stands out, then abstain or quote."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embeddings import Encoder
from retriever.accents import restore_accents
from retriever.dense import search_dense
from retriever.errors import EmptyQuestionError
from retriever.highlight import best_sentence
from retriever.models import SearchResponse, SearchResult
from retriever.relevance import Evidence, relevance
from retriever.storage import IndexStore
from retriever.text import collapse_spaces, has_diacritics, lexical_tokens, nfc

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class SearchOptions:
    candidates: int = 50
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    min_relevance: float = 0.5  # calibrated on the shared question sets; see README


@dataclass(frozen=True)
class Query:
    text: str  # as asked (NFC, spaces collapsed)
    dense_text: str  # what the encoder sees (accents restored when typed without)
    tokens: list[str]
    restored: bool


def _zscores(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return np.zeros_like(values)
    spread = float(values.std())
    return (values - values.mean()) / (spread if spread > 1e-6 else 1.0)


class Searcher:
    def __init__(self, store: IndexStore, encoder: Encoder, options: SearchOptions = SearchOptions()) -> None:
        self.store = store
        self.encoder = encoder
        self.options = options

    def prepare(self, question: str) -> Query:
        text = collapse_spaces(nfc(question))[:MAX_QUESTION_CHARS]
        if not text or not any(ch.isalnum() for ch in text):
            raise EmptyQuestionError("The question is empty.")
        dense_text, restored = text, False
        if not has_diacritics(text):
            dense_text, restored = restore_accents(text, self.store.accents)
        return Query(text, dense_text, lexical_tokens(text), restored)

    def search(self, question: str, k: int = 3) -> SearchResponse:
        query = self.prepare(question)
        vector = self.encoder.encode([query.dense_text], kind="query")
        return self.search_encoded([query], vector, k)[0]

    def search_encoded(self, queries: list[Query], vectors: np.ndarray, k: int) -> list[SearchResponse]:
        """Batch search for queries already encoded; search() is built on this."""
        depth = min(self.options.candidates, self.store.info.passages)
        dense_scores, dense_rows = search_dense(self.store.dense, vectors, depth)
        return [
            self._one(query, vectors[i], dense_scores[i], dense_rows[i], k) for i, query in enumerate(queries)
        ]

    def _one(
        self, query: Query, vector: np.ndarray, dense_scores: np.ndarray, dense_rows: np.ndarray, k: int
    ) -> SearchResponse:
        lexical = self.store.lexical
        lex_all = lexical.scores(query.tokens)
        depth = min(self.options.candidates, len(lex_all))
        lex_top = np.argpartition(-lex_all, depth - 1)[:depth] if depth else np.zeros(0, dtype=np.int64)
        rows = np.unique(np.concatenate([dense_rows[dense_rows >= 0], lex_top[lex_all[lex_top] > 0]]))
        if len(rows) == 0:
            return SearchResponse(query.text, True, ())
        dense = np.asarray(self.store.vectors[np.sort(rows)] @ vector, dtype=np.float64)
        lex = lex_all[rows].astype(np.float64)
        lex_z = _zscores(lex) if lex.max() > 0 else np.zeros_like(lex)
        fused = self.options.dense_weight * _zscores(dense) + self.options.lexical_weight * lex_z
        order = np.argsort(-fused)
        texts = self.store.passage_rows([int(rows[i]) for i in order[: max(k, 1) * 3]])
        idf_tokens = lexical.idf(query.tokens)
        results: list[SearchResult] = []
        abstained = True
        for rank, i in enumerate(order[: max(k, 1) * 3]):
            row = int(rows[i])
            text, teaser, teaser_title, doc_id, title, date, source, path = texts[row]
            evidence = Evidence(
                dense=float(dense[i]),
                dense_z=float(_zscores(dense)[i]),
                lexical_z=float(lex_z[i]),
                coverage=_coverage(query.tokens, idf_tokens, text),
                restored=query.restored,
            )
            score = relevance(evidence)
            if rank == 0:
                abstained = score < self.options.min_relevance
            if abstained or score < self.options.min_relevance:
                continue
            highlight = best_sentence(text, query.tokens, idf_tokens)
            results.append(
                SearchResult(row, text, highlight, round(score, 4), title, date, source, path, doc_id, bool(teaser),
                             teaser_title)
            )
            if len(results) == k:
                break
        return SearchResponse(query.text, abstained or not results, tuple(results))


def _coverage(tokens: list[str], idf: np.ndarray, text: str) -> float:
    """Share of the question's idf mass (syllables and pairs) that the passage contains."""
    if not tokens:
        return 0.0
    present = set(lexical_tokens(text))
    mask = np.array([token in present for token in tokens])
    total = float(idf.sum())
    return float(idf[mask].sum() / total) if total > 0 else 0.0
