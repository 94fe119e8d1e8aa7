"""Changing one file splits that file again, not the whole collection, unless a repeat makes it necessary."""

from __future__ import annotations

import sqlite3

import pytest

from retriever.index.local import update as update_module
from retriever.index.local.build import build_index
from retriever.index.local.storage import IndexStore, current_generation
from tests.fakes import HashEncoder

SHARED = "Đoạn văn chung của hai bài về cửa khẩu quốc tế Lao Bảo."


@pytest.fixture
def split_paths(monkeypatch) -> list[set[str]]:
    """The files each build split into passages."""
    seen: list[set[str]] = []
    real = update_module.make_passages

    def recording(documents, *args, **kwargs):
        documents = list(documents)
        seen.append({d.path for d in documents})
        return real(documents, *args, **kwargs)

    monkeypatch.setattr(update_module, "make_passages", recording)
    return seen


def _texts(index, encoder) -> list[str]:
    store = IndexStore.open(index, encoder)
    try:
        return [text for (text,) in store.query("SELECT text FROM passages")]
    finally:
        store.close()


def _write(data, name: str, *paragraphs: str) -> None:
    (data / name).write_text("\n\n".join(paragraphs) + "\n", "utf-8")


def test_a_change_splits_only_the_changed_file(tmp_path, split_paths):
    data, index, encoder = tmp_path / "data", tmp_path / "index", HashEncoder()
    data.mkdir()
    for name in "abcd":
        _write(data, f"{name}.txt", f"Bài {name}", f"Đoạn riêng của bài {name} về biên giới.")
    build_index(data, index, encoder)
    _write(data, "b.txt", "Bài b", "Đoạn riêng của bài b, đã sửa.")
    (data / "c.txt").unlink()
    build_index(data, index, encoder)
    assert split_paths[-1] == {"b.txt"}
    texts = _texts(index, encoder)
    assert "Đoạn riêng của bài b, đã sửa." in texts and "Đoạn riêng của bài c về biên giới." not in texts
    assert "Đoạn riêng của bài d về biên giới." in texts


def test_a_repeat_left_out_of_an_unchanged_file_comes_back_to_it(tmp_path, split_paths):
    data, index, encoder = tmp_path / "data", tmp_path / "index", HashEncoder()
    data.mkdir()
    _write(data, "a.txt", "Bài A", SHARED, "Đoạn riêng của bài A.")
    _write(data, "b.txt", "Bài B", "Đoạn riêng của bài B.", SHARED)
    _write(data, "c.txt", "Bài C", "Đoạn riêng của bài C.")
    build_index(data, index, encoder)
    _write(data, "a.txt", "Bài A", "Đoạn riêng của bài A, đã sửa.")
    build_index(data, index, encoder)
    assert "b.txt" in split_paths[-1] and _texts(index, encoder).count(SHARED) == 1
    _write(data, "c.txt", "Bài C", "Đoạn riêng của bài C, đã sửa.")  # no repeat involved any more
    build_index(data, index, encoder)
    assert split_paths[-1] == {"c.txt"} and _texts(index, encoder).count(SHARED) == 1


def test_a_generation_without_its_repeats_recorded_is_split_whole_once(tmp_path, split_paths):
    data, index, encoder = tmp_path / "data", tmp_path / "index", HashEncoder()
    data.mkdir()
    _write(data, "a.txt", "Bài A", SHARED, "Đoạn riêng của bài A.")
    _write(data, "b.txt", "Bài B", "Đoạn riêng của bài B.", SHARED)
    build_index(data, index, encoder)
    db = sqlite3.connect(current_generation(index) / "passages.sqlite")
    db.execute("DROP TABLE duplicates")  # as a generation written before repeats were recorded
    db.commit()
    db.close()
    _write(data, "c.txt", "Bài C", "Đoạn mới của bài C.")  # an addition to it: its catalog is written whole
    build_index(data, index, encoder)
    db = sqlite3.connect(current_generation(index) / "passages.sqlite")
    db.execute("DROP TABLE duplicates")
    db.commit()
    db.close()
    _write(data, "a.txt", "Bài A", "Đoạn riêng của bài A, đã sửa.")
    build_index(data, index, encoder)
    assert split_paths[-1] == {"a.txt", "b.txt", "c.txt"} and _texts(index, encoder).count(SHARED) == 1
    assert "Đoạn mới của bài C." in _texts(index, encoder)


TABLES = (
    "files", "documents", "paragraphs", "passages", "retired", "accent_counts", "accents", "removed", "duplicates",
)


def _catalog(index) -> dict[str, list[tuple]]:
    db = sqlite3.connect(current_generation(index) / "passages.sqlite")
    try:
        columns = {"removed": "passage_id, vectors"}  # not when: the two histories ran a moment apart
        return {
            table: sorted(db.execute(f"SELECT {columns.get(table, '*')} FROM {table}").fetchall())  # noqa: S608
            for table in TABLES
        }
    finally:
        db.close()


def test_a_catalog_updated_in_place_equals_one_written_whole(tmp_path, monkeypatch):
    encoder = HashEncoder()
    data = tmp_path / "data"
    data.mkdir()
    _write(data, "a.txt", "Bài A", SHARED, "Đoạn riêng của bài A.")
    _write(data, "b.txt", "Bài B", "Đoạn riêng của bài B.", SHARED)
    for name in "cdefg":
        _write(data, f"{name}.txt", f"Bài {name}", f"Đoạn riêng của bài {name} về biên giới.")
    every_table = update_module.has_every_table

    def steps(index, whole: bool) -> None:
        if whole:  # as for a catalog from before a table existed: written whole, unchanged files' parses read back
            monkeypatch.setattr(update_module, "has_every_table", lambda _: False)
        build_index(data, index, encoder)
        _write(data, "h.txt", "Bài H", "Đoạn mới của bài H.", SHARED)  # added, with a repeat
        build_index(data, index, encoder)
        _write(data, "c.txt", "Bài c", "Đoạn riêng của bài c, đã sửa.")  # changed
        (data / "d.txt").unlink()  # removed
        build_index(data, index, encoder)
        monkeypatch.setattr(update_module, "has_every_table", every_table)

    originals = {p.name: p.read_text("utf-8") for p in data.iterdir()}
    steps(tmp_path / "in-place", whole=False)
    for path in data.iterdir():
        path.unlink()
    for name, text in originals.items():
        (data / name).write_text(text, "utf-8")
    steps(tmp_path / "whole", whole=True)
    assert _catalog(tmp_path / "in-place") == _catalog(tmp_path / "whole")
    assert "Đoạn riêng của bài c, đã sửa." in _texts(tmp_path / "in-place", encoder)
