"""A question's candidates from PostgreSQL: the dense top `depth` (HNSW on the passage vectors), the
lexical top `depth` (HNSW on the BM25 sparsevec, through `idx_lexical_top` for its own ef_search; the query
vector built from idx_terms in the same statement), the exact lexical top `depth` of the passages holding
one of the question's rare terms (GIN on `terms`), and for their union the exact scores of both rankers,
every sentence's cosine, and the best cosine with a removed passage's vectors.

Why the rare terms: HNSW misses rows the graph does not lead to. A passage added to a built graph whose
distinctive words (a name, a place, a date) occur nowhere else gets few or no links from the rows around
it, and neither walk reaches it: at 100k passages a new article's own question did not find it with
ef_search 200 (it did at 1,000). Those words are exactly what a reader asks about, and the passages that
hold a rare term are few, so they are scored exactly instead of trusted to the walk.

Three statements: the dense walk on a second connection while the lexical rows are found on the first,
then the union's scores. The dense walk is most of the time at a million passages, so the two run side
by side: at 926k, 22.8 / 33.2 ms p50 / p95 for the candidates, against 28.2 / 38.9 ms in one statement
(docs/performance-at-scale.md). Search asks for the sentence cosines separately
(`IndexBackend.sentence_cosines`), so they are kept here until it does (`SentenceMemo`)."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from retriever.index.backend import Candidates

SPARSE_DIM = 1_000_000_000  # term ids; pgvector's limit for sparsevec
# a term in at most this many passages is rare: every passage holding one is scored exactly (at most
# RARE_DF rows per such term of the question, read through the GIN index)
RARE_DF = 100

# <#> is the negative inner product. Lexical: zero means no term in common, not a candidate. The query's
# weights are idf x count, as `PostgresIndex.idf` computes them (float8, then float4 in the sparsevec);
# sparsevec's text form wants its indices ascending and 1-based (the term ids, like SparseVector's, 0-based).
QUERY_TERMS = """
WITH query_terms AS (
    SELECT t.id, t.df, q.n * ln(1 + (%(passages)s::float8 - t.df + 0.5) / (t.df + 0.5)) AS weight
    FROM unnest(%(terms)s::text[], %(counts)s::int[]) AS q (term, n) JOIN idx_terms t USING (term)
    WHERE t.df > 0),
lexical_query AS (
    SELECT ('{' || string_agg(id + 1 || ':' || weight, ',' ORDER BY id) || '}/""" + str(SPARSE_DIM) + """')::sparsevec
        AS v FROM query_terms)"""
DENSE_ROWS = "SELECT row FROM idx_passages ORDER BY @dense_walk LIMIT %(depth)s"
LEXICAL_ROWS = QUERY_TERMS + """,
lexical_top AS (
    SELECT passage_row AS row FROM idx_lexical_top((SELECT v FROM lexical_query), %(depth)s) WHERE distance < 0),
rare_top AS (
    -- "+ 0": ordered by the exact product, not through the HNSW index (which would filter its walk)
    SELECT row FROM idx_passages
    WHERE terms && (SELECT array_agg(id) FROM query_terms WHERE df <= """ + str(RARE_DF) + """)
    ORDER BY (lexical <#> (SELECT v FROM lexical_query)) + 0 LIMIT %(depth)s)
SELECT row FROM lexical_top UNION SELECT row FROM rare_top
"""
SCORES = QUERY_TERMS + """
SELECT p.row, -(p.embedding <#> %(vector)s), COALESCE(-(p.lexical <#> (SELECT v FROM lexical_query)), 0),
    ARRAY(SELECT -(s.embedding::vector <#> %(vector)s) FROM idx_sentences s
          WHERE s.passage_id = p.passage_id ORDER BY s.ord),
    (SELECT -(r.embedding::vector <#> %(vector)s) FROM idx_removed r
     ORDER BY r.embedding <#> %(vector)s::halfvec LIMIT 1)
FROM idx_passages p WHERE p.row = ANY(%(rows)s)
ORDER BY p.row
"""

Query = Callable[[str, dict[str, object]], list[tuple]]
# runs a statement on another connection, its rows in a future
Beside = Callable[[Callable[[], list[tuple]]], Future[list[tuple]]]


def dense_walk(dim: int) -> str:
    """The dense walk's order: the vectors in half precision, as the graph indexes them (PostgreSQL walks an
    index only for the expression it was built on; `retriever.index.postgres.schema.dense_graph`). At 99k
    passages the half-precision graph takes 110 MB against 193 MB for full vectors, with the same recall@10
    (0.988) and the walk alone 8.3 against 9.6 ms p95 (docs/performance-at-scale.md)."""
    return f"embedding::halfvec({int(dim)}) <#> %(vector)s::halfvec({int(dim)})"


def dense_rows(dim: int) -> str:
    """The dense walk's statement: the top %(depth)s rows for %(vector)s."""
    return DENSE_ROWS.replace("@dense_walk", dense_walk(dim))


def candidates(query: Query, beside: Beside, tokens: list[str], vector: np.ndarray, depth: int,
               passages: int) -> tuple[Candidates, list[np.ndarray]]:
    """One question's candidates, and each candidate's sentence cosines (empty: one sentence). `beside` runs
    the dense walk on another connection meanwhile."""
    counts = Counter(tokens)
    params: dict[str, object] = {"terms": list(counts), "counts": list(counts.values()), "passages": passages,
                                 "vector": np.asarray(vector, dtype=np.float32), "depth": depth}
    dense = beside(lambda: query(dense_rows(len(vector)), params))
    lexical = query(LEXICAL_ROWS, params) if tokens else []
    rows = sorted({row for (row,) in lexical} | {row for (row,) in dense.result()})
    found = query(SCORES, {**params, "rows": rows}) if rows else []
    if not found:
        empty = np.zeros(0)
        return Candidates(empty.astype(np.int64), empty, empty), []
    scores = np.array([row[:3] for row in found], dtype=np.float64)
    sentences = [np.asarray(row[3] or (), dtype=np.float64) for row in found]
    removed = -1.0 if found[0][4] is None else float(found[0][4])
    return Candidates(scores[:, 0].astype(np.int64), scores[:, 1], scores[:, 2], removed), sentences


class SentenceMemo:
    """The sentence cosines fetched with each question's candidates, until search asks for them with the
    same rows and vector. Bounded: a search that never asks (sentence vectors off) leaves nothing behind."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: OrderedDict[tuple[bytes, bytes], list[np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()  # one index serves every worker thread

    @staticmethod
    def _key(rows: np.ndarray, vector: np.ndarray) -> tuple[bytes, bytes]:
        return np.asarray(rows, dtype=np.int64).tobytes(), np.asarray(vector, dtype=np.float32).tobytes()

    def put(self, rows: np.ndarray, vector: np.ndarray, cosines: list[np.ndarray]) -> None:
        with self._lock:
            self._items[self._key(rows, vector)] = cosines
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def take(self, rows: np.ndarray, vector: np.ndarray) -> list[np.ndarray] | None:
        with self._lock:
            return self._items.pop(self._key(rows, vector), None)

