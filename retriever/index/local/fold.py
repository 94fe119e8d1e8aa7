"""Folding a delta into a new main apart from the update that took it past its bound.

An update written as a delta costs about a second at a million passages whatever the collection
(`retriever.index.local.patch`), but once the delta passes its bound the next update was a full
generation: 35 to 39 s at 926k passages (`python -m cProfile` on one: 11 s BM25 scored again, 4.7 s
every passage's row read, 4.4 s the vectors copied, 3.1 s FAISS extended, 3.7 s the catalog), every
few hundred additions. A running bot instead writes that update as a delta too (up to twice the bound,
`build_index(defer_fold=True)`) and folds here, in the background, while it keeps answering and taking
updates: the same collection as the live generation, every file's stored parse taken as it is (no file
is read), written as a full generation without the build lock, and swapped in only if the live
generation is still the one it folded. An update that swapped in meanwhile wins, and the fold is
dropped (the next update past the bound asks for another).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from embeddings import Encoder
from retriever.errors import TraCuuError
from retriever.index.local.budget import BuildBudget
from retriever.index.local.build import FILE_STATES, full_generation, seal
from retriever.index.local.changes import CHANGES
from retriever.index.local.generations import current_generation, swap_in
from retriever.index.local.lock import WAIT, build_lock
from retriever.index.local.previous import Previous
from retriever.index.local.segments import has_delta
from retriever.index.local.storage import IndexStore
from retriever.index.sources import FileStates
from retriever.ingest.files import DEFAULT_OCR
from retriever.models import BuildProgress

log = logging.getLogger(__name__)


def _quiet(_: BuildProgress) -> None:
    pass


def fold_index(
    index_dir: Path,
    encoder: Encoder,
    *,
    dense_index: str = "auto",
    batch_size: int = 32,
    build_memory_mb: int = 0,
    lock_wait: float = WAIT,
) -> bool:
    """Fold the live generation's delta and changes into a new main; whether it was swapped in."""
    try:
        old = IndexStore.open(index_dir, encoder, mapped=True)
    except TraCuuError as error:
        log.warning("the index was not folded: %s", error)
        return False
    generation: Path | None = None
    swapped = False
    try:
        if not has_delta(old.generation) and not (old.generation / CHANGES).is_file():
            return False
        files = dict(old.query("SELECT path, content_hash FROM files"))
        # never read: each file is unchanged, so its stored parse and passages are taken as they are
        paths = sorted(index_dir / relative for relative in files)
        now = datetime.now(UTC)
        generation = index_dir / f"gen-{now:%Y%m%dT%H%M%S-%f}"
        generation.mkdir()
        budget = BuildBudget(build_memory_mb) if build_memory_mb > 0 else BuildBudget.for_machine()
        _, _, _, manifest = full_generation(
            generation, now, (paths, index_dir, files, []), old, Previous(old), encoder, _quiet, DEFAULT_OCR,
            (dense_index, batch_size, budget), {}, fold=True,
        )
        # the same collection: the live generation's fingerprint, and its files' states
        seal(generation, manifest, (old.manifest["fingerprint"], old.manifest.get("parser_version")),
             FileStates.load(old.generation / FILE_STATES), old.manifest.get("skipped", []))
        with build_lock(index_dir, lock_wait) as unwritable:
            if unwritable is not None:
                raise unwritable
            if current_generation(index_dir) != old.generation.resolve():
                log.info("an update was swapped in while the index was folded: the fold is dropped")
                return False
            swap_in(index_dir, generation)
            swapped = True
        log.info("the index's delta was folded into %s", generation.name)
        return True
    except (TraCuuError, OSError, sqlite3.Error) as error:
        # an update that swapped in meanwhile may have removed the generation being read or written
        log.warning("the index was not folded, it is served as it is: %s", error)
        return False
    finally:
        old.close()
        if generation is not None and not swapped:
            shutil.rmtree(generation, ignore_errors=True)


class BackgroundFold:
    """Runs `fold` in a thread of its own when asked; asked while it runs, once more after it (the fold
    running may be dropped for the update that asked)."""

    def __init__(self, fold: Callable[[], None]) -> None:
        self._fold = fold
        self._lock = threading.Lock()
        self._wanted = self._running = False
        self.thread: threading.Thread | None = None  # the last one started

    def ask(self) -> None:
        with self._lock:
            self._wanted = True
            if self._running:
                return
            self._running = True
            self.thread = threading.Thread(target=self._run, name="tracuu-fold", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._running = False
                    return
                self._wanted = False
            try:
                self._fold()
            except Exception:  # the index is served as it is; the next update past the bound asks again
                log.exception("folding the index failed")
