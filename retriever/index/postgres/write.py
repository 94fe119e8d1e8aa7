"""One batch of a PostgreSQL reindex, written in its transaction: the old rows of the batch's files
deleted, the new ones inserted, their passages encoded and inserted `CHUNK` at a time inside it.

Encoding inside the transaction is what lets a file of any size be written whole (readers see its old or
new version, never half) while only one chunk's vectors and sentence vectors are held. Measured on one
JSONL file of 29,945 passages (stand-in vectors): the import peaked at 924 MB with the file's passages
encoded together, at 513 MB with them encoded here a chunk at a time. Readers are not blocked meanwhile
(MVCC), and only one reindex writes at a time (the advisory lock)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import psycopg
from pgvector import SparseVector

from retriever.index.bm25 import K1, B
from retriever.index.passages import Passage
from retriever.index.postgres.index import PostgresIndex
from retriever.index.postgres.query import SPARSE_DIM
from retriever.index.postgres.sentences import as_numpy, sentence_vectors, stored_sentences, write_sentences
from retriever.index.postgres.spool import Spooled, passage_tokens
from retriever.index.sources import ENCODE_CHUNK
from retriever.models import BuildProgress
from retriever.wordforms import count_forms

CHUNK = 2_000  # passages encoded and inserted together: a few MB of vectors
MAX_TERMS = 1000  # pgvector: HNSW on sparsevec indexes rows of at most 1,000 non-zeros


@dataclass(frozen=True)
class Writer:
    """What every batch of one reindex is written with."""

    index: PostgresIndex
    batch_size: int  # the encoder's
    average: float  # the passages' average length after this reindex (BM25)


def replace_files(writer: Writer, db: psycopg.Connection, paths: list[str], files: list[Spooled]) -> int:
    """Replace these paths' rows by `files` (the paths without one are removed); the accent counts follow.
    Returns how many passages were encoded (the others' vectors were stored)."""
    removed = db.execute("SELECT text FROM idx_passages p JOIN idx_documents d USING (doc_id) "
                         "WHERE d.path = ANY(%s)", (paths,)).fetchall()
    db.execute("UPDATE idx_terms t SET df = t.df - c.n FROM (SELECT unnest(p.terms) AS id, COUNT(*) AS n "
               "FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path = ANY(%s) GROUP BY 1) c "
               "WHERE t.id = c.id", (paths,))
    db.execute("DELETE FROM idx_files WHERE path = ANY(%s)", (paths,))  # cascades to documents and passages
    mine = [p for f in files for p in f.passages]
    _count_accents(db, [text for (text,) in removed], [p.text for p in mine])
    if not files:
        return 0
    with db.cursor() as cursor:
        cursor.executemany("INSERT INTO idx_files (path, content_hash, origin, original, meta) "
                           "VALUES (%s, %s, %s, %s, %s)", [(f.path, *f.row) for f in files])
    [(position,)] = db.execute("SELECT COALESCE(MAX(position), 0) FROM idx_documents").fetchall()
    doc_ids = {}
    for i, d in enumerate((d for f in files for d in f.documents), start=position + 1):
        [(doc_ids[d.key],)] = db.execute(
            "INSERT INTO idx_documents (path, key, title, date, source, url, content_hash, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING doc_id",
            (d.path, d.key, d.title, d.date, d.source, d.url, d.content_hash, i)).fetchall()
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO idx_paragraphs (doc_id, ordinal, text, teaser, heading) "
                               "VALUES (%s, %s, %s, %s, %s)",
                               [(doc_ids[d.key], n, p.text, p.teaser, p.heading) for n, p in enumerate(d.paragraphs)])
    encoded = sum(_insert_passages(writer, db, mine[start : start + CHUNK], doc_ids)
                  for start in range(0, len(mine), CHUNK))
    db.execute("UPDATE idx_terms t SET df = t.df + c.n FROM (SELECT unnest(p.terms) AS id, COUNT(*) AS n "
               "FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path = ANY(%s) GROUP BY 1) c "
               "WHERE t.id = c.id", (paths,))
    return encoded


def _insert_passages(writer: Writer, db: psycopg.Connection, passages: list[Passage], doc_ids: dict[str, int]
                     ) -> int:
    index = writer.index
    ids = [p.passage_id for p in passages]
    # read on another pooled connection: it sees the rows as last committed, among them the old version of
    # a file this transaction has just deleted, whose unchanged passages keep their vectors
    stored = {pid: as_numpy(vector) for pid, vector in index.query(
        "SELECT passage_id, embedding FROM idx_passages WHERE passage_id = ANY(%s)", (ids,))}
    vectors = _encode(index, passages, stored, writer.batch_size)
    sentences = sentence_vectors(index.encoder, passages, stored_sentences(index.query, ids), writer.batch_size,
                                 _quiet)
    tokens = [passage_tokens(p) for p in passages]
    terms = sorted({t for ts in tokens for t in ts})
    db.execute("INSERT INTO idx_terms (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (terms,))
    term_ids: dict[str, int] = dict(
        db.execute("SELECT term, id FROM idx_terms WHERE term = ANY(%s)", (terms,)).fetchall())
    rows = []
    for passage, words in zip(passages, tokens, strict=True):
        counts = Counter(term_ids[t] for t in words)
        weights = bm25_weights(counts, len(words), writer.average)
        rows.append((passage.passage_id, doc_ids[passage.doc_key], passage.ordinal, passage.text, passage.teaser,
                     passage.context, len(words), sorted(counts), vectors[passage.passage_id],
                     SparseVector(weights, SPARSE_DIM)))
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO idx_passages (passage_id, doc_id, ordinal, text, teaser, teaser_title, length, terms, "
            "embedding, lexical) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    write_sentences(db, ids, sentences)
    return len(passages) - len(stored)


def _encode(index: PostgresIndex, passages: list[Passage], stored: dict[int, np.ndarray],
            batch_size: int) -> dict[int, np.ndarray]:
    """A vector per passage: stored ones reused, the rest encoded."""
    vectors = {p.passage_id: stored[p.passage_id] for p in passages if p.passage_id in stored}
    missing = [p for p in passages if p.passage_id not in stored]
    for start in range(0, len(missing), ENCODE_CHUNK):
        chunk = missing[start : start + ENCODE_CHUNK]
        encoded = index.encoder.encode([p.searchable for p in chunk], kind="passage", batch_size=batch_size)
        vectors.update({p.passage_id: encoded[i] for i, p in enumerate(chunk)})
    return vectors


def bm25_weights(counts: Counter[int], length: int, average: float) -> dict[int, float]:
    """A passage's BM25 term weights (without idf), its MAX_TERMS best when it has more."""
    norm = K1 * (1 - B + B * length / (average or 1.0))
    weights = {term: tf / (tf + norm) for term, tf in counts.items()}
    if len(weights) > MAX_TERMS:
        weights = dict(sorted(weights.items(), key=lambda item: -item[1])[:MAX_TERMS])
    return weights


def _quiet(_: BuildProgress) -> None:
    """A chunk's sentence encoding: the reindex reports its progress a batch at a time."""


def _count_accents(db: psycopg.Connection, removed: list[str], added: list[str]) -> None:
    """Each accented form's count, changed by only the forms a batch removes or adds."""
    delta = count_forms(added)
    delta.subtract(count_forms(removed))
    changed = {form: n for form, n in delta.items() if n}
    db.execute("INSERT INTO idx_accent_counts SELECT * FROM unnest(%s::text[], %s::int[]) ON CONFLICT (form) "
               "DO UPDATE SET count = idx_accent_counts.count + excluded.count",
               (list(changed), list(changed.values())))
    db.execute("DELETE FROM idx_accent_counts WHERE count <= 0 AND form = ANY(%s)", (list(changed),))

