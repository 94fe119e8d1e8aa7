"""The local home: generations of index files in a folder that mirrors the data folder."""

from __future__ import annotations

from collections.abc import Callable

from embeddings import Encoder
from retriever.index.backend import IndexBackend
from retriever.index.home import HomeConfig
from retriever.index.local.build import build_index
from retriever.index.local.fold import fold_index
from retriever.index.local.generations import current_generation
from retriever.index.local.storage import IndexStore
from retriever.models import BuildProgress, BuildReport
from retriever.originals import FolderOriginals, Originals


class LocalHome:
    shared = False

    def __init__(self, config: HomeConfig, encoder: Encoder) -> None:
        self.config = config
        self.encoder = encoder

    def missing(self) -> str | None:
        index_dir = self.config.index_dir
        if current_generation(index_dir) is None:
            return f"No index in {index_dir}. Build one with: tracuu index --index {index_dir}"
        return None

    def has_index(self) -> bool:
        return current_generation(self.config.index_dir) is not None

    def open(self, loaded: IndexBackend | None) -> IndexBackend:
        # after an update written as a delta segment, the main one already loaded is taken as it is
        reuse = loaded if isinstance(loaded, IndexStore) else None
        return IndexStore.open(self.config.index_dir, self.encoder, reuse=reuse)

    def update(self, progress: Callable[[BuildProgress], None] | None, *, rebuild: bool, repair: bool,
               wait: bool, prune: bool) -> BuildReport:
        """The folder is mirrored whole: what is gone from it is gone from the index (`prune` is always
        so); a build already running elsewhere is waited for by the lock either way."""
        config = self.config
        return build_index(
            config.data_dir,
            config.index_dir,
            self.encoder,
            dense_index=config.dense_index,
            batch_size=config.batch_size,
            rebuild=rebuild,
            repair=repair,
            progress=progress,
            ocr=config.ocr,
            build_memory_mb=config.build_memory_mb,
            defer_fold=config.fold_in_background,
        )

    def fold(self) -> bool:
        config = self.config
        return fold_index(config.index_dir, self.encoder, dense_index=config.dense_index,
                          batch_size=config.batch_size, build_memory_mb=config.build_memory_mb)

    @property
    def originals(self) -> Originals:
        return FolderOriginals(self.config.data_dir)

    def counts(self, loaded: IndexBackend | None) -> tuple[int, int] | None:
        return None  # what this replica loaded is all there is

    def close(self) -> None:
        pass  # the loaded index's files are closed with it
