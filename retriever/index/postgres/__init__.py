"""The PostgreSQL backend: pgvector (HNSW) for the dense side and sparsevec BM25 weights for the lexical
side, in one database that every replica shares; `index.PostgresIndex` serves it, `sync` keeps it in step
with the data folder."""
