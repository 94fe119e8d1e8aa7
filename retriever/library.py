"""The collection as the edges see it: search, browse, reindex with an atomic swap.

`Library` is thread-safe: searches run in worker threads while a reindex builds a new
generation beside the old one; the swap is a single reference assignment.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from embeddings import Encoder
from retriever.errors import EmptyQuestionError, IndexBusyError, IndexMissingError, ReindexBusyError
from retriever.explain import explain
from retriever.index.home import HomeConfig, IndexHome
from retriever.index.local.fold import BackgroundFold
from retriever.ingest.ocr_cache import read_by_ocr
from retriever.models import (
    Article,
    ArticleInfo,
    BuildProgress,
    BuildReport,
    IndexInfo,
    SearchResponse,
)
from retriever.originals import Originals
from retriever.query.options import SearchOptions
from retriever.query.relevance import CALIBRATION_FILE, EncoderKey, calibration_for
from retriever.query.rerank import Reranker
from retriever.query.search import Searcher

log = logging.getLogger(__name__)

# an update that failed for these reasons leaves the previous index whole and servable
UPDATE_FAILURES = (OSError, sqlite3.Error, IndexBusyError)


@dataclass(frozen=True)
class LibraryConfig(HomeConfig):
    """Where the index lives (`HomeConfig`), and how it is searched."""

    options: SearchOptions = SearchOptions()
    calibration: Path | None = None  # fitted gate weights; None: `calibration.json` beside the index


def home_for(config: HomeConfig, encoder: Encoder) -> IndexHome:
    """A database URL puts the index in PostgreSQL; otherwise it lives in `index_dir`. The PostgreSQL
    home is imported only when used: a local install need not load its driver."""
    if config.database_url:
        from retriever.index.postgres.home import PostgresHome

        return PostgresHome(config, encoder)
    from retriever.index.local.home import LocalHome

    return LocalHome(config, encoder)


class Library:
    def __init__(self, config: LibraryConfig, encoder: Encoder, reranker: Reranker | None = None) -> None:
        self.config = config
        self.encoder = encoder
        self.reranker = reranker
        self._searcher: Searcher | None = None
        # how many times an index was loaded: a reindex or a replica's update makes a new one, and what
        # was cached from the old one (inline answers by question) is stale
        self.loads = 0
        self._reindex_lock = threading.Lock()
        self._load_lock = threading.Lock()  # a reindex's reload and a fold's: the later one opens the newer
        self._folds = BackgroundFold(self._fold_once)
        self._closed = False  # a fold that ends after `close` does not load the index again
        # why the index being served is older than the data (a failed update), or None when it is not
        self.stale: str | None = None
        self.home: IndexHome = home_for(config, encoder)

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def open(
        cls,
        config: LibraryConfig,
        encoder: Encoder,
        *,
        refresh: bool = True,
        rebuild: bool = False,
        repair: bool = False,
        prune: bool = False,
        progress: Callable[[BuildProgress], None] | None = None,
        reranker: Reranker | None = None,
    ) -> tuple[Library, BuildReport | None]:
        """Load the index. With `refresh`, first build or update it from the data folder (cheap when
        nothing changed); without, a missing index is an error. A damaged index, or one built with
        another encoder, is an error unless `repair` (or `rebuild`) allows replacing it. `prune`: see
        `reindex`."""
        library = cls(config, encoder, reranker)
        if refresh or rebuild:
            try:
                # replicas starting together: the first indexes, the others wait for it
                return library, library.reindex(progress, rebuild=rebuild, repair=repair, wait=True, prune=prune)
            except UPDATE_FAILURES as error:
                library._serve_stale(error)
                return library, None
        missing = library.home.missing()
        if missing:
            raise IndexMissingError(missing)
        library._load()
        return library, None

    def _serve_stale(self, error: BaseException) -> None:
        """The update failed where the data cannot be written (read-only folder, full disk, another build
        holding the lock): an existing index still answers, with a warning, rather than nothing at all."""
        if not self.home.has_index():
            raise error
        self._load()
        self.stale = explain(error)
        log.warning(
            "the index in %s may be stale: updating it failed (%s); answering from the previous build",
            self.config.index_dir,
            self.stale,
        )

    @property
    def folding(self) -> threading.Thread | None:
        """The thread of the last fold started in the background (`LibraryConfig.fold_in_background`)."""
        return self._folds.thread

    def _fold_once(self) -> None:
        """Fold the index's delta; answers come from the folded index once it is in."""
        if not self._closed and self.home.fold() and not self._closed:
            self._load()

    def _load(self) -> None:
        with self._load_lock:
            self._load_current()

    def _load_current(self) -> None:
        store = self.home.open(self._searcher.store if self._searcher is not None else None)
        info = store.info
        fitted = self.config.calibration or self.config.index_dir / CALIBRATION_FILE
        calibrations = calibration_for(EncoderKey(info.backend, info.model, info.quantization), fitted)
        self._searcher = Searcher(store, self.encoder, self.config.options, calibrations, self.reranker)
        self.loads += 1

    @property
    def originals(self) -> Originals:
        """Where admins' uploads, links and feed items are kept until (and after) the next reindex."""
        return self.home.originals

    def counts(self) -> tuple[int, int]:
        """Documents and passages now: with PostgreSQL read from the database, which another replica may
        have changed since this one loaded it."""
        counted = self.home.counts(self._searcher.store if self._searcher is not None else None)
        if counted is not None:
            return counted
        info = self.info()
        return info.documents, info.passages

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            raise IndexMissingError("The index is not loaded yet.")
        return self._searcher

    @property
    def reindexing(self) -> bool:
        return self._reindex_lock.locked()

    def reindex(
        self,
        progress: Callable[[BuildProgress], None] | None = None,
        *,
        rebuild: bool = False,
        repair: bool = True,
        wait: bool = False,
        prune: bool = False,
    ) -> BuildReport:
        """Build a new generation and swap it in; the old one keeps serving on failure. With `repair`
        a damaged index, or one built with another encoder, is replaced instead of being an error.
        PostgreSQL: the data folder is imported with what admins added or removed; `prune` also removes
        the folder's own documents that are gone from it (the local backend always mirrors its folder)."""
        if not self._reindex_lock.acquire(blocking=False):
            raise ReindexBusyError("A reindex is already running.")
        try:
            report = self.home.update(progress, rebuild=rebuild, repair=repair, wait=wait, prune=prune)
            if report.unchanged and self._searcher is not None and not self.home.shared:
                return report
            self._load()
            self.stale = None
            # a start or a build that changed nothing loads the index as it was: not news for the log
            log.log(logging.DEBUG if report.unchanged else logging.INFO,
                    "index swapped in: %d documents, %d passages", report.documents, report.passages)
            if report.fold_due:
                self._folds.ask()
            return report
        finally:
            self._reindex_lock.release()

    # -- reading ---------------------------------------------------------
    def search(self, question: str, k: int = 3) -> SearchResponse:
        started = time.perf_counter()
        response = self.marked(self.searcher.search(question, k))
        return replace(response, query_ms=(time.perf_counter() - started) * 1000)

    def search_many(self, questions: Sequence[str], k: int = 3) -> list[SearchResponse | EmptyQuestionError]:
        """`Searcher.search_many`; each response's `query_ms` is the whole batch's time."""
        started = time.perf_counter()
        found = self.searcher.search_many(questions, k)
        elapsed = (time.perf_counter() - started) * 1000
        return [r if isinstance(r, EmptyQuestionError) else replace(self.marked(r), query_ms=elapsed) for r in found]

    def marked(self, response: SearchResponse) -> SearchResponse:
        """Quotes from text read by OCR say so (the OCR result is kept beside the data: one stat per quote)."""
        if not any(read_by_ocr(self.config.data_dir, r.document) for r in response.results):
            return response
        results = tuple(replace(r, ocr=read_by_ocr(self.config.data_dir, r.document)) for r in response.results)
        return replace(response, results=results)

    def close(self) -> None:
        """Release the loaded index (files, SQLite connection); searching again needs a new Library."""
        self._closed = True
        if self._searcher is not None:
            self._searcher.store.close()
            self._searcher = None
        self.home.close()

    def info(self) -> IndexInfo:
        return self.searcher.store.info

    def articles(self) -> list[ArticleInfo]:
        return self.searcher.store.articles()

    def article(self, doc_id: int) -> Article | None:
        return self.searcher.store.article(doc_id)

    def passages(self, passage_ids: list[int]) -> dict[int, tuple]:
        """passage_id -> (text, teaser, teaser_title, doc_id, title, date, source, path, url, passage_id) of
        those still in the collection: what answers' buttons show, re-read at every press."""
        return self.searcher.store.passages_by_id(passage_ids)
