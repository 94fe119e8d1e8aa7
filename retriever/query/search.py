"""Hybrid search: FAISS and BM25 candidates, fused by how far each score stands out, then abstain or quote."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embeddings import Encoder
from retriever.errors import EmptyQuestionError
from retriever.index.backend import Candidates, IndexBackend
from retriever.models import SearchResponse, SearchResult
from retriever.query.answerability import Profile, fit, loanword_unit, profile
from retriever.query.language import is_foreign
from retriever.query.options import SearchOptions
from retriever.query.other_names import OtherNames
from retriever.query.prepare import Query, prepare_query
from retriever.query.ranked import Ranked
from retriever.query.relevance import Calibration, Calibrations, EncoderKey, Evidence, calibration_for
from retriever.query.rerank import Reranker, rerank
from retriever.query.sentences import SentenceMatch, best_cosines, best_sentence
from retriever.query.short import holds, short_words
from retriever.query.stopwords import content_mask
from retriever.text import fold, syllables

SAME_SAID = 40  # folded characters: shorter best sentences ("Ảnh: TTXVN") may repeat without saying the same


def said_first(highlights: Sequence[str], order: Sequence[int]) -> list[int]:
    """`order` without the results whose best sentences an earlier one showed, or begin with them: an
    article's lead repeated as its body's first sentence, a teaser of the article beside it, adds nothing. A
    best sentence under `SAME_SAID` is neither dropped nor compared with."""
    shown: list[str] = []
    kept = []
    for i in order:
        said = fold(highlights[i]) if i < len(highlights) else ""
        if len(said) >= SAME_SAID:
            if any(said.startswith(other) or other.startswith(said) for other in shown):
                continue
            shown.append(said)
        kept.append(i)
    return kept


def _zscores(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return np.zeros_like(values)
    spread = float(values.std())
    return (values - values.mean()) / (spread if spread > 1e-6 else 1.0)


def unknown_share(tokens: list[str], weights: np.ndarray, unknown: np.ndarray) -> float:
    """Share of the question's content (idf mass of its syllables, not pairs) that the collection never
    uses. Syllables only: syllable pairs across word boundaries (`tai_han`) are unknown for most answerable
    questions too (XQuAD-vi: median share 0.26 with pairs; 96% of its questions have no unknown
    syllable at all, while 84% of them asked of the news have one)."""
    single = np.array(["_" not in token for token in tokens], dtype=bool)
    total = float((weights * single).sum())
    return float((weights * single * unknown).sum()) / total if total > 0 else 0.0


class Searcher:
    def __init__(
        self,
        store: IndexBackend,
        encoder: Encoder,
        options: SearchOptions = SearchOptions(),
        calibrations: Calibrations | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.store = store
        self.reranker = reranker
        self.encoder = encoder
        self.options = options
        info = store.info
        self.calibrations = calibrations or calibration_for(EncoderKey(info.backend, info.model, info.quantization))
        self.other_names = OtherNames(store)

    def prepare(self, question: str) -> Query:
        return prepare_query(question, self.store, self.options.cross_language)

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
        foreign = [self.is_foreign(query) for query in queries]
        found = self.candidates(queries, vectors, foreign)
        return [self._one(query, vectors[i], found[i], foreign[i], k) for i, query in enumerate(queries)]

    def is_foreign(self, query: Query) -> bool:
        if query.foreign is not None:
            return query.foreign
        return self.options.cross_language and is_foreign(query.text)

    def candidates(self, queries: list[Query], vectors: np.ndarray, foreign: list[bool]) -> list[Candidates]:
        # another language shares no words with the collection: BM25's candidates would be noise
        tokens = [[] if other else query.tokens for query, other in zip(queries, foreign, strict=True)]
        return self.store.candidates(tokens, vectors, min(self.options.candidates, self.store.info.passages))

    def _one(
        self, query: Query, vector: np.ndarray, candidates: Candidates, foreign: bool, k: int
    ) -> SearchResponse:
        ranked = self.rank(query, vector, candidates, foreign)
        if self.reranker is not None and len(ranked.rows) > 1:
            front = [int(row) for row in ranked.rows[: self.options.rerank_depth]]
            texts = self.store.passage_rows(front)
            ranked = rerank(ranked, query.text, [texts[row][0] for row in front], self.reranker)
        calibration = self.calibrations.cross_language if ranked.foreign else self.calibrations.same_language
        threshold = calibration.threshold if self.options.min_relevance is None else self.options.min_relevance
        scores = self.relevance(calibration, ranked)
        # no answerable question of eval/ (1,301 over their collections) lacks a content word the
        # collection uses; questions that do were quoted at 0.9 and more ("gì", "xoong")
        if not ranked.known_content or not any(score >= threshold for score in scores[: self.options.gate_depth]):
            return SearchResponse(query.text, True, (), foreign=ranked.foreign)
        if self.about_removed(candidates, ranked):
            return SearchResponse(query.text, True, (), foreign=ranked.foreign)
        # each quote shown passes the gate on its own, in rank order; weaker ones that still pass a share
        # of it (`follow_ratio`) come after them, behind "more results"
        passing = [i for i, score in enumerate(scores) if score >= threshold]
        weaker = [i for i, score in enumerate(scores) if threshold * self.options.follow_ratio <= score < threshold]
        read: dict[int, tuple] = {}  # the rows read so far, by row: each is read once per question

        def rows_of(indices: list[int]) -> list[tuple]:
            unread = [int(ranked.rows[i]) for i in indices if int(ranked.rows[i]) not in read]
            read.update(self.store.passage_rows(unread) if unread else {})
            return [read[int(ranked.rows[i])] for i in indices]

        declined: set[int] = set()
        if not ranked.foreign and self.options.swapped_names:
            # those that can be shown: what passes, and the first of the rest up to the answer's pages
            declined = self.other_names.declined(query, ranked, passing + weaker[:k], read)
        passing, weaker = [i for i in passing if i not in declined], [i for i in weaker if i not in declined]
        if not ranked.foreign and self.options.short_lookups and (wanted := short_words(query.tokens)):
            front = passing + weaker[:k]
            declined = {i for i, row in zip(front, rows_of(front), strict=True) if not holds(wanted, row[0], row[2])}
            passing, weaker = [i for i in passing if i not in declined], [i for i in weaker if i not in declined]
        if not passing:
            return SearchResponse(query.text, True, (), foreign=ranked.foreign)
        kept = said_first(ranked.highlights, passing + weaker)
        passing = [i for i in kept if scores[i] >= threshold]
        keep = kept[:k]
        results = []
        for i, row in zip(keep, rows_of(keep), strict=True):
            text, teaser, teaser_title, doc_id, title, date, source, path, url, passage_id = row
            results.append(
                SearchResult(int(ranked.rows[i]), text, ranked.highlights[i], round(float(scores[i]), 4), title, date,
                             source, path, doc_id, bool(teaser), teaser_title, url, int(passage_id))
            )
        return SearchResponse(query.text, not results, tuple(results), foreign=ranked.foreign,
                              confident=min(len(passing), k))

    @staticmethod
    def relevance(calibration: Calibration, ranked: Ranked) -> np.ndarray:
        if not ranked.evidence:
            return np.zeros(0)
        return calibration.relevance_many(np.array([e.features() for e in ranked.evidence], dtype=np.float64))

    def about_removed(self, candidates: Candidates, ranked: Ranked) -> bool:
        """The question is closer to a removed document than to anything left (see `removed_margin`)."""
        margin = self.options.removed_margin
        return margin is not None and candidates.removed - ranked.live_best >= margin

    @staticmethod
    def content_weights(query: Query, idf: np.ndarray) -> np.ndarray:
        """Each token's weight as content of the question: its idf, 0 for function words and for a
        written-out unit ("bao nhiêu ki-lô-mét": the text says "km")."""
        unit = loanword_unit(query.dense_text)
        mask = content_mask(query.tokens, syllables(query.dense_text))  # its accents decide where known
        keep = [ok and not unit.intersection(token.split("_")) for ok, token in zip(mask, query.tokens, strict=True)]
        return idf * np.array(keep, dtype=np.float64)

    def dense_evidence(
        self, rows: np.ndarray, dense: np.ndarray, vector: np.ndarray
    ) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Each row's dense evidence, the better of its passage cosine (`dense`) and its best sentence's,
        and its sentence cosines (None when the options or the backend give none: the passage cosine alone)."""
        per_sentence = self.store.sentence_cosines(rows, vector) if self.options.sentence_vectors else None
        return (dense if per_sentence is None else best_cosines(dense, per_sentence)), per_sentence

    def rank(
        self,
        query: Query,
        vector: np.ndarray,
        candidates: Candidates | None = None,
        foreign: bool | None = None,
    ) -> Ranked:
        """The front candidates in order, with the evidence the gate weighs. `foreign`: rank as for a
        question in another language (None: detect it, when the options allow)."""
        options = self.options
        if foreign is None:
            foreign = self.is_foreign(query)
        if candidates is None:
            candidates = self.candidates([query], vector[None, :], [foreign])[0]
        rows, dense = candidates.rows, candidates.dense
        if len(rows) == 0:
            return Ranked(rows, (), (), foreign)
        best, per_sentence = self.dense_evidence(rows, dense, vector)
        dense_z = _zscores(best)
        fused = options.dense_weight * dense_z
        if not foreign:
            lex = candidates.lexical
            fused = fused + options.lexical_weight * (_zscores(lex) if lex.max() > 0 else 0.0)
        # sentence-level lexical evidence only for the front of the queue: splitting every candidate
        # costs more than the rest of the query, and the tail cannot reach the top k
        front = np.argsort(-fused, kind="stable")[: options.rerank]
        texts = self.store.passage_rows([int(row) for row in rows[front]])
        # "" is no token: its idf is that of a token the collection never uses
        *idf, never = self.store.idf([*query.tokens, ""])
        weights = self.content_weights(query, np.array(idf, dtype=np.float64))
        unseen = np.array(idf) >= never
        unknown = 0.0 if foreign else unknown_share(query.tokens, weights, unseen)
        no_vectors = np.zeros(0, dtype=np.float64)
        found = [
            best_sentence(
                texts[int(rows[i])][0], query.tokens, weights, no_vectors if per_sentence is None else per_sentence[i],
                options.coverage_window,
            )
            for i in front
        ]
        checks = np.zeros(len(front))
        if not foreign and self.calibrations.vector_check is not None:
            sentence_cosines = None if per_sentence is None else [per_sentence[i] for i in front]
            checks = self.vector_checks(vector, rows[front], sentence_cosines)
        window = np.array([match.window_share for match in found])
        fused = fused[front] + (0.0 if foreign else options.sentence_weight * _zscores(window))
        order = np.argsort(-fused, kind="stable")
        asked = profile(query.words or query.text, query.dense_text, query.tokens, weights)
        lexical_z = np.zeros(len(rows)) if foreign or candidates.lexical.max() <= 0 else _zscores(candidates.lexical)
        evidence = tuple(
            self._evidence(
                float(dense[front[i]]), best, int(front[i]), float(dense_z[front[i]]), float(lexical_z[front[i]]),
                found[i], asked, unknown, float(checks[i]),
            )
            for i in order
        )
        highlights = tuple(found[i].sentence for i in order)
        known = foreign or float((weights * ~unseen).sum()) > 0
        return Ranked(rows[front][order], evidence, highlights, foreign, float(best.max()), known)

    def best_vectors(self, rows: np.ndarray, per_sentence: list[np.ndarray] | None) -> np.ndarray:
        """Unit vector of each row's best sentence by `per_sentence` (its cosines with the question), or
        of the passage where it stores no sentence vectors."""
        passages, sentences = self.store.row_vectors(rows)
        best = passages.copy()
        for i, stored in enumerate(sentences):
            if len(stored) and per_sentence is not None and len(per_sentence[i]) == len(stored):
                best[i] = stored[int(np.argmax(per_sentence[i]))]
        return best / np.maximum(np.linalg.norm(best, axis=1, keepdims=True), 1e-12)

    def vector_checks(self, vector: np.ndarray, rows: np.ndarray, per_sentence: list[np.ndarray] | None) -> np.ndarray:
        """The fitted vector check's logit for each row (see `relevance.VectorCheck`)."""
        check = self.calibrations.vector_check
        if check is None or not len(rows):
            return np.zeros(len(rows))
        return check.logits(vector, self.best_vectors(rows, per_sentence))

    @staticmethod
    def _evidence(
        dense: float, best: np.ndarray, row: int, dense_z: float, lexical_z: float, match: SentenceMatch,
        asked: Profile, unknown: float, vector_check: float,
    ) -> Evidence:
        others = np.delete(best, row)
        checked = fit(asked, match.window, set(match.window_words), set(match.passage_words))
        return Evidence(
            dense, float(best[row]), dense_z, match.share, unknown,
            lead=float(best[row] - others.max()) if len(others) else 0.0, lexical_z=lexical_z,
            window_coverage=match.window_share, pair_coverage=checked.pair_coverage,
            top_missing=checked.top_missing, typed=float(asked.typed), type_missing=checked.type_missing,
            named=float(bool(asked.names)), names_missing=checked.names_missing,
            rare_pairs_missing=checked.rare_pairs_missing, rarest_window_missing=checked.rarest_window_missing,
            vector_check=vector_check, words_missing=checked.words_missing,
        )
