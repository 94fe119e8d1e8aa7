"""Passage vectors read by row, as search reads them."""

from __future__ import annotations

import numpy as np
import pytest

from retriever.errors import IndexCorruptError
from retriever.index.local.build import build_index
from retriever.index.local.generations import current_generation
from retriever.index.local.storage import IndexStore
from retriever.index.local.vectorfile import VectorFile
from tests.fakes import HashEncoder


@pytest.fixture
def stored(tmp_path):
    vectors = np.random.default_rng(0).standard_normal((5_000, 8)).astype(np.float32)
    np.save(tmp_path / "vectors.npy", vectors)
    return vectors, VectorFile(tmp_path / "vectors.npy")


def test_rows_slices_and_bulk_reads_equal_the_saved_array(stored):
    vectors, file = stored
    assert len(file) == len(vectors) and file.shape == vectors.shape
    rows = np.array([5, 0, len(vectors) - 1, 5])
    assert np.array_equal(file[rows], vectors[rows])
    assert np.array_equal(file[slice(3, 40)], vectors[3:40])
    assert np.array_equal(file[slice(4_990, 6_000)], vectors[4_990:6_000])  # clipped at the end, as numpy does
    assert np.array_equal(file[slice(1, 30, 7)], vectors[1:30:7])
    assert np.array_equal(file[slice(0, None)], vectors)
    many = np.arange(0, len(vectors), 1)[::-1].copy()
    assert np.array_equal(file[many], vectors[many])
    assert file[np.array([], dtype=np.int64)].shape == (0, 8)


def test_a_row_outside_the_file_is_an_error(stored):
    _, file = stored
    with pytest.raises(IndexError, match="outside"):
        file[np.array([len(file)])]


def test_reads_go_on_after_the_file_is_deleted(stored, tmp_path):
    # a reindex deletes the old generation while a search on it may still be running
    vectors, file = stored
    (tmp_path / "vectors.npy").unlink()
    assert np.array_equal(file[np.array([1, 2])], vectors[[1, 2]])


def test_a_damaged_vector_file_is_reported(data_copy, tmp_path):
    build_index(data_copy, tmp_path / "index", HashEncoder())
    np.save(current_generation(tmp_path / "index") / "vectors.npy", np.zeros(3, dtype=np.float64))
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexStore.open(tmp_path / "index", HashEncoder())
