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
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg_pool import ConnectionPool, PoolTimeout

from embeddings import Encoder
from retriever.errors import IndexDatabaseUnreachableError, IndexUnavailableError, TraCuuError, newer_schema
from retriever.index.backend import Candidates, check_encoder
from retriever.index.bm25 import K1, B
from retriever.index.postgres import originals
from retriever.index.postgres import query as pgquery
from retriever.index.postgres.conninfo import passing, reason
from retriever.index.postgres.query import SPARSE_DIM, SentenceMemo
from retriever.index.postgres.sentences import as_numpy, cosines_by_row
from retriever.models import Article, ArticleInfo, IndexInfo, with_headings

SCHEMA_LOCK = 7_116_002
MAX_TERMS = 1000  # pgvector: HNSW on sparsevec indexes rows of at most 1,000 non-zeros
# dense HNSW candidates examined per query. At 926k passages (bench collection, docs/performance-at-scale.md),
# recall@10 / retrieval p95: 0.920 / 33.8 ms at 200 and 0.948 / 42.3 ms at 400 on a graph built with
# pgvector's default ef_construction 64; 0.936 / 33.9 ms at 200 and 0.953 / 39.6 ms at 300 on one built
# with 128 (DENSE_BUILD). At 100k, 200 gave 0.968 (120: 0.946).
EF_SEARCH = 300
# the dense graph of a first build: twice pgvector's default candidates per insert (about 11 minutes at 926k)
DENSE_BUILD = "m = 16, ef_construction = 128"
BUILD_MEMORY_MB = 512  # at least this much maintenance_work_mem to build a graph over the whole collection
# each passage's term ids: the passages holding a question's rare terms (retriever/index/postgres/query.py)
TERMS_INDEX = "CREATE INDEX IF NOT EXISTS idx_passages_terms ON idx_passages USING gin (terms)"
log = logging.getLogger(__name__)
LEXICAL_EF_SEARCH = 100  # sparsevec HNSW (migration 3): must stay >= the candidates asked for (50)


# each row's sentence cosines in order; the halfvec read as vector, so the product is float32 as locally
ROW_VECTORS = (
    "SELECT p.row, p.embedding, ARRAY(SELECT s.embedding::vector FROM idx_sentences s "
    "WHERE s.passage_id = p.passage_id ORDER BY s.ord) FROM idx_passages p WHERE p.row = ANY(%s)"
)
SENTENCE_COSINES = (
    "SELECT p.row, ARRAY(SELECT -(s.embedding::vector <#> %s) FROM idx_sentences s "
    "WHERE s.passage_id = p.passage_id ORDER BY s.ord) FROM idx_passages p WHERE p.row = ANY(%s)"
)


def dense_graph(dim: int, name: str = "idx_passages_dense") -> str:
    """The dense HNSW graph, over the vectors in half precision (what `query.dense_walk` orders by)."""
    return (f"CREATE INDEX IF NOT EXISTS {name} ON idx_passages USING hnsw "
            f"((embedding::halfvec({int(dim)})) halfvec_ip_ops) WITH ({DENSE_BUILD})")


# an HNSW graph that fits in maintenance_work_mem is built many times faster; the server's setting stands
# where it is larger (1M passages want several GB: docs/performance-at-scale.md). For this transaction only
RAISE_BUILD_MEMORY = (
    "DO $$ BEGIN IF (SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem') < "
    f"{BUILD_MEMORY_MB * 1024} THEN PERFORM set_config('maintenance_work_mem', '{BUILD_MEMORY_MB}MB', true); "
    "END IF; END $$"
)


LEXICAL_TOP = f"""
        CREATE OR REPLACE FUNCTION idx_lexical_top(query sparsevec, depth INTEGER)
            RETURNS TABLE (passage_row BIGINT, distance DOUBLE PRECISION)
            LANGUAGE sql STABLE STRICT SET hnsw.ef_search = {LEXICAL_EF_SEARCH}
            AS $$ SELECT row, lexical <#> query FROM idx_passages ORDER BY lexical <#> query LIMIT depth $$;
        """


def migrations(dim: int) -> tuple[str, ...]:
    """Each entry migrates the schema from version i to i + 1; never edit a shipped one."""
    return (
        f"""
        CREATE TABLE idx_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE idx_files (path TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
        CREATE TABLE idx_documents (
            doc_id BIGSERIAL PRIMARY KEY, path TEXT NOT NULL REFERENCES idx_files ON DELETE CASCADE,
            key TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL,
            content_hash TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX idx_documents_path ON idx_documents (path);
        CREATE TABLE idx_paragraphs (
            doc_id BIGINT NOT NULL REFERENCES idx_documents ON DELETE CASCADE, ordinal INTEGER NOT NULL,
            text TEXT NOT NULL, teaser BOOLEAN NOT NULL, PRIMARY KEY (doc_id, ordinal));
        CREATE TABLE idx_terms (id SERIAL PRIMARY KEY, term TEXT UNIQUE NOT NULL, df INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE idx_passages (
            row BIGSERIAL PRIMARY KEY, passage_id BIGINT UNIQUE NOT NULL,
            doc_id BIGINT NOT NULL REFERENCES idx_documents ON DELETE CASCADE, ordinal INTEGER NOT NULL,
            text TEXT NOT NULL, teaser BOOLEAN NOT NULL, teaser_title TEXT NOT NULL, length INTEGER NOT NULL,
            terms INTEGER[] NOT NULL, embedding vector({dim}) NOT NULL, lexical sparsevec({SPARSE_DIM}) NOT NULL);
        CREATE INDEX idx_passages_doc ON idx_passages (doc_id);
        CREATE INDEX idx_passages_dense ON idx_passages USING hnsw (embedding vector_ip_ops);
        CREATE INDEX idx_passages_lexical ON idx_passages USING hnsw (lexical sparsevec_ip_ops);
        CREATE TABLE idx_accent_counts (form TEXT PRIMARY KEY, count INTEGER NOT NULL);
        CREATE TABLE idx_accents (folded TEXT PRIMARY KEY, form TEXT NOT NULL);
        """,
        # 2: sentence vectors (retriever/index/postgres/sentences.py), read only for a query's candidates: no HNSW.
        # A database indexed before has none: its files' hashes are forgotten, so the next reindex (at
        # start) re-reads every file, keeps every passage vector and encodes only the sentences
        f"""
        CREATE TABLE idx_sentences (
            passage_id BIGINT NOT NULL REFERENCES idx_passages (passage_id) ON DELETE CASCADE,
            ord INTEGER NOT NULL, embedding halfvec({dim}) NOT NULL, PRIMARY KEY (passage_id, ord));
        UPDATE idx_files SET content_hash = '';
        DELETE FROM idx_meta WHERE key = 'fingerprint';
        """,
        # 3: the lexical top `depth` with its own ef_search, inside the one statement of
        # retriever/index/postgres/query.py (a GUC cannot change within a statement; a function's SET can). 100
        # instead of the dense walk's 200: at 100k passages its recall@10 against exact BM25 stays 0.99 and
        # the walk over ~300 non-zeros a row costs half. STRICT: no terms in common, no walk. OR REPLACE:
        # DROP TABLE leaves a function behind (its body is not a dependency)
        LEXICAL_TOP,
        # 4: the vectors of removed documents' passages (retriever/index/postgres/removed.py), for the one statement's
        # best cosine with them. HNSW: exact enough at the few thousand passages kept (ef_search 200)
        f"""
        CREATE TABLE idx_removed (
            passage_id BIGINT NOT NULL, ord INTEGER NOT NULL, removed_at TIMESTAMPTZ NOT NULL,
            embedding halfvec({dim}) NOT NULL, PRIMARY KEY (passage_id, ord));
        CREATE INDEX idx_removed_embedding ON idx_removed USING hnsw (embedding halfvec_ip_ops);
        """,
        # 5: the database is the collection: each file's original, metadata and origin, and what admins
        # removed (retriever/index/postgres/originals.py)
        originals.MIGRATION,
        # 6: the passages holding a question's rare terms, scored exactly (retriever/index/postgres/query.py)
        TERMS_INDEX,
        # 7: the dense graph over half-precision vectors: built beside the old one, which is dropped at the
        # end, so searches go on meanwhile (writes wait). Minutes for a large database: about 11 at 926k
        # passages with 2 GB of maintenance_work_mem (docs/performance-at-scale.md)
        f"""
        {RAISE_BUILD_MEMORY};
        {dense_graph(dim, "idx_passages_dense_half")};
        DROP INDEX idx_passages_dense;
        ALTER INDEX idx_passages_dense_half RENAME TO idx_passages_dense;
        """,
        # 8: the section heading a paragraph sits under, for the full article's view. Files indexed before
        # are read again at the next reindex, so their headings stop being quoted as paragraphs
        """
        ALTER TABLE idx_paragraphs ADD COLUMN heading TEXT NOT NULL DEFAULT '';
        UPDATE idx_files SET content_hash = '';
        """,
        # 9: files read again at the next reindex (PARSER_VERSION 5): a PDF's or Word file's FAQ questions
        # and a PDF's headings became the context of the paragraphs under them, as in the other formats; a
        # web page's table rows name their columns
        """
        UPDATE idx_files SET content_hash = '';
        """,
        # 10: read again (PARSER_VERSION 6): lines that label sections ("Điều 12. …", "II. NHIỆM VỤ") are
        # headings in text, scans and Word files without heading styles
        """
        UPDATE idx_files SET content_hash = '';
        """,
        # 11: read again (PARSER_VERSION 7): a short bold line over text heads it (Word, web pages, Markdown);
        # titles and sources capped
        """
        UPDATE idx_files SET content_hash = '';
        """,
        # 12: read again (PARSER_VERSION 8): Word's tracked insertions and content controls, Markdown's links,
        # italics and wrapped lines, a JSONL record's timestamp as its day
        """
        UPDATE idx_files SET content_hash = '';
        """,
        # 13: read again (PARSER_VERSION 9): official letterheads in tables or two columns, more date forms,
        # Markdown's front matter, a long paragraph's pieces marked where it goes on
        """
        UPDATE idx_files SET content_hash = '';
        """,
        # 14: what admins add or remove is kept in the database until a reindex writes it
        originals.PENDING_TABLE,
        # 15: read again (PARSER_VERSION 10): a scanned official document's two-column letterhead names and
        # dates it, and its recipients and signature are left out
        """
        UPDATE idx_files SET content_hash = '';
        """,
    )


def search_indexes(dim: int) -> tuple[str, ...]:
    """What a first (bulk) build drops while loading and creates afterwards: the migrations' indexes."""
    return (
        dense_graph(dim),
        "CREATE INDEX IF NOT EXISTS idx_passages_lexical ON idx_passages USING hnsw (lexical sparsevec_ip_ops)",
        TERMS_INDEX,
    )


def _configure(connection: psycopg.Connection) -> None:
    register_vector(connection)
    connection.execute(f"SET hnsw.ef_search = {EF_SEARCH}")


def bm25_weights(counts: Counter[int], length: int, average: float) -> dict[int, float]:
    """A passage's BM25 term weights (without idf), its MAX_TERMS best when it has more."""
    norm = K1 * (1 - B + B * length / (average or 1.0))
    weights = {term: tf / (tf + norm) for term, tf in counts.items()}
    if len(weights) > MAX_TERMS:
        weights = dict(sorted(weights.items(), key=lambda item: -item[1])[:MAX_TERMS])
    return weights


NO_VECTOR = (
    "the index database {database} was reached but lacks the `vector` extension and {why}: run once, as a "
    "superuser, psql -d {database} -c 'CREATE EXTENSION vector'"
)


def ensure_vector_extension(connection: psycopg.Connection, read_only: bool) -> None:
    """pgvector's `vector` extension, created when this user may; else one line saying who must create it."""
    installed = connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    if installed:
        return
    database = connection.info.dbname
    if read_only:
        raise TraCuuError(NO_VECTOR.format(database=database, why="this is a read-only standby"))
    try:
        connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except psycopg.errors.InsufficientPrivilege as error:
        why = f"user {connection.info.user} may not create extensions"
        raise TraCuuError(NO_VECTOR.format(database=database, why=why)) from error
    except psycopg.Error as error:  # e.g. pgvector is not installed on the server at all
        raise TraCuuError(f"the index database {database} has no pgvector: {reason(error)} (install pgvector "
                          "on the PostgreSQL server, e.g. the postgresql-18-pgvector package)") from error


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
            db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS idx_schema (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM idx_schema").fetchone()
            if row is None:
                db.execute("INSERT INTO idx_schema VALUES (0)")
            version = row[0] if row else 0
            newer_schema(version, len(migrations(dim)), "index")
            for number, script in enumerate(migrations(dim)[version:], start=version + 1):
                db.execute(script.encode())
                db.execute("UPDATE idx_schema SET version = %s", (number,))
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
