"""The index backend seam: what search needs from an index, whichever engine holds it.

`retriever.index.local.storage.IndexStore` (FAISS + bm25s + SQLite files) and
`retriever.index.postgres.index.PostgresIndex` (pgvector + sparsevec) both satisfy it; fusion,
abstention, highlighting and rendering are shared above it. `check_encoder` is the rule both keep: an
index is searched and extended only with the encoder that built it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from embeddings import Encoder
from retriever.errors import EncoderMismatchError
from retriever.models import Article, ArticleInfo, IndexInfo


@dataclass(frozen=True)
class Candidates:
    """One query's candidate passages (the union of the dense and the lexical best), each scored by both."""

    rows: np.ndarray  # int64, ascending
    dense: np.ndarray  # exact cosine of each row's vector with the query's
    lexical: np.ndarray  # BM25 of each row for the query's tokens
    # the query's best cosine with a removed document's passage or sentence vectors (-1: none remembered;
    # see `retriever.index.removed`)
    removed: float = -1.0


class IndexBackend(Protocol):
    info: IndexInfo

    def candidates(self, tokens: Sequence[list[str]], vectors: np.ndarray, depth: int) -> list[Candidates]:
        """For each query (its lexical tokens and its vector), the `depth` best rows by each ranker."""
        ...

    def passage_rows(self, rows: list[int]) -> dict[int, tuple]:
        """row -> (text, teaser, teaser_title, doc_id, title, date, source, path, url, passage_id)."""
        ...

    def passages_by_id(self, passage_ids: list[int]) -> dict[int, tuple]:
        """passage_id -> the same tuple as `passage_rows`; a passage no longer indexed is absent."""
        ...

    def accents(self, folded: list[str]) -> dict[str, str]:
        """Most frequent accented form of each folded syllable (pair) the collection knows."""
        ...

    def sentence_cosines(self, rows: np.ndarray, vector: np.ndarray) -> list[np.ndarray] | None:
        """Cosine of the query with each stored sentence vector of each row; None: the backend stores none."""
        ...

    def row_vectors(self, rows: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each row's passage vector (len(rows), dim) and its stored sentence vectors (float32 as stored:
        scale them to unit length; none for a passage of one sentence, whose vector is the passage's)."""
        ...

    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 idf of each token; a token the collection never uses gets the rarest possible idf."""
        ...

    def articles(self) -> list[ArticleInfo]: ...

    def article(self, doc_id: int) -> Article | None: ...

    def close(self) -> None: ...


def check_encoder(manifest: dict, encoder: Encoder) -> None:
    """An index is only ever searched or extended with vectors of the backend and model that built it:
    the same model in another backend (4-bit vs float32) gives vectors that drift apart."""
    built = (manifest.get("backend"), manifest.get("model"), manifest.get("quantization"), manifest.get("dim"))
    ours = (encoder.backend, encoder.model, encoder.quantization, encoder.dim)
    if built != ours:
        raise EncoderMismatchError(
            f"The index was built with {built[1]} ({built[0]}, {built[2]}, {built[3]}d) but the encoder is "
            f"{ours[1]} ({ours[0]}, {ours[2]}, {ours[3]}d): rebuild with `tracuu index --rebuild` "
            "or set EMBEDDING_BACKEND/EMBEDDING_MODEL back."
        )
