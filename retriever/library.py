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
from typing import TYPE_CHECKING

from embeddings import Encoder
from retriever.errors import EmptyQuestionError, IndexBusyError, IndexMissingError, ReindexBusyError
from retriever.explain import explain
from retriever.index.backend import IndexBackend
from retriever.index.local.build import build_index
from retriever.index.local.fold import BackgroundFold, fold_index
from retriever.index.local.storage import IndexStore, current_generation
from retriever.ingest.ocr import OcrOptions
from retriever.ingest.ocr_cache import read_by_ocr
from retriever.models import (
    Article,
    ArticleInfo,
    BuildProgress,
    BuildReport,
    IndexInfo,
    SearchResponse,
)
from retriever.originals import FolderOriginals, Originals
from retriever.query.relevance import CALIBRATION_FILE, EncoderKey, calibration_for
from retriever.query.rerank import Reranker
from retriever.query.search import Searcher, SearchOptions

if TYPE_CHECKING:
    from retriever.index.postgres.index import PostgresIndex
    from retriever.index.postgres.originals import PendingOriginals

log = logging.getLogger(__name__)

# an update that failed for these reasons leaves the previous index whole and servable
UPDATE_FAILURES = (OSError, sqlite3.Error, IndexBusyError)


@dataclass(frozen=True)
class LibraryConfig:
    data_dir: Path
    index_dir: Path
    dense_index: str = "auto"
    batch_size: int = 32
    options: SearchOptions = SearchOptions()
    calibration: Path | None = None  # fitted gate weights; None: `calibration.json` beside the index
    # set: the index lives in this PostgreSQL database (retriever/index/postgres/index.py), not in index_dir
    database_url: str = ""
    ocr: OcrOptions = OcrOptions()  # scans and photos (retriever/ingest/ocr.py)
    build_memory_mb: int = 0  # what a local build may hold at once (retriever.index.local.budget); 0: machine-sized
    # the bot, and `tracuu index` (which waits for it): an update past the delta's bound is swapped in,
    # then folded in a thread of its own (retriever.index.local.fold); other commands fold within the update
    fold_in_background: bool = False


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
        self._postgres: PostgresIndex | None = None
        self._pending: PendingOriginals | None = None

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
        if not config.database_url and current_generation(config.index_dir) is None:
            raise IndexMissingError(
                f"No index in {config.index_dir}. Build one with: tracuu index --index {config.index_dir}"
            )
        library._load()
        return library, None

    def _serve_stale(self, error: BaseException) -> None:
        """The update failed where the data cannot be written (read-only folder, full disk, another build
        holding the lock): an existing index still answers, with a warning, rather than nothing at all."""
        if not self._has_index():
            raise error
        self._load()
        self.stale = explain(error)
        log.warning(
            "the index in %s may be stale: updating it failed (%s); answering from the previous build",
            self.config.index_dir,
            self.stale,
        )

    def _has_index(self) -> bool:
        if self.config.database_url:  # the database holds it: a replica's own disk may be full or read-only
            return self._postgres_index().read_info().passages > 0
        return current_generation(self.config.index_dir) is not None

    @property
    def folding(self) -> threading.Thread | None:
        """The thread of the last fold started in the background (`LibraryConfig.fold_in_background`)."""
        return self._folds.thread

    def _fold_once(self) -> None:
        """Fold the index's delta; answers come from the folded index once it is in."""
        config = self.config
        if self._closed:
            return
        if fold_index(config.index_dir, self.encoder, dense_index=config.dense_index,
                      batch_size=config.batch_size, build_memory_mb=config.build_memory_mb) and not self._closed:
            self._load()

    def _load(self) -> None:
        with self._load_lock:
            self._load_current()

    def _load_current(self) -> None:
        store: IndexBackend
        if self.config.database_url:
            postgres = self._postgres_index()
            postgres.info = postgres.read_info()  # one database for every replica: a reindex elsewhere shows here
            store = postgres
        else:
            # after an update written as a delta segment, the main one already loaded is taken as it is
            previous = self._searcher.store if self._searcher is not None else None
            reuse = previous if isinstance(previous, IndexStore) else None
            store = IndexStore.open(self.config.index_dir, self.encoder, reuse=reuse)
        info = store.info
        fitted = self.config.calibration or self.config.index_dir / CALIBRATION_FILE
        calibrations = calibration_for(EncoderKey(info.backend, info.model, info.quantization), fitted)
        self._searcher = Searcher(store, self.encoder, self.config.options, calibrations, self.reranker)
        self.loads += 1

    def _postgres_index(self) -> PostgresIndex:
        from retriever.index.postgres.index import PostgresIndex

        if self._postgres is None:
            self._postgres = PostgresIndex(self.config.database_url, self.encoder)
        return self._postgres

    @property
    def originals(self) -> Originals:
        """Where admins' uploads, links and feed items are kept until (and after) the next reindex."""
        if self.config.database_url:
            return self._pending_originals()
        return FolderOriginals(self.config.data_dir)

    def _pending_originals(self) -> PendingOriginals:
        from retriever.index.postgres.originals import PendingOriginals

        if self._pending is None:
            self._pending = PendingOriginals(self._postgres_index().query)
        return self._pending

    def counts(self) -> tuple[int, int]:
        """Documents and passages now: with PostgreSQL read from the database, which another replica may
        have changed since this one loaded it."""
        if self.config.database_url and self._postgres is not None:
            info = self._postgres.info = self._postgres.read_info()
            return info.documents, info.passages
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
            if self.config.database_url:
                from retriever.index.postgres.sync import sync

                index = self._postgres_index()
                pending = self._pending_originals().snapshot()
                report = sync(index, self.config.data_dir, self.config.batch_size, rebuild, progress, wait,
                              self.config.ocr, pending=pending, prune=prune)
                self._pending_originals().done(pending)
                self._load()
                self.stale = None
                return report
            report = build_index(
                self.config.data_dir,
                self.config.index_dir,
                self.encoder,
                dense_index=self.config.dense_index,
                batch_size=self.config.batch_size,
                rebuild=rebuild,
                repair=repair,
                progress=progress,
                ocr=self.config.ocr,
                build_memory_mb=self.config.build_memory_mb,
                defer_fold=self.config.fold_in_background,
            )
            if report.unchanged and self._searcher is not None:
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
        elif self._postgres is not None:
            self._postgres.close()
        self._postgres = None
        self._pending = None

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
