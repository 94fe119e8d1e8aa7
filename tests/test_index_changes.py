"""Changing one file splits that file again, not the whole collection, unless a repeat makes it necessary."""

from __future__ import annotations

import sqlite3

import pytest

from retriever.index.local import build as build_module
from retriever.index.local import patch as patch_module
from retriever.index.local import update as update_module
from retriever.index.local.build import build_index
from retriever.index.local.changes import connect
from retriever.index.local.generations import current_generation
from retriever.index.local.storage import IndexStore
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

    # an update written in full, and one written as changes (`retriever.index.local.patch`)
    monkeypatch.setattr(update_module, "make_passages", recording)
    monkeypatch.setattr(patch_module, "make_passages", recording)
    return seen


@pytest.fixture
def patched(monkeypatch) -> list[bool]:
    """For each update, whether it was written as changes (`retriever.index.local.patch`)."""
    seen: list[bool] = []
    real = build_module.patch_catalog

    def recording(*args, **kwargs):
        found = real(*args, **kwargs)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(build_module, "patch_catalog", recording)
    return seen


def _texts(index, encoder) -> list[str]:
    store = IndexStore.open(index, encoder)
    try:
        return [text for (text,) in store.query("SELECT text FROM passages")]
    finally:
        store.close()


def _write(data, name: str, *paragraphs: str) -> None:
    (data / name).write_text("\n\n".join(paragraphs) + "\n", "utf-8")


def indexed(tmp_path, names: str):
    """A file of one paragraph for each of `names`, indexed: the data folder, the index, the encoder."""
    data, index, encoder = tmp_path / "data", tmp_path / "index", HashEncoder()
    data.mkdir()
    for name in names:
        _write(data, f"{name}.txt", f"Bài {name}", f"Đoạn riêng của bài {name} về biên giới.")
    build_index(data, index, encoder)
    return data, index, encoder


def test_a_change_splits_only_the_changed_file(tmp_path, split_paths):
    data, index, encoder = indexed(tmp_path, "abcd")
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
    "files", "documents", "paragraphs", "passages", "retired", "accent_counts", "accents", "accent_folds", "removed",
    "duplicates",
)


def _catalog(index) -> dict[str, list[tuple]]:
    """Every table as a reader sees it: through the changes, where the generation has them."""
    db = connect(current_generation(index) / "passages.sqlite")
    try:
        columns = {"removed": "passage_id, vectors"}  # not when: the histories ran a moment apart
        return {
            table: sorted(db.execute(f"SELECT {columns.get(table, '*')} FROM {table}").fetchall())  # noqa: S608
            for table in TABLES
        }
    finally:
        db.close()


@pytest.mark.parametrize("way", ["in place", "whole"])
def test_a_catalog_written_as_changes_equals_one_updated_in_place_or_written_whole(tmp_path, monkeypatch, way, patched):
    encoder = HashEncoder()
    data = tmp_path / "data"
    data.mkdir()
    _write(data, "a.txt", "Bài A", SHARED, "Đoạn riêng của bài A.")
    _write(data, "b.txt", "Bài B", "Đoạn riêng của bài B.", SHARED)
    for name in "cdefgjklmnopq":  # enough that retired rows stay under a fifth: none renumbered
        _write(data, f"{name}.txt", f"Bài {name}", f"Đoạn riêng của bài {name} về biên giới.")
    originals = {p.name: p.read_text("utf-8") for p in data.iterdir()}

    def steps(index) -> None:
        for path in data.iterdir():
            path.unlink()
        for name, text in originals.items():
            (data / name).write_text(text, "utf-8")
        build_index(data, index, encoder)
        _write(data, "h.txt", "Bài H", "Đoạn mới của bài H.", SHARED)  # added, with a repeat
        build_index(data, index, encoder)
        _write(data, "c.txt", "Bài c", "Đoạn riêng của bài c, đã sửa.")  # changed
        (data / "d.txt").unlink()  # removed
        build_index(data, index, encoder)
        # another form of "biên giới", more frequent for a while: the best form changes, then changes back
        _write(data, "i.txt", "Bài I", ", ".join(["Biền giói"] * 20) + ".")
        build_index(data, index, encoder)
        store = IndexStore.open(index, encoder)
        assert store.accents(["bien gioi", "gioi"]) == {"bien gioi": "biền giói", "gioi": "giói"}
        store.close()
        _write(data, "h.txt", "Bài H", "Đoạn mới của bài H, sửa lại.", SHARED)  # changed again, in the changes
        build_index(data, index, encoder)
        (data / "i.txt").unlink()
        build_index(data, index, encoder)

    steps(tmp_path / "changes")
    assert patched == [True] * 5  # every update after the first build was written as changes
    monkeypatch.setattr(build_module, "patch_catalog", lambda *args, **kwargs: None)
    if way == "whole":  # as for a catalog that cannot be copied: written whole, unchanged files' parses read back
        monkeypatch.setattr(update_module, "can_copy", lambda _: False)
    steps(tmp_path / way)
    assert _catalog(tmp_path / "changes") == _catalog(tmp_path / way)
    assert _catalog(tmp_path / "changes")["accents"] == _catalog(tmp_path / way)["accents"]
    store = IndexStore.open(tmp_path / "changes", encoder)
    assert store.accents(["bien gioi", "gioi"]) == {"bien gioi": "biên giới", "gioi": "giới"}
    store.close()
    texts = _texts(tmp_path / "changes", encoder)
    assert "Đoạn riêng của bài c, đã sửa." in texts and "Đoạn riêng của bài d về biên giới." not in texts
    assert "Đoạn mới của bài H, sửa lại." in texts and texts.count(SHARED) == 1


def test_a_catalog_from_before_the_accent_folds_is_updated_in_place_once_then_as_changes(tmp_path, patched):
    data, index, encoder = indexed(tmp_path, "abcdefgh")
    db = sqlite3.connect(current_generation(index) / "passages.sqlite")
    db.execute("DROP TABLE accent_folds")  # as a catalog written before the table existed
    db.commit()
    db.close()
    for name in "ij":
        _write(data, f"{name}.txt", f"Bài {name}", f"Đoạn mới của bài {name} về cửa khẩu biên giới.")
        assert build_index(data, index, encoder).added == 1
    assert patched == [False, True]
    store = IndexStore.open(index, encoder)
    assert store.accents(["bien gioi", "cua khau"]) == {"bien gioi": "biên giới", "cua khau": "cửa khẩu"}
    assert len(store.articles()) == 10
    store.close()
