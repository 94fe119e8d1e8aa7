"""Building, updating and loading the index, with a fast fake encoder."""

from __future__ import annotations

import json
import os

import pytest

from retriever.errors import EncoderMismatchError, IndexCorruptError
from retriever.index.local.build import build_index
from retriever.index.local.generations import current_generation
from retriever.index.local.storage import IndexStore
from tests.fakes import HashEncoder

NEW_ARTICLE = (
    "Khánh thành cầu hữu nghị mới bắc qua sông Mê Kông\n\n"
    "Cây cầu dài 1.200 mét nối hai tỉnh biên giới được khánh thành sáng nay trước sự chứng kiến"
    " của lãnh đạo hai nước.\n"
)


def test_build_writes_a_transparent_index(data_copy, tmp_path):
    report = build_index(data_copy, tmp_path / "index", HashEncoder())
    generation = current_generation(tmp_path / "index")
    assert {p.name for p in generation.iterdir()} >= {"manifest.json", "passages.sqlite", "vectors.npy", "dense.faiss"}
    manifest = json.loads((generation / "manifest.json").read_text())
    assert manifest["model"] == "fake-hash" and manifest["dim"] == 64
    assert manifest["documents"] == report.documents == 5
    assert manifest["passages"] == report.passages > 40
    assert manifest["built_at"] and manifest["fingerprint"]
    assert not list(generation.rglob("*.pkl")) and not list(generation.rglob("*.pickle"))


def test_update_re_encodes_only_what_changed(data_copy, tmp_path):
    index = tmp_path / "index"
    encoder = HashEncoder()
    first = build_index(data_copy, index, encoder)
    store = IndexStore.open(index, encoder)
    ids_before = {row[0] for row in store.query("SELECT passage_id FROM passages")}
    store.close()

    unchanged = build_index(data_copy, index, encoder)
    assert unchanged.unchanged and unchanged.encoded == 0

    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    removed = sorted(data_copy.glob("viet-nam-coi-trong-*.txt"))[0]
    removed.unlink()
    encoder.encoded.clear()
    report = build_index(data_copy, index, encoder)
    assert (report.added, report.changed, report.removed) == (1, 0, 1)
    assert report.encoded == len(encoder.encoded) == 1  # only the new article's paragraph
    store = IndexStore.open(index, encoder)
    ids_after = {row[0] for row in store.query("SELECT passage_id FROM passages")}
    paths = {row[0] for row in store.query("SELECT path FROM documents")}
    assert removed.name not in paths and "new.txt" in paths
    assert len(ids_before - ids_after) == report.passages_removed > 0  # stable ids: only removed ones differ
    assert first.passages - report.passages_removed + 1 == report.passages


def test_a_failed_build_leaves_the_old_index_serving(data_copy, tmp_path):
    index = tmp_path / "index"
    build_index(data_copy, index, HashEncoder())
    before = current_generation(index)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    with pytest.raises(RuntimeError, match="on purpose"):
        build_index(data_copy, index, HashEncoder(fail_on="1.200 mét"))
    assert current_generation(index) == before
    assert [p.name for p in index.glob("gen-*")] == [before.name]
    assert IndexStore.open(index, HashEncoder()).info.documents == 5


def test_a_broken_file_is_skipped_and_named(data_copy, tmp_path):
    (data_copy / "empty.txt").write_text("\n\n", "utf-8")
    (data_copy / "notes.docx").write_bytes(b"PK\x03\x04")
    report = build_index(data_copy, tmp_path / "index", HashEncoder())
    assert {s.path for s in report.skipped} == {"empty.txt", "notes.docx"}
    assert report.documents == 5


def test_the_encoder_must_match_the_index(data_copy, tmp_path):
    build_index(data_copy, tmp_path / "index", HashEncoder())
    other = HashEncoder()
    other.model = "another-model"
    with pytest.raises(EncoderMismatchError, match="rebuild"):
        IndexStore.open(tmp_path / "index", other)


def test_a_damaged_index_is_reported_not_crashed_on(data_copy, tmp_path):
    build_index(data_copy, tmp_path / "index", HashEncoder())
    generation = current_generation(tmp_path / "index")
    (generation / "dense.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexStore.open(tmp_path / "index", HashEncoder())
    os.remove(generation / "manifest.json")
    with pytest.raises(IndexCorruptError, match="manifest"):
        IndexStore.open(tmp_path / "index", HashEncoder())


def test_adding_an_article_extends_the_previous_index(data_copy, tmp_path):
    index = tmp_path / "index"
    encoder = HashEncoder()
    before = build_index(data_copy, index, encoder)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    report = build_index(data_copy, index, encoder)
    assert report.passages == before.passages + 1 and report.encoded == 1
    store = IndexStore.open(index, encoder)
    [row] = store.query("SELECT row FROM passages WHERE text LIKE '%1.200 mét%'")
    _, found = store.dense.search(encoder.encode(["1.200 mét nối hai tỉnh"], kind="query"), 1)
    assert found[0][0] == row[0] == before.passages  # appended as the last row, found by FAISS


def _texts(index, encoder) -> list[str]:
    store = IndexStore.open(index, encoder)
    try:
        return [text for (text,) in store.query("SELECT text FROM passages ORDER BY row")]
    finally:
        store.close()


def test_a_paragraph_shared_by_two_files_survives_a_change_to_either(tmp_path):
    data, index, encoder = tmp_path / "data", tmp_path / "index", HashEncoder()
    data.mkdir()
    shared = "Đoạn văn chung của hai bài về cửa khẩu quốc tế Lao Bảo."
    (data / "a.txt").write_text(f"Bài A\n\n{shared}\n\nĐoạn riêng của bài A.\n", "utf-8")
    (data / "b.txt").write_text(f"Bài B\n\nĐoạn riêng của bài B.\n\n{shared}\n", "utf-8")
    build_index(data, index, encoder)
    assert _texts(index, encoder).count(shared) == 1
    (data / "c.txt").write_text(f"Bài C\n\n{shared}\n\nĐoạn riêng của bài C.\n", "utf-8")
    build_index(data, index, encoder)  # only added: the shared paragraph is not repeated
    assert _texts(index, encoder).count(shared) == 1
    (data / "a.txt").write_text("Bài A\n\nĐoạn riêng của bài A, đã sửa.\n", "utf-8")
    build_index(data, index, encoder)  # a.txt no longer has it; b.txt and c.txt still do
    texts = _texts(index, encoder)
    assert texts.count(shared) == 1 and "Đoạn riêng của bài A, đã sửa." in texts


def _manifest(index) -> dict:
    return json.loads((current_generation(index) / "manifest.json").read_text())


def test_changing_an_article_retires_its_old_rows_and_extends_faiss(data_copy, tmp_path):
    from retriever.library import Library, LibraryConfig
    from retriever.query.options import SearchOptions

    index, encoder = tmp_path / "index", HashEncoder()
    before = build_index(data_copy, index, encoder)
    article = sorted(data_copy.glob("*.txt"))[-1]
    old_text = article.read_text("utf-8")
    old_paragraph = max(old_text.split("\n\n"), key=len).strip()
    new_paragraph = "Cửa khẩu quốc tế mới được khánh thành tại tỉnh biên giới với công suất 5.000 lượt xe mỗi ngày."
    article.write_text(old_text.replace(old_paragraph, new_paragraph), "utf-8")
    report = build_index(data_copy, index, encoder)
    assert (report.changed, report.encoded, report.passages_removed) == (1, 1, 1)
    manifest = _manifest(index)
    assert manifest["rows"] == before.passages + 1 and manifest["retired_rows"] == 1
    assert manifest["passages"] == before.passages

    config = LibraryConfig(data_copy, index, options=SearchOptions(min_relevance=0.0))  # quote anything
    library, _ = Library.open(config, encoder, refresh=False)
    store = library.searcher.store
    assert store.dense.ntotal == before.passages + 1  # extended, not rebuilt
    _, hits = store.dense.search(encoder.encode([old_paragraph], kind="passage"), 1)
    retired = int(hits[0][0])  # FAISS still holds the old paragraph
    assert store.query("SELECT COUNT(*) FROM passages WHERE row = ?", (retired,)) == [(0,)]
    assert retired not in store.live_rows(hits[0])
    found = library.search(old_paragraph, 10)
    assert found.results and all(r.text != old_paragraph for r in found.results)  # never quoted
    _, rows = store.dense.search(encoder.encode([new_paragraph], kind="query"), 1)
    assert rows[0][0] == before.passages  # the new paragraph took the next row
    store.close()


def test_many_removals_compact_the_rows(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    for path in sorted(data_copy.glob("*.txt"))[:3]:
        path.unlink()
    report = build_index(data_copy, index, encoder)
    manifest = _manifest(index)
    assert manifest["rows"] == manifest["passages"] == report.passages and manifest["retired_rows"] == 0
    store = IndexStore.open(index, encoder)
    assert store.dense.ntotal == len(store.vectors) == store.lexical.num_docs == report.passages
    store.close()


def test_reading_progress_counts_only_the_files_read(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    for n in range(3):
        (data_copy / f"new-{n}.txt").write_text(NEW_ARTICLE.replace("Hội An", f"Hội An {n}"), "utf-8")
    events = []
    build_index(data_copy, index, encoder, progress=events.append)
    reading = [(e.done, e.total) for e in events if e.stage == "reading"]
    assert reading == [(1, 3), (2, 3), (3, 3)]  # the 5 unchanged articles are not "read"
