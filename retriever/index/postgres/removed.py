"""Removed passages in PostgreSQL: `idx_removed (passage_id, ord, removed_at, embedding halfvec(dim))`, the
same vectors as the local index keeps in its `removed` table (`retriever.index.removed`: the passage
vector at ord 0, its sentences after it, int8 there, stored here as unit halfvecs), so both backends
abstain on the same questions. The reindex writes them in the transaction that deletes the documents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np
import psycopg
from pgvector import HalfVector

from retriever.index.postgres.sentences import as_numpy
from retriever.index.removed import REMEMBERED, Removed
from retriever.index.sentences import unit_vectors

# the removed passages of these files' documents that are not among `kept` (keys still in the files)
GONE = """
SELECT p.passage_id, p.embedding,
    ARRAY(SELECT s.embedding FROM idx_sentences s WHERE s.passage_id = p.passage_id ORDER BY s.ord)
FROM idx_passages p JOIN idx_documents d USING (doc_id) WHERE d.path = ANY(%s) AND d.key <> ALL(%s)
"""


def remember(db: psycopg.Connection, paths: list[str], kept: Iterable[str]) -> None:
    """Keep the vectors of the passages of documents about to leave these files (a changed document's
    passages are not kept: its new version answers its questions)."""
    found = db.execute(GONE, (paths, list(kept))).fetchall()
    now = datetime.now(UTC)
    with db.cursor() as cursor, cursor.copy("COPY idx_removed (passage_id, ord, removed_at, embedding) FROM STDIN") \
            as copy:
        for passage_id, vector, sentences in found:
            passage = as_numpy(vector)
            block = np.array([as_numpy(s) for s in sentences]) if sentences else np.zeros((0, len(passage)), np.float32)
            removed = Removed.of(passage_id, now.isoformat(), passage, block)
            for ordinal, unit in enumerate(unit_vectors(removed.vectors)):
                copy.write_row((passage_id, ordinal, now, HalfVector(unit)))


def forget_live_and_old(db: psycopg.Connection) -> None:
    """After a reindex: passages that are live again are forgotten, and all but the most recently removed."""
    db.execute("DELETE FROM idx_removed r USING idx_passages p WHERE r.passage_id = p.passage_id")
    db.execute(
        "DELETE FROM idx_removed WHERE passage_id IN (SELECT passage_id FROM idx_removed GROUP BY passage_id "
        "ORDER BY max(removed_at) DESC, passage_id OFFSET %s)", (REMEMBERED,))
