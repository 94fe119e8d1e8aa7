"""An added, changed or removed article is written as a small delta segment beside the main index's
linked files; readers see one collection, before and after the delta is folded into a new main."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retriever.errors import IndexCorruptError
from retriever.index.local import delta as delta_module
from retriever.index.local.build import build_index
from retriever.index.local.generations import current_generation
from retriever.index.local.segments import DELTA
from retriever.index.local.storage import IndexStore
from retriever.library import Library, LibraryConfig
from tests.conftest import SeedDirs
from tests.fakes import HashEncoder
from tests.test_index import NEW_ARTICLE

BRIDGE = (
    "Khánh thành cầu Tân Lập bắc qua sông Sê Pôn\n\n"
    "Cầu Tân Lập dài {length} mét, rộng 12 mét, nối huyện Hướng Hóa với tỉnh Savannakhet, được khánh thành "
    "sáng 5/12 sau hai năm thi công.\n\n"
    "Tổng vốn đầu tư của cây cầu là 350 tỷ đồng, do hai chính phủ cùng đóng góp.\n"
)
QUESTION = "Cầu Tân Lập bắc qua sông Sê Pôn dài bao nhiêu mét?"


def _quotes(library: Library) -> list[tuple[str, str]]:
    return [(r.document, r.text) for r in library.search(QUESTION, 3).results]


def _generation(index: Path) -> Path:
    generation = current_generation(index)
    assert generation is not None
    return generation


def test_an_added_changed_and_removed_article_through_a_delta_and_after_it_is_folded(
    e5, seed_copy: SeedDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, _ = Library.open(LibraryConfig(seed_copy.data, seed_copy.index), e5)
    main_faiss = (_generation(seed_copy.index) / "dense.faiss").stat().st_ino
    loaded = library.searcher.store.main  # type: ignore[attr-defined]
    article = seed_copy.data / "cau-tan-lap.txt"

    article.write_text(BRIDGE.format(length="1.250"), "utf-8")
    assert library.reindex().added == 1
    generation = _generation(seed_copy.index)
    # the update wrote only the new rows: the main FAISS index is the same file, linked
    assert (generation / DELTA).is_dir() and (generation / "dense.faiss").stat().st_ino == main_faiss
    assert library.searcher.store.main is loaded  # type: ignore[attr-defined]  # not read again on reload
    quotes = _quotes(library)
    assert quotes and quotes[0][0] == article.name and "1.250 mét" in quotes[0][1]

    article.write_text(BRIDGE.format(length="1.480"), "utf-8")
    assert library.reindex().changed == 1
    quotes = _quotes(library)
    assert quotes and quotes[0][0] == article.name and "1.480 mét" in quotes[0][1]
    assert not any("1.250" in text for _, text in quotes)

    # the next update takes the delta past its bound: it is folded into a new main, and answers stay
    monkeypatch.setattr(delta_module, "DELTA_MIN_ROWS", 0)
    article.write_text(BRIDGE.format(length="1.520"), "utf-8")
    assert library.reindex().changed == 1
    generation = _generation(seed_copy.index)
    assert not (generation / DELTA).exists() and (generation / "dense.faiss").stat().st_ino != main_faiss
    assert library.searcher.store.main is not loaded  # type: ignore[attr-defined]
    quotes = _quotes(library)
    assert quotes and quotes[0][0] == article.name and "1.520 mét" in quotes[0][1]
    assert not any("1.480" in text or "1.250" in text for _, text in quotes)

    article.unlink()
    assert library.reindex().removed == 1
    assert not any(document == article.name for document, _ in _quotes(library))
    library.close()


def test_a_removed_article_of_the_delta_is_never_quoted(e5, seed_copy: SeedDirs) -> None:
    library, _ = Library.open(LibraryConfig(seed_copy.data, seed_copy.index), e5)
    article = seed_copy.data / "cau-tan-lap.txt"
    article.write_text(BRIDGE.format(length="1.250"), "utf-8")
    library.reindex()
    assert _quotes(library)[0][0] == article.name
    article.unlink()
    assert library.reindex().removed == 1
    assert (_generation(seed_copy.index) / DELTA).is_dir()  # its rows are retired in the delta
    assert not any(document == article.name for document, _ in _quotes(library))
    library.close()


def test_a_reader_on_the_previous_generation_keeps_answering_after_the_swap(data_copy: Path, tmp_path: Path) -> None:
    encoder, index = HashEncoder(), tmp_path / "index"
    build_index(data_copy, index, encoder)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    build_index(data_copy, index, encoder)
    reader = IndexStore.open(index, encoder)  # main + delta
    before = reader.query("SELECT COUNT(*) FROM passages")
    (data_copy / "other.txt").write_text(NEW_ARTICLE.replace("Mê Kông", "Hồng").replace("1.200", "800"), "utf-8")
    build_index(data_copy, index, encoder)
    assert not reader.generation.exists()  # its folder is gone; its files are still open
    tokens = [["cay_cau", "cay", "cau"]]
    vectors = encoder.encode(["cây cầu"], kind="query")
    assert len(reader.candidates(tokens, vectors, 5)[0].rows)
    assert reader.query("SELECT COUNT(*) FROM passages") == before
    reader.close()
    fresh = IndexStore.open(index, encoder)
    assert fresh.info.passages == reader.info.passages + 1 and fresh.segmented
    fresh.close()


def test_a_damaged_delta_is_found_at_open_and_rebuilt(data_copy: Path, tmp_path: Path) -> None:
    encoder, index = HashEncoder(), tmp_path / "index"
    build_index(data_copy, index, encoder)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    build_index(data_copy, index, encoder)
    vectors = _generation(index) / DELTA / "vectors.npy"
    os.truncate(vectors, vectors.stat().st_size - 4)
    with pytest.raises(IndexCorruptError, match="delta/vectors.npy"):
        IndexStore.open(index, encoder)
    report = build_index(data_copy, index, encoder)
    assert not report.unchanged and not (_generation(index) / DELTA).exists()
    store = IndexStore.open(index, encoder)
    assert store.info.passages == report.passages
    store.close()


def test_rows_renumbered_after_a_delta_keep_every_text(data_copy: Path, tmp_path: Path) -> None:
    """Many removals renumber the rows: the catalog is written whole, the kept passages' texts read back."""
    encoder = HashEncoder()
    build_index(data_copy, tmp_path / "index", encoder)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    build_index(data_copy, tmp_path / "index", encoder)
    for path in sorted(data_copy.glob("*.txt"))[:3]:
        path.unlink()
    build_index(data_copy, tmp_path / "index", encoder)
    build_index(data_copy, tmp_path / "fresh", encoder)
    found = []
    for name in ("index", "fresh"):
        store = IndexStore.open(tmp_path / name, encoder)
        assert not store.segmented and store.live is None
        found.append(sorted(store.query("SELECT passage_id, text FROM passages")))
        store.close()
    assert found[0] == found[1] and all(text for _, text in found[0])


def test_a_store_that_took_the_main_segment_over_outlives_the_one_it_replaced(data_copy: Path, tmp_path: Path) -> None:
    encoder, index = HashEncoder(), tmp_path / "index"
    build_index(data_copy, index, encoder)
    before = IndexStore.open(index, encoder)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    build_index(data_copy, index, encoder)
    after = IndexStore.open(index, encoder, reuse=before)
    assert after.main is before.main and after.segmented
    before.close()  # the main segment's files stay open for `after`
    vectors = encoder.encode(["Cây cầu dài 1.200 mét"], kind="query")
    rows = after.candidates([["cay_cau", "cay", "cau"]], vectors, 5)[0].rows
    assert len(rows) and any("1.200 mét" in text for text, *_ in after.passage_rows(rows.tolist()).values())
    after.close()
