"""The index in PostgreSQL + pgvector (INDEX_BACKEND=postgres): documents, passages, vectors, BM25 weights and
metadata in one database that every replica reads.

- Dense: `embedding vector(dim)` with an HNSW index over its half-precision form (inner product: the
  vectors are normalised, so cosine); candidates are scored with the full vectors.
- Lexical: the same folded-syllable + pair tokens as the local index. Each passage stores its BM25 term
  weights `tf / (tf + k1 (1 - b + b len / avglen))` in `lexical sparsevec`, and `idx_terms` keeps each term's
  document frequency, so the inner product with the query's idf weights is exactly Lucene BM25 (bm25s' variant,
  as locally). pgvector's HNSW on sparsevec takes at most 1,000 non-zeros a row: a passage keeps its 1,000
  best-weighted terms (passages are cut to the encoder's 512 tokens, so this is rare); its vector still covers
  it all. The lengths' average is the one at the time a passage was written: `tracuu index --rebuild`
  refreshes every weight after the collection changed a lot.
- Reindex (retriever/index/postgres/sync.py): incremental per file, one transaction per batch, one at a time across
  replicas (advisory lock).
- The originals (retriever/index/postgres/originals.py): every file's bytes, metadata and origin, so the
  database alone is the collection; a data folder is only imported.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg_pool import ConnectionPool, PoolTimeout

from embeddings import Encoder
from retriever.errors import IndexDatabaseUnreachableError, IndexUnavailableError, TraCuuError
from retriever.index.backend import Candidates, check_encoder
from retriever.index.postgres import query as pgquery
from retriever.index.postgres.conninfo import passing, reason
from retriever.index.postgres.query import SentenceMemo
from retriever.index.postgres.schema import LEXICAL_TOP, ensure_vector_extension, migrate, migrations
from retriever.index.postgres.sentences import as_numpy, cosines_by_row
from retriever.models import Article, ArticleInfo, IndexInfo, with_headings

# dense HNSW candidates examined per query. At 926k passages (bench collection, docs/performance-at-scale.md),
# recall@10 / retrieval p95: 0.920 / 33.8 ms at 200 and 0.948 / 42.3 ms at 400 on a graph built with
# pgvector's default ef_construction 64; 0.936 / 33.9 ms at 200 and 0.953 / 39.6 ms at 300 on one built
# with 128 (schema.DENSE_BUILD). At 100k, 200 gave 0.968 (120: 0.946).
EF_SEARCH = 300
log = logging.getLogger(__name__)


# each row's sentence cosines in order; the halfvec read as vector, so the product is float32 as locally
ROW_VECTORS = (
    "SELECT p.row, p.embedding, ARRAY(SELECT s.embedding::vector FROM idx_sentences s "
    "WHERE s.passage_id = p.passage_id ORDER BY s.ord) FROM idx_passages p WHERE p.row = ANY(%s)"
)
SENTENCE_COSINES = (
    "SELECT p.row, ARRAY(SELECT -(s.embedding::vector <#> %s) FROM idx_sentences s "
    "WHERE s.passage_id = p.passage_id ORDER BY s.ord) FROM idx_passages p WHERE p.row = ANY(%s)"
)


def _configure(connection: psycopg.Connection) -> None:
    register_vector(connection)
    connection.execute(f"SET hnsw.ef_search = {EF_SEARCH}")


class PostgresIndex:
    """Read side (the IndexBackend protocol) plus what the reindex needs. Thread-safe (a connection pool)."""

    def __init__(self, url: str, encoder: Encoder, *, pool_size: int = 4) -> None:
        try:
            first = psycopg.connect(url, connect_timeout=5, autocommit=True)
        except psycopg.Error as error:
            raise IndexDatabaseUnreachableError(reason(error), transient=passing(error)) from error
        # the extension before the pool: each pooled connection registers the vector types on opening
        with first:
            # a streaming standby serves searches; writes (schema, reindex) belong to the primary
            self.read_only = bool(first.execute("SELECT pg_is_in_recovery()").fetchone()[0])  # type: ignore[index]
            ensure_vector_extension(first, self.read_only)
        self.encoder = encoder
        self._sentences = SentenceMemo()
        # each question's dense walk runs here while its lexical rows are found (retriever/index/postgres/query.py)
        self._beside = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="tracuu-dense-walk")
        # a connection for each question's dense walk beside its own
        self.pool = ConnectionPool(url, min_size=1, max_size=2 * pool_size, open=True, configure=_configure,
                                   timeout=5.0, reconnect_timeout=5.0, check=ConnectionPool.check_connection,
                                   kwargs={"autocommit": True})
        try:
            if self.read_only:
                self._check_schema()
            else:
                self._migrate(encoder.dim)
            meta = self.meta()
            if "model" in meta:  # recorded by the first reindex, checked like the local manifest
                check_encoder({**meta, "dim": int(meta["dim"])}, encoder)
            self.info = self.read_info()
        except BaseException:
            self.close()
            raise

    def _migrate(self, dim: int) -> None:
        with self.pool.connection() as db, db.transaction():
            migrate(db, dim)
            # a dump restored by the database's owner, not a superuser, lacks the function: pg_restore may not
            # set `hnsw.ef_search` before the vector library is loaded ("permission denied to set parameter"),
            # and every search then failed. Here the library is loaded, and the owner may create it
            missing = db.execute("SELECT to_regprocedure('idx_lexical_top(sparsevec, integer)') IS NULL").fetchone()
            if missing and missing[0]:
                log.warning("the index's search function was missing (a restored dump?): created again")
                db.execute(LEXICAL_TOP.encode())

    def _check_schema(self) -> None:
        found = self.query("SELECT to_regclass('idx_schema') IS NOT NULL")
        version = self.query("SELECT version FROM idx_schema")[0][0] if found[0][0] else 0
        if version != len(migrations(0)):
            raise TraCuuError(f"the standby's index schema is version {version}, not {len(migrations(0))}: "
                              "start a replica on the primary first (it migrates and indexes)")

    def query(
        self, sql: str, params: Sequence[object] | Mapping[str, object] = (), binary: bool = False
    ) -> list[tuple]:
        """`binary`: results in PostgreSQL's binary format. For the statements that return vectors and arrays
        of floats: parsing their text took most of a retrieval's time outside the database (at 99k
        passages, the front's vectors 6.6 ms in text, 0.9 ms in binary; the candidates 15.7 and 14.3 ms)."""
        try:
            with self.pool.connection() as db:
                cursor = db.cursor(binary=binary).execute(sql.encode(), params)
                return cursor.fetchall() if cursor.description else []
        except (psycopg.OperationalError, PoolTimeout) as error:
            raise IndexUnavailableError(f"the index database is unreachable: {error}") from error

    def meta(self) -> dict[str, str]:
        return dict(self.query("SELECT key, value FROM idx_meta"))

    def read_info(self) -> IndexInfo:
        meta = self.meta()
        [(documents, passages)] = self.query(
            "SELECT (SELECT COUNT(*) FROM idx_documents), (SELECT COUNT(*) FROM idx_passages)"
        )
        return IndexInfo(
            backend=meta.get("backend", self.encoder.backend), model=meta.get("model", self.encoder.model),
            quantization=meta.get("quantization", self.encoder.quantization),
            dim=int(meta.get("dim", self.encoder.dim)), documents=documents, passages=passages,
            built_at=meta.get("built_at", ""), dense_index="pgvector hnsw", fingerprint=meta.get("fingerprint", ""),
        )

    # -- IndexBackend ------------------------------------------------------------------------------------
    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        found = dict(self.query("SELECT term, df FROM idx_terms WHERE term = ANY(%s)", (list(set(tokens)),)))
        df = np.array([found.get(token, 0) for token in tokens], dtype=np.float64)
        return np.log(1 + (self.info.passages - df + 0.5) / (df + 0.5))

    def sentence_cosines(self, rows: np.ndarray, vector: np.ndarray) -> list[np.ndarray] | None:
        fetched = self._sentences.take(rows, vector)  # with the candidates, as a rule
        if fetched is not None:
            return fetched
        found = self.query(SENTENCE_COSINES, (np.asarray(vector, dtype=np.float32), [int(row) for row in rows]),
                           binary=True)
        return cosines_by_row(found, rows)

    def row_vectors(self, rows: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        found = {int(row): (passage, sentences) for row, passage, sentences in
                 self.query(ROW_VECTORS, ([int(row) for row in rows],), binary=True)}
        dim = int(self.info.dim)
        # a row removed by another replica since its candidates were read: no vector, no evidence either way
        gone: tuple = (np.zeros(dim, dtype=np.float32), ())
        passages = np.zeros((len(rows), dim), dtype=np.float32)
        sentences = []
        for i, row in enumerate(rows):
            passage, stored = found.get(int(row), gone)
            passages[i] = as_numpy(passage)
            sentences.append(np.array([as_numpy(v) for v in stored or ()], dtype=np.float32).reshape(-1, dim))
        return passages, sentences

    def candidates(self, tokens: Sequence[list[str]], vectors: np.ndarray, depth: int) -> list[Candidates]:
        found = []
        for query_tokens, vector in zip(tokens, vectors, strict=True):
            one, sentences = pgquery.candidates(self._binary, self._beside.submit, query_tokens, vector, depth,
                                                self.info.passages)
            self._sentences.put(one.rows, vector, sentences)
            found.append(one)
        return found

    def _binary(self, sql: str, params: Mapping[str, object]) -> list[tuple]:
        return self.query(sql, params, binary=True)

    def passage_rows(self, rows: list[int]) -> dict[int, tuple]:
        return self._passages("p.row", rows)

    def passages_by_id(self, passage_ids: list[int]) -> dict[int, tuple]:
        return self._passages("p.passage_id", passage_ids)

    def _passages(self, key: str, values: list[int]) -> dict[int, tuple]:
        found = self.query(
            f"SELECT {key}, p.text, p.teaser::int, p.teaser_title, d.doc_id, d.title, d.date, d.source, d.path, "
            f"d.url, p.passage_id FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE {key} = ANY(%s)",
            ([int(value) for value in values],),
        )
        return {item[0]: item[1:] for item in found}

    def accents(self, folded: list[str]) -> dict[str, str]:
        return dict(self.query("SELECT folded, form FROM idx_accents WHERE folded = ANY(%s)", (folded,)))

    def articles(self) -> list[ArticleInfo]:
        found = self.query(
            "SELECT d.doc_id, d.title, d.date, d.source, d.path, COUNT(p.row), d.url FROM idx_documents d "
            "LEFT JOIN idx_passages p USING (doc_id) GROUP BY d.doc_id ORDER BY d.position"
        )
        return [ArticleInfo(*row) for row in found]

    def article(self, doc_id: int) -> Article | None:
        info = self.query(
            "SELECT d.doc_id, d.title, d.date, d.source, d.path, "
            "(SELECT COUNT(*) FROM idx_passages p WHERE p.doc_id = d.doc_id), d.url "
            "FROM idx_documents d WHERE d.doc_id = %s",
            (doc_id,),
        )
        if not info:
            return None
        paragraphs = self.query(
            "SELECT text, heading FROM idx_paragraphs WHERE doc_id = %s AND NOT teaser ORDER BY ordinal", (doc_id,)
        )
        return Article(ArticleInfo(*info[0]), with_headings(paragraphs))

    def close(self) -> None:
        self._beside.shutdown()
        self.pool.close()
