"""A build in small chunks (a small BUILD_MEMORY_MB) writes the same index as one that holds it all."""

from __future__ import annotations

from pathlib import Path, PurePath

import numpy as np
import pytest

from retriever.index.local import budget as budget_module
from retriever.index.local.budget import BuildBudget
from retriever.index.local.build import build_index
from retriever.index.local.dense import COMPACT_SPEC, choose_spec
from retriever.index.local.generations import current_generation
from retriever.index.local.lexical_build import Chunks
from retriever.index.local.npyfile import NpyAppender, read_range
from retriever.index.local.storage import IndexStore
from tests.fakes import HashEncoder

NEW_ARTICLE = "Cầu Rồng\n\nCầu Rồng ở Đà Nẵng dài 666 mét và phun lửa vào tối thứ Bảy.\n"
FILES = (
    "vectors.npy", "sentences.npy", "sentence_offsets.npy", "lexical/data.csc.index.npy",
    "lexical/indices.csc.index.npy", "lexical/indptr.csc.index.npy", "lexical/tf.index.npy",
    "lexical/lengths.index.npy",
)


def _files(index: Path) -> dict[str, np.ndarray]:
    generation = current_generation(index)
    assert generation is not None
    return {name: np.load(generation / name) for name in FILES}


def _tiny_chunks(monkeypatch) -> None:
    monkeypatch.setattr(budget_module.BuildBudget, "vector_rows", lambda self, dim: 3)
    monkeypatch.setattr(budget_module.BuildBudget, "lexical", lambda self: Chunks(run_passages=4, block_postings=50))


def test_small_chunks_write_the_same_index_and_the_same_update(data_copy, tmp_path, monkeypatch):
    whole, chunked, encoder = tmp_path / "whole", tmp_path / "chunked", HashEncoder()
    build_index(data_copy, whole, encoder)
    with monkeypatch.context() as patched:
        _tiny_chunks(patched)
        build_index(data_copy, chunked, encoder, build_memory_mb=1)
    for name, array in _files(whole).items():
        assert np.array_equal(array, _files(chunked)[name]), name
    min(data_copy.glob("*.txt")).unlink()  # a removal too: retired rows, sentences dropped
    (data_copy / "cau-rong.txt").write_text(NEW_ARTICLE, "utf-8")
    build_index(data_copy, whole, encoder)
    with monkeypatch.context() as patched:
        _tiny_chunks(patched)
        build_index(data_copy, chunked, encoder, build_memory_mb=1)
    for name, array in _files(whole).items():
        assert np.array_equal(array, _files(chunked)[name]), name
    store = IndexStore.open(chunked, encoder)
    texts = [text for (text,) in store.query("SELECT text FROM passages")]
    store.close()
    assert any("666 mét" in text for text in texts)


def test_auto_is_exact_for_a_small_collection_and_8_bit_hnsw_above():
    assert choose_spec(30_000, "auto") == "Flat"
    assert choose_spec(30_001, "auto") == COMPACT_SPEC == "HNSW32,SQ8"
    assert choose_spec(100_000, "flat") == "Flat"  # what was asked for is what is built
    assert choose_spec(100_000, "HNSW32,Flat") == "HNSW32,Flat"


def test_chunks_shrink_with_the_budget_but_not_below_their_floors():
    small, large = BuildBudget(64), BuildBudget(4096)
    assert 1_024 <= small.vector_rows(384) < large.vector_rows(384)
    assert small.lexical().block_postings < large.lexical().block_postings
    assert BuildBudget(1).vector_rows(384) == 1_024 and BuildBudget(1).lexical().run_passages == 1_000


def test_an_appended_npy_file_reads_back_and_copies_ranges(tmp_path):
    rows = np.arange(40, dtype=np.float32).reshape(10, 4)
    with NpyAppender(tmp_path / "a.npy", np.float32, 4) as out:
        out.append(rows[:3])
        out.append(rows[3:])
    assert np.array_equal(np.load(tmp_path / "a.npy"), rows)
    with NpyAppender(tmp_path / "b.npy", np.float32, 4) as out:
        out.copy_rows(tmp_path / "a.npy", 2, 5)
        out.append(rows[:1])
        out.copy_rows(tmp_path / "a.npy", 9, 10)
    assert np.array_equal(np.load(tmp_path / "b.npy"), np.concatenate([rows[2:5], rows[:1], rows[9:]]))
    assert np.array_equal(read_range(tmp_path / "a.npy", 8, 20), rows[8:])
    with pytest.raises(ValueError, match="cannot copy"):
        NpyAppender(tmp_path / "c.npy", np.int8, 4).copy_rows(tmp_path / "a.npy", 0, 1)


@pytest.mark.parametrize("spec", ["HNSW32,Flat", "HNSW32,SQ8"])
def test_sizing_the_hnsw_arrays_first_writes_the_same_index(spec, monkeypatch):
    import faiss

    from retriever.index.local import dense

    vectors = np.random.default_rng(3).standard_normal((3_000, 16)).astype(np.float32)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # HNSW inserts in parallel in no fixed order: one thread for the same graph
    try:
        sized = faiss.serialize_index(dense.build_dense(vectors, spec, chunk_rows=500))
        with monkeypatch.context() as patched:
            patched.setattr(dense, "_reserve", lambda index, total: None)
            grown = faiss.serialize_index(dense.build_dense(vectors, spec, chunk_rows=500))
    finally:
        faiss.omp_set_num_threads(threads)
    assert np.array_equal(sized, grown)
    index = dense.build_dense(vectors[:1_000], spec, chunk_rows=500)
    dense._reserve(index, 3_000)
    dense._add(index, vectors, 1_000, 500)  # an extension sized first: the rows added after the first ones
    assert index.ntotal == 3_000 and faiss.downcast_index(index).hnsw.levels.size() == 3_000


def test_a_rebuild_streamed_a_document_at_a_time_writes_what_one_split_of_everything_gives(
    data_copy, tmp_path, monkeypatch
):
    import sqlite3

    from retriever.index.local import stream
    from retriever.index.passages import make_passages
    from retriever.ingest.files import list_files, parse_source, read_source
    from retriever.wordforms import best_forms, count_forms

    shared = "Đoạn văn chung của hai bài về cửa khẩu quốc tế Lao Bảo."
    (data_copy / "aa-lap-lai.txt").write_text(f"Bài A\n\n{shared}\n\nĐoạn riêng của bài A.\n", "utf-8")
    (data_copy / "zz-lap-lai.txt").write_text(f"Bài Z\n\nĐoạn riêng của bài Z.\n\n{shared}\n", "utf-8")
    encoder = HashEncoder()
    monkeypatch.setattr(stream, "DOCUMENTS_AT_ONCE", 1)
    build_index(data_copy, tmp_path / "index", encoder)
    paths, _ = list_files(data_copy)
    documents = [d for path in paths for d in parse_source(read_source(path, data_copy))]
    dropped: list[tuple[int, str]] = []
    expected = make_passages(documents, encoder.max_tokens - 8, encoder.count_tokens, dropped=dropped)
    generation = current_generation(tmp_path / "index")
    assert generation is not None
    db = sqlite3.connect(generation / "passages.sqlite")
    try:
        rows = db.execute("SELECT row, passage_id, text FROM passages ORDER BY row").fetchall()
        assert rows == [(row, p.passage_id, p.text) for row, p in enumerate(expected)]
        assert db.execute("SELECT passage_id, path FROM duplicates").fetchall() == dropped != []
        counts = count_forms(p.text for p in expected)
        assert dict(db.execute("SELECT form, count FROM accent_counts").fetchall()) == dict(counts)
        assert dict(db.execute("SELECT folded, form FROM accents").fetchall()) == best_forms(counts)
        # in the order of their files, then of their place in the file (as the articles are listed)
        found = db.execute("SELECT key, path, position FROM documents").fetchall()
        keys = [key for key, _, _ in sorted(found, key=lambda doc: (PurePath(doc[1]).parts, doc[2]))]
        assert keys == [d.key for d in documents]
        assert db.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == sum(len(d.paragraphs) for d in documents)
    finally:
        db.close()


def test_an_ivf_index_too_big_for_the_collection_is_said_in_words_not_faiss_s() -> None:
    from retriever.errors import DenseIndexError
    from retriever.index.local.dense import build_dense

    vectors = np.random.default_rng(0).standard_normal((66, 32)).astype(np.float32)
    with pytest.raises(DenseIndexError, match=r"'IVF1024,Flat' cannot be trained on 66 passages.*auto or Flat"):
        build_dense(vectors, "IVF1024,Flat")
