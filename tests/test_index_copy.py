"""An index copied with `cp -r` (its `current` link became a folder) or restored without the link: the next
update repairs it instead of failing with a raw IsADirectoryError, and answers stay the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retriever.errors import IndexCorruptError
from retriever.index.local.generations import CURRENT, swap_in
from retriever.library import Library, LibraryConfig
from tests.conftest import SeedDirs, copy_writable

QUESTION = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
NEW = "Tin mới\n\nCầu Long Biên dài 2.290 mét, bắc qua sông Hồng.\n"


def _copied(seed_index: SeedDirs, tmp_path: Path) -> tuple[Path, Path]:
    data = copy_writable(seed_index.data, tmp_path / "data")
    index = tmp_path / "index"
    shutil.copytree(seed_index.index, index, symlinks=False)  # what `cp -r` of a followed link gives
    return data, index


def test_an_index_copied_with_its_link_as_a_folder_is_repaired_by_the_next_update(e5, seed_index, tmp_path) -> None:
    data, index = _copied(seed_index, tmp_path)
    assert (index / CURRENT).is_dir() and not (index / CURRENT).is_symlink()
    with pytest.raises(IndexCorruptError, match="cp -r"):
        swap_in(index, index / CURRENT)  # what used to end in IsADirectoryError
    (data / "moi.txt").write_text(NEW, "utf-8")
    library, report = Library.open(LibraryConfig(data, index), e5)
    assert report is not None and report.added == 1 and report.encoded == 1  # updated, not rebuilt
    assert (index / CURRENT).is_symlink()
    assert "2.300 km" in library.search(QUESTION, 1).results[0].text
    assert "2.290 mét" in library.search("Cầu Long Biên dài bao nhiêu mét?", 1).results[0].text
    library.close()


def test_an_index_restored_without_its_link_uses_its_newest_generation(e5, seed_index, tmp_path) -> None:
    data = copy_writable(seed_index.data, tmp_path / "data")
    index = copy_writable(seed_index.index, tmp_path / "index")
    (index / CURRENT).unlink()
    library, report = Library.open(LibraryConfig(data, index), e5)
    assert report is not None and report.unchanged and report.encoded == 0
    assert "2.300 km" in library.search(QUESTION, 1).results[0].text
    library.close()
