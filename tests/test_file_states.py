"""An update hashes only the files that changed since the last build; a change is seen however it was made."""

from __future__ import annotations

import os

import pytest

from retriever.index import sources
from retriever.index.local.build import build_index
from tests.test_index_changes import _texts, indexed


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The files whose bytes each build read to hash them."""
    seen: list[str] = []
    real = sources.file_hash

    def counted(path, data_dir):
        seen.append(path.name)
        return real(path, data_dir)

    monkeypatch.setattr(sources, "file_hash", counted)
    # files written a moment ago may change again unseen within the clock's resolution: here none does
    monkeypatch.setattr(sources, "RACY_NS", 0)
    return seen


def test_an_addition_reads_only_the_new_file(tmp_path, hashed):
    data, index, encoder = indexed(tmp_path, "abcdef")
    assert sorted(hashed) == [f"{name}.txt" for name in "abcdef"]
    hashed.clear()
    (data / "g.txt").write_text("Bài g\n\nĐoạn mới của bài g về cửa khẩu.\n", "utf-8")
    assert build_index(data, index, encoder).added == 1
    assert hashed == ["g.txt"]
    assert "Đoạn mới của bài g về cửa khẩu." in _texts(index, encoder)


def test_a_file_rewritten_with_its_size_and_modification_time_kept_is_still_seen_changed(tmp_path, hashed):
    data, index, encoder = indexed(tmp_path, "abcdef")
    path = data / "b.txt"
    before = path.stat()
    path.write_text("Bài b\n\nĐoạn riêng của bài b về cửa khẩu.\n", "utf-8")  # as many bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or an unzip would leave it
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert build_index(data, index, encoder).changed == 1
    texts = _texts(index, encoder)
    assert "Đoạn riêng của bài b về cửa khẩu." in texts and "Đoạn riêng của bài b về biên giới." not in texts
