"""The index's tables in PostgreSQL: the migrations that make them, the search indexes a first (bulk) build
drops while loading and makes again, and pgvector's `vector` extension that they need."""

from __future__ import annotations

import psycopg

from retriever.errors import TraCuuError, newer_schema
from retriever.index.postgres import originals
from retriever.index.postgres.conninfo import reason
from retriever.index.postgres.query import SPARSE_DIM

SCHEMA_LOCK = 7_116_002
# the dense graph of a first build: twice pgvector's default candidates per insert (about 11 minutes at 926k)
DENSE_BUILD = "m = 16, ef_construction = 128"
BUILD_MEMORY_MB = 512  # at least this much maintenance_work_mem to build a graph over the whole collection
# each passage's term ids: the passages holding a question's rare terms (retriever/index/postgres/query.py)
TERMS_INDEX = "CREATE INDEX IF NOT EXISTS idx_passages_terms ON idx_passages USING gin (terms)"
LEXICAL_EF_SEARCH = 100  # sparsevec HNSW (migration 3): must stay >= the candidates asked for (50)


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


def migrate(db: psycopg.Connection, dim: int) -> None:
    """Bring the schema to the latest version, inside the caller's transaction, one replica at a time."""
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
