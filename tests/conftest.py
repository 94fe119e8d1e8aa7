"""Shared fixtures. Real models are loaded once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DATA = ROOT / "data"


@pytest.fixture(scope="session")
def e5():
    from embeddings import load_encoder

    return load_encoder("intfloat/multilingual-e5-small")


@pytest.fixture(scope="session")
def seed_library(e5, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The default collection indexed once with the default encoder (read-only for tests)."""
    from retriever.library import Library, LibraryConfig

    root = tmp_path_factory.mktemp("seed")
    shutil.copytree(SEED_DATA, root / "data")
    library, _ = Library.open(LibraryConfig(root / "data", root / "index"), e5)
    yield library


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SEED_DATA, target)
    return target
