"""The PostgreSQL home: one database every replica reads and writes, with admins' originals kept in it."""

from __future__ import annotations

from collections.abc import Callable

from embeddings import Encoder
from retriever.index.backend import IndexBackend
from retriever.index.home import HomeConfig
from retriever.index.postgres.index import PostgresIndex
from retriever.index.postgres.originals import PendingOriginals
from retriever.index.postgres.sync import sync
from retriever.models import BuildProgress, BuildReport
from retriever.originals import Originals


class PostgresHome:
    shared = True

    def __init__(self, config: HomeConfig, encoder: Encoder) -> None:
        self.config = config
        self.encoder = encoder
        self._index: PostgresIndex | None = None  # connected on first use: `tracuu --help` needs no database
        self._pending: PendingOriginals | None = None

    @property
    def index(self) -> PostgresIndex:
        if self._index is None:
            self._index = PostgresIndex(self.config.database_url, self.encoder)
        return self._index

    def missing(self) -> str | None:
        return None  # an empty database is an empty collection, not a missing one

    def has_index(self) -> bool:
        # the database holds it: a replica's own disk may be full or read-only
        return self.index.read_info().passages > 0

    def open(self, loaded: IndexBackend | None) -> IndexBackend:
        index = self.index
        index.info = index.read_info()  # one database for every replica: a reindex elsewhere shows here
        return index

    def update(self, progress: Callable[[BuildProgress], None] | None, *, rebuild: bool, repair: bool,
               wait: bool, prune: bool) -> BuildReport:
        """The data folder is imported with what admins added or removed; `prune` also removes the
        folder's own documents that are gone from it. `repair` is the local home's: a database written
        with another encoder is refused when connecting (`PostgresIndex`)."""
        pending = self._originals().snapshot()
        report = sync(self.index, self.config.data_dir, self.config.batch_size, rebuild, progress, wait,
                      self.config.ocr, pending=pending, prune=prune)
        self._originals().done(pending)
        return report

    def fold(self) -> bool:
        return False  # PostgreSQL's indexes take new rows as they come

    def _originals(self) -> PendingOriginals:
        if self._pending is None:
            self._pending = PendingOriginals(self.index.query)
        return self._pending

    @property
    def originals(self) -> Originals:
        return self._originals()

    def counts(self, loaded: IndexBackend | None) -> tuple[int, int] | None:
        """Read from the database, which another replica may have changed since this one loaded it."""
        if self._index is None:
            return None
        info = self._index.info = self._index.read_info()
        return info.documents, info.passages

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self._index = None
        self._pending = None
