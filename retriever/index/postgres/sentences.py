"""Sentence vectors in PostgreSQL: `idx_sentences (passage_id, ord, embedding halfvec(dim))`, the same
vectors as the local index's sentences.npy (`retriever.index.sentences`: int8 there, stored here as unit
halfvecs; none for a passage of one sentence), so both backends rank on the same evidence.

The reindex encodes them only for passages it encodes, or whose stored sentences do not match their
text's (a database migrated from before the table: see `retriever.index.postgres.schema.migrations`); every
other passage of a re-written file gets its stored ones back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
import psycopg
from pgvector import HalfVector

from embeddings import Encoder
from retriever.index.passages import Passage
from retriever.index.sentences import encode_sentences, split_for_vectors, unit_vectors
from retriever.models import BuildProgress

log = logging.getLogger(__name__)

ENCODE_CHUNK = 256  # passages per encoder call, as for the passage vectors
Query = Callable[[str, Sequence[object]], list[tuple]]


def stored_sentences(query: Query, passage_ids: list[int]) -> dict[int, np.ndarray]:
    """passage_id -> its stored sentence vectors (n, dim) float16, for those of these passages stored."""
    found = query("SELECT passage_id, embedding FROM idx_sentences WHERE passage_id = ANY(%s) "
                  "ORDER BY passage_id, ord", (passage_ids,))
    blocks: dict[int, list[np.ndarray]] = {}
    for passage_id, vector in found:
        blocks.setdefault(passage_id, []).append(as_numpy(vector, np.float16))
    return {passage_id: np.stack(block) for passage_id, block in blocks.items()}


def sentence_vectors(encoder: Encoder, passages: list[Passage], stored: dict[int, np.ndarray], batch_size: int,
                     progress: Callable[[BuildProgress], None]) -> dict[int, np.ndarray]:
    """passage_id -> sentence vectors for every passage of several sentences: stored ones reused when
    there are as many as the text has sentences, the others encoded."""
    out: dict[int, np.ndarray] = {}
    missing: list[Passage] = []
    for passage in passages:
        wanted = len(split_for_vectors(passage.text))
        block = stored.get(passage.passage_id)
        if wanted and block is not None and len(block) == wanted:
            out[passage.passage_id] = block
        elif wanted:
            missing.append(passage)
    for start in range(0, len(missing), ENCODE_CHUNK):
        progress(BuildProgress("encoding", start, len(missing)))  # the stages the bot and CLI know
        chunk = missing[start : start + ENCODE_CHUNK]
        blocks = encode_sentences(encoder, [p.text for p in chunk], batch_size)
        out.update({p.passage_id: unit_vectors(block) for p, block in zip(chunk, blocks, strict=True)})
    if missing:
        log.info("sentence vectors encoded for %d passages", len(missing))
    return out


def write_sentences(db: psycopg.Connection, passage_ids: list[int], vectors: dict[int, np.ndarray]) -> None:
    """Insert the sentence rows of these (just inserted) passages; COPY: a first build writes ~2.5 a passage."""
    with db.cursor() as cursor, cursor.copy("COPY idx_sentences (passage_id, ord, embedding) FROM STDIN") as copy:
        for passage_id in passage_ids:
            for ordinal, vector in enumerate(vectors.get(passage_id, ())):
                copy.write_row((passage_id, ordinal, HalfVector(vector)))


def cosines_by_row(found: Sequence[tuple[int, Sequence[float] | None]], rows: np.ndarray) -> list[np.ndarray]:
    """(row, its sentences' cosines in order) pairs as the IndexBackend's list, one array per row of `rows`."""
    by_row = {int(row): cosines for row, cosines in found}
    return [np.asarray(by_row.get(int(row)) or (), dtype=np.float64) for row in rows]


def as_numpy(vector: object, dtype: type = np.float32) -> np.ndarray:
    """A stored vector or halfvec as a numpy array (pgvector returns its own types, or numpy arrays)."""
    to_numpy = getattr(vector, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy else vector, dtype=dtype)
