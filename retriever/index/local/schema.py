"""The tables of a generation's catalog (`passages.sqlite`, `retriever.index.local.catalog`), which its
changes since the main (`changes.sqlite`, `retriever.index.local.changes`) hold too: the readers'
views put each table of one over the same table of the other (`retriever.index.local.storage` reads
them)."""

CATALOG = """
CREATE TABLE files (path TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
CREATE TABLE documents (
    doc_id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, path TEXT NOT NULL, title TEXT NOT NULL,
    title_derived INTEGER NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL,
    content_hash TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE paragraphs (
    doc_id INTEGER NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL, teaser INTEGER NOT NULL,
    teaser_title TEXT NOT NULL, PRIMARY KEY (doc_id, ordinal));
CREATE TABLE passages (
    row INTEGER PRIMARY KEY, passage_id INTEGER UNIQUE NOT NULL, doc_id INTEGER NOT NULL,
    ordinal INTEGER NOT NULL, text TEXT NOT NULL, teaser INTEGER NOT NULL, teaser_title TEXT NOT NULL);
CREATE INDEX passages_doc ON passages (doc_id, ordinal);
CREATE TABLE accents (folded TEXT PRIMARY KEY, form TEXT NOT NULL);
CREATE TABLE accent_counts (form TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE accent_folds (folded TEXT NOT NULL, form TEXT NOT NULL, PRIMARY KEY (folded, form)) WITHOUT ROWID;
CREATE TABLE retired (row INTEGER PRIMARY KEY);
CREATE TABLE removed (passage_id INTEGER PRIMARY KEY, removed_at TEXT NOT NULL, vectors BLOB NOT NULL);
CREATE TABLE duplicates (passage_id INTEGER NOT NULL, path TEXT NOT NULL);
"""
