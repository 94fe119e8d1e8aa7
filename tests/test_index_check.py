"""The catalog's page check at open: skipped for the file the build wrote, done again once it changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from retriever.errors import IndexCorruptError
from retriever.index.local import check
from retriever.index.local.build import build_index
from retriever.index.local.generations import current_generation
from retriever.index.local.storage import IndexStore
from tests.fakes import HashEncoder


@pytest.fixture
def page_checks(monkeypatch) -> list[Path]:
    checked: list[Path] = []
    real = check._quick_check

    def counted(path: Path) -> str:
        checked.append(path)
        return real(path)

    monkeypatch.setattr(check, "_quick_check", counted)
    return checked


def test_the_catalog_a_build_wrote_opens_without_reading_every_page(data_copy, tmp_path, page_checks):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    (data_copy / "moi.txt").write_text("Bài mới\n\nMột đoạn văn mới về cảng Hải Phòng năm nay.\n", "utf-8")
    assert build_index(data_copy, index, encoder).added == 1  # the update opened the live generation
    IndexStore.open(index, encoder).close()
    assert page_checks == []


def test_a_catalog_changed_after_its_build_is_checked_again(data_copy, tmp_path, page_checks):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    catalog = current_generation(index) / "passages.sqlite"
    os.utime(catalog)  # touched: not the file the build wrote any more
    IndexStore.open(index, encoder).close()
    assert page_checks == [catalog]


def test_a_restored_copy_with_a_damaged_page_is_found(data_copy, tmp_path):
    """A copy keeps the build's mark beside the catalog, but not its inode: the pages are read."""
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    catalog = current_generation(index) / "passages.sqlite"
    raw = bytearray(catalog.read_bytes())
    page = int.from_bytes(raw[16:18], "big")
    middle = (len(raw) // page // 2) * page
    raw[middle : middle + page] = b"\xa5" * page
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(raw))
    shutil.copystat(catalog, damaged)  # the same size and modification time, as `cp -p` keeps them
    os.replace(damaged, catalog)
    with pytest.raises(IndexCorruptError, match="passages.sqlite has damaged pages"):
        IndexStore.open(index, encoder)
