"""Sentence vectors on disk (int8, format 5): what search reads back, and format 4 indexes (float16)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock

from embeddings.base import normalise
from retriever.errors import IndexCorruptError
from retriever.index.local.build import build_index
from retriever.index.local.generations import FORMAT_VERSION, current_generation
from retriever.index.local.lock import LOCK_FILE
from retriever.index.local.sentences import VECTORS, SentenceFile, sentence_cosines, write_sentences
from retriever.index.local.storage import IndexStore
from retriever.index.sentences import quantize
from retriever.library import Library, LibraryConfig
from tests.fakes import HashEncoder

DIM = 384


def unit(rng: np.random.Generator, count: int) -> np.ndarray:
    return normalise(rng.standard_normal((count, DIM)).astype(np.float32))


@pytest.fixture
def written(tmp_path: Path) -> tuple[list[np.ndarray], SentenceFile]:
    """12 rows of 0 to 7 sentences (0: a passage of one sentence), as a build writes them."""
    rng = np.random.default_rng(0)
    per_row = [unit(rng, int(n)) for n in [3, 0, 7, 2, 0, 0, 5, 1, 4, 6, 0, 2]]
    write_sentences(tmp_path, per_row, DIM)
    return per_row, SentenceFile(tmp_path)


def test_cosines_match_float32_and_keep_the_order_of_the_rows(written):
    per_row, store = written
    question = unit(np.random.default_rng(1), 1)[0]
    rows = np.array([9, 0, 1, 2, 3, 11, 4, 6, 0, 5])  # unsorted, adjacent, repeated, empty
    got = sentence_cosines(store, rows, question)
    assert [len(c) for c in got] == [len(per_row[row]) for row in rows]
    for row, cosines in zip(rows, got, strict=True):
        assert np.abs(cosines - per_row[row] @ question).max(initial=0) < 3e-3
    assert sentence_cosines(store, np.array([1, 4]), question)[1].shape == (0,)
    assert sentence_cosines(store, np.array([], dtype=np.int64), question) == []


def test_the_file_is_int8_and_a_row_reads_back_as_written(written, tmp_path):
    per_row, store = written
    assert np.load(tmp_path / VECTORS).dtype == np.int8 and not store.outdated
    for row, vectors in enumerate(per_row):
        stored = store.of(row)
        assert stored.shape == vectors.shape and np.array_equal(stored, quantize(vectors))
        assert np.array_equal(quantize(stored), stored)  # copying a kept row changes nothing
    assert (np.abs(store.of(2)).max(axis=1) == 127).all()


def test_a_row_outside_the_file_is_an_error(written):
    _, store = written
    with pytest.raises(IndexError, match="outside"):
        store.gather(np.array([store.rows]))
    with pytest.raises(IndexError, match="outside"):
        store.of(-1)


def to_format_4(index: Path) -> np.ndarray:
    """Turn the live generation into what format 4 wrote: float16 unit vectors, "format": 4."""
    generation = current_generation(index)
    assert generation is not None
    stored = np.load(generation / VECTORS)
    floats = stored / np.linalg.norm(stored.astype(np.float32), axis=1, keepdims=True)
    np.save(generation / VECTORS, floats.astype(np.float16))
    manifest = json.loads((generation / "manifest.json").read_text("utf-8"))
    (generation / "manifest.json").write_text(json.dumps({**manifest, "format": 4}), "utf-8")
    return stored


def test_a_format_4_index_answers_and_the_next_build_rewrites_it_without_encoding(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    int8 = to_format_4(index)

    store = IndexStore.open(index, encoder)  # an old index keeps working
    rows = np.arange(store.sentences.rows)
    question = encoder.encode(["giá vàng hôm nay"], kind="query")[0]
    old = np.concatenate(store.sentence_cosines(rows, question) or [])
    assert store.sentences.outdated
    store.close()

    encoder.encoded.clear()
    report = build_index(data_copy, index, encoder)  # `tracuu index`
    assert not report.unchanged and report.encoded == 0 and not encoder.encoded
    store = IndexStore.open(index, encoder)
    assert not store.sentences.outdated and store.manifest["format"] == FORMAT_VERSION
    assert np.abs(np.load(store.generation / VECTORS).astype(np.int16) - int8).max() <= 1
    assert np.abs(np.concatenate(store.sentence_cosines(rows, question) or []) - old).max() < 3e-3
    store.close()
    assert build_index(data_copy, index, encoder).unchanged


@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_sentence_vectors_of_another_type_are_a_damaged_index(data_copy, tmp_path, dtype):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    generation = current_generation(index)
    assert generation is not None
    np.save(generation / VECTORS, np.load(generation / VECTORS).astype(dtype))
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexStore.open(index, encoder)


def test_a_read_only_format_4_index_is_served_as_it_is(data_copy, tmp_path, monkeypatch):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    to_format_4(index)

    def read_only(self: FileLock, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system", str(index / LOCK_FILE))

    monkeypatch.setattr(FileLock, "acquire", read_only)
    library, report = Library.open(LibraryConfig(data_copy, index), encoder)
    assert report is not None and report.unchanged and library.stale is None  # not stale: only older
    assert library.search("biên giới Việt Nam Lào", 3).results
    library.close()
