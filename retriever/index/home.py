"""Where the collection's index lives: one home per backend, picked once from the configuration.

`Library` picks its home once (`retriever.library.home_for`) and never asks which backend it is: the
local home keeps generations of files in a folder (`retriever.index.local.home`), the PostgreSQL home one
database every replica shares (`retriever.index.postgres.home`). Search itself goes through the
`IndexBackend` a home opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from retriever.index.backend import IndexBackend
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport
from retriever.originals import Originals


@dataclass(frozen=True)
class HomeConfig:
    """Where the index lives and how it is built: the part of `retriever.library.LibraryConfig` a home reads."""

    data_dir: Path
    index_dir: Path
    dense_index: str = "auto"
    batch_size: int = 32
    # set: the index lives in this PostgreSQL database (retriever/index/postgres/index.py), not in index_dir
    database_url: str = ""
    ocr: OcrOptions = OcrOptions()  # scans and photos (retriever/ingest/ocr.py)
    build_memory_mb: int = 0  # what a local build may hold at once (retriever.index.local.budget); 0: machine-sized
    # the bot, and `tracuu index` (which waits for it): an update past the delta's bound is swapped in,
    # then folded in a thread of its own (retriever.index.local.fold); other commands fold within the update
    fold_in_background: bool = False


class IndexHome(Protocol):
    # another process may change the index (replicas sharing a database): what is loaded is opened
    # again after every update, even one that found nothing to do here
    shared: bool

    def missing(self) -> str | None:
        """Why there is nothing to load without building first (a folder with no index), or None."""
        ...

    def has_index(self) -> bool:
        """Whether an index with passages is there to answer from while an update cannot be written."""
        ...

    def open(self, loaded: IndexBackend | None) -> IndexBackend:
        """The index as it is now; `loaded` is the one served until now, which the home may reuse."""
        ...

    def update(self, progress: Callable[[BuildProgress], None] | None, *, rebuild: bool, repair: bool,
               wait: bool, prune: bool) -> BuildReport:
        """Bring the index up to date with the data folder and what admins added or removed."""
        ...

    def fold(self) -> bool:
        """Fold what updates appended into the main index; True when there is a new index to open."""
        ...

    @property
    def originals(self) -> Originals:
        """Where admins' uploads, links and feed items are kept until (and after) the next update."""
        ...

    def counts(self, loaded: IndexBackend | None) -> tuple[int, int] | None:
        """Documents and passages now, when the home knows better than the index it loaded (None)."""
        ...

    def close(self) -> None: ...

