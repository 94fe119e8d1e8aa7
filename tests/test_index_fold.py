"""An update past the delta's bound: a serving process writes it as a delta too and folds apart from it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from retriever.index.local import delta as delta_module
from retriever.index.local import fold as fold_module
from retriever.index.local.build import build_index
from retriever.index.local.changes import CHANGES, connect
from retriever.index.local.fold import BackgroundFold, fold_index
from retriever.index.local.generations import current_generation
from retriever.index.local.segments import DELTA
from retriever.index.local.storage import IndexStore
from retriever.library import Library, LibraryConfig
from tests.conftest import SeedDirs
from tests.fakes import HashEncoder
from tests.test_index_delta import BRIDGE, QUESTION


def _generation(index: Path) -> Path:
    generation = current_generation(index)
    assert generation is not None
    return generation


def _folded(generation: Path) -> bool:
    return not (generation / DELTA).exists() and not (generation / CHANGES).exists()


def test_a_serving_library_answers_from_the_delta_then_from_the_folded_index(
    e5, seed_copy: SeedDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, _ = Library.open(LibraryConfig(seed_copy.data, seed_copy.index, fold_in_background=True), e5)
    monkeypatch.setattr(delta_module, "delta_bound", lambda main_rows: 1)  # one row past the main is due
    article = seed_copy.data / "cau-tan-lap.txt"
    article.write_text(BRIDGE.format(length="1.250"), "utf-8")
    report = library.reindex()
    assert report.added == 1 and report.fold_due
    quotes = library.search(QUESTION, 3).results
    assert quotes and quotes[0].document == article.name and "1.250 mét" in quotes[0].text
    assert library.folding is not None
    library.folding.join(timeout=120)
    generation = _generation(seed_copy.index)
    assert _folded(generation) and library.searcher.store.generation == generation  # type: ignore[attr-defined]
    quotes = library.search(QUESTION, 3).results
    assert quotes and quotes[0].document == article.name and "1.250 mét" in quotes[0].text
    library.close()


def test_a_one_off_update_past_the_bound_is_the_fold_itself(data_copy: Path, tmp_path: Path, monkeypatch) -> None:
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    monkeypatch.setattr(delta_module, "delta_bound", lambda main_rows: 1)
    (data_copy / "cau-tan-lap.txt").write_text(BRIDGE.format(length="1.250"), "utf-8")
    report = build_index(data_copy, index, encoder)
    assert report.added == 1 and not report.fold_due and _folded(_generation(index))


def _catalog(index: Path) -> dict[str, list[tuple]]:
    db = connect(_generation(index) / "passages.sqlite")
    try:
        tables = ("documents", "paragraphs", "passages", "files", "accents", "accent_counts", "duplicates")
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall()) for table in tables}  # noqa: S608
    finally:
        db.close()


def _write_more(data: Path) -> None:
    for name in "abc":
        (data / f"them-{name}.txt").write_text(f"Bài {name}\n\nĐoạn mới của bài {name} về cửa khẩu.\n", "utf-8")


def test_a_fold_keeps_the_collection_as_it_was(data_copy: Path, tmp_path: Path, monkeypatch) -> None:
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    monkeypatch.setattr(delta_module, "delta_bound", lambda main_rows: 2)
    _write_more(data_copy)
    assert build_index(data_copy, index, encoder, defer_fold=True).fold_due
    before = _catalog(index)
    assert fold_index(index, encoder)
    assert _folded(_generation(index)) and _catalog(index) == before
    assert build_index(data_copy, index, encoder).unchanged  # the same collection: nothing to do
    assert len(list(index.glob("gen-*"))) == 1


def test_a_fold_is_dropped_when_an_update_was_swapped_in_meanwhile(data_copy: Path, tmp_path: Path, monkeypatch):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    monkeypatch.setattr(delta_module, "delta_bound", lambda main_rows: 2)
    _write_more(data_copy)
    assert build_index(data_copy, index, encoder, defer_fold=True).fold_due
    real = fold_module.full_generation

    def with_an_update_meanwhile(*args, **kwargs):
        done = real(*args, **kwargs)
        (data_copy / "cau-tan-lap.txt").write_text(BRIDGE.format(length="1.250"), "utf-8")
        assert build_index(data_copy, index, encoder, defer_fold=True).added == 1
        return done

    monkeypatch.setattr(fold_module, "full_generation", with_an_update_meanwhile)
    assert not fold_index(index, encoder)
    store = IndexStore.open(index, encoder)
    try:
        assert any("1.250 mét" in text for (text,) in store.query("SELECT text FROM passages"))
    finally:
        store.close()
    assert len(list(index.glob("gen-*"))) == 1


def test_an_update_asking_for_a_fold_while_one_runs_gets_one_more_after_it() -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[int] = []

    def fold() -> None:
        runs.append(len(runs))
        started.set()
        release.wait(timeout=30)

    folds = BackgroundFold(fold)
    folds.ask()
    assert started.wait(timeout=30)
    first = folds.thread
    folds.ask()  # while the first runs: that one may be dropped for the update that asks now
    folds.ask()  # asked twice meanwhile: still one more, not two
    release.set()
    assert first is not None
    first.join(timeout=30)
    assert runs == [0, 1] and folds.thread is first
