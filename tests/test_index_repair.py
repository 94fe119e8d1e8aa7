"""Damaged, busy and unwritable index folders, and inputs that must not hang or corrupt a build."""

from __future__ import annotations

import errno
import json
import logging
import threading
from pathlib import Path

import pytest
from filelock import FileLock

from retriever.errors import IndexBusyError, IndexCorruptError
from retriever.index.local import build as build_module
from retriever.index.local.build import build_index
from retriever.index.local.generations import current_generation
from retriever.index.local.lock import LOCK_FILE
from retriever.index.local.storage import IndexStore
from retriever.index.passages import MAX_PARAGRAPH_CHARS, make_passages, split_long
from retriever.ingest.jsonl import jsonl_documents
from retriever.library import Library, LibraryConfig
from retriever.models import CutParagraph, Document, Paragraph
from tests.fakes import HashEncoder
from tests.test_index import NEW_ARTICLE
from tracuu.render import format_report


def truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize(
    "damaged",
    ["vectors.npy", "sentences.npy", "sentence_offsets.npy", "lexical/tf.index.npy", "lexical/data.csc.index.npy"],
)
def test_a_truncated_file_is_detected_on_load_and_repaired_by_the_next_build(data_copy, tmp_path, damaged):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    truncate(current_generation(index) / damaged)

    with pytest.raises(IndexCorruptError) as error:
        IndexStore.open(index, encoder)
    message = str(error.value)
    assert damaged in message and "tracuu index --rebuild" in message and "\n" not in message

    report = build_index(data_copy, index, encoder)  # `tracuu index`: repair is on
    assert not report.unchanged
    store = IndexStore.open(index, encoder)
    assert len(store.vectors) == store.dense.ntotal == report.passages
    store.close()


def test_a_damaged_index_makes_ask_say_rebuild_in_one_line(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    truncate(current_generation(index) / "vectors.npy", 0.9)
    with pytest.raises(IndexCorruptError, match="--rebuild"):
        Library.open(LibraryConfig(data_copy, index), encoder)  # ask/chat/serve: no silent rebuild


def test_a_second_build_waits_for_the_first_or_says_why_in_one_line(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    held = FileLock(index / LOCK_FILE)  # another process's build, as far as this one can tell
    held.acquire()
    try:
        with pytest.raises(IndexBusyError) as error:
            build_index(data_copy, index, encoder, lock_wait=0.2)
        assert "still running" in str(error.value) and "\n" not in str(error.value)

        reports = []
        waiting = threading.Thread(target=lambda: reports.append(build_index(data_copy, index, encoder)))
        waiting.start()
        waiting.join(0.3)
        assert waiting.is_alive() and not reports  # waits rather than colliding
    finally:
        held.release()
    waiting.join(30)
    assert reports and reports[0].added == 1


def test_two_builds_at_once_both_succeed(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    reports, errors = [], []

    def build() -> None:
        try:
            reports.append(build_index(data_copy, index, encoder))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(reports) == 2
    assert sorted(r.unchanged for r in reports) == [False, True]


@pytest.fixture
def built(data_copy, tmp_path):
    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    return data_copy, index, encoder


def test_a_full_disk_serves_the_previous_index_with_a_warning(built, monkeypatch, caplog):
    data, index, encoder = built
    (data / "new.txt").write_text(NEW_ARTICLE, "utf-8")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # a full generation and an update written as a delta segment write their files in these two
    monkeypatch.setattr(build_module, "write_generation", full)
    monkeypatch.setattr(build_module, "write_delta", full)
    with caplog.at_level(logging.WARNING, logger="retriever"):
        library, report = Library.open(LibraryConfig(data, index), encoder)
    assert report is None and library.stale and "disk is full" in library.stale and "Errno" not in library.stale
    assert any("may be stale" in r.getMessage() for r in caplog.records)
    assert library.search("biên giới Việt Nam Lào", 3).results  # still answers
    library.close()


def test_a_read_only_index_folder_serves_its_index(built, monkeypatch):
    data, index, encoder = built

    def read_only(self: FileLock, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system", str(index / LOCK_FILE))

    monkeypatch.setattr(FileLock, "acquire", read_only)
    library, report = Library.open(LibraryConfig(data, index), encoder)
    assert report is not None and report.unchanged and library.stale is None  # nothing to write: no warning
    library.close()

    (data / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    library, report = Library.open(LibraryConfig(data, index), encoder)
    assert report is None and library.stale == f"the folder is read-only: {index} (give the bot a writable folder)"
    library.close()


class CountingTokens:
    """Counts words (like HashEncoder) and how many characters were given to the tokenizer in all."""

    def __init__(self) -> None:
        self.chars = 0

    def __call__(self, text: str) -> int:
        self.chars += len(text)
        return len(text.split()) + len(text) // 50  # a run without spaces still has many tokens


@pytest.mark.parametrize("unit", ["biên giới việt nam lào ", "a"], ids=["words", "no-spaces"])
def test_splitting_a_paragraph_without_sentence_ends_is_linear(unit):
    text = (unit * (MAX_PARAGRAPH_CHARS // len(unit)))[:MAX_PARAGRAPH_CHARS]
    count = CountingTokens()
    pieces = split_long(text, 504, count)
    assert len(pieces) > 5 and all(CountingTokens()(piece) <= 504 for piece in pieces)
    assert count.chars <= 4 * len(text)  # each character goes through the tokenizer a bounded number of times
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")  # nothing lost


def test_an_absurd_paragraph_is_capped(caplog):
    huge = Document(
        key="dump.txt", path="dump.txt", title="Dump", title_derived=False, date="", source="", url="",
        paragraphs=(Paragraph("x" * (30 * 1024 * 1024)),), content_hash="h",
    )  # fmt: skip
    count = CountingTokens()
    with caplog.at_level(logging.WARNING):
        passages = make_passages([huge], 504, count)
    # the pieces' continuation marks aside
    assert sum(len(p.text.removeprefix("… ").removesuffix(" …")) for p in passages) <= MAX_PARAGRAPH_CHARS
    assert count.chars <= 4 * MAX_PARAGRAPH_CHARS
    assert "dump.txt: a paragraph of 31457280 characters is cut" in caplog.text


def test_a_cut_paragraph_is_said_in_the_report_of_the_build_that_read_its_file(tmp_path: Path) -> None:
    data, index, encoder = tmp_path / "data", tmp_path / "index", HashEncoder()
    data.mkdir()
    (data / "ngan.txt").write_text("Tin ngắn\n\nĐường biên giới Việt Nam và Lào dài hơn hai nghìn ki-lô-mét.\n")
    assert build_index(data, index, encoder).cut == ()
    sentence = "Cột mốc số {} trên đường biên giới Việt Nam và Lào được xây bằng đá granite."
    long = " ".join(sentence.format(n) for n in range(3000))  # one paragraph
    (data / "dai.txt").write_text(f"Bản ghi dài\n\n{long}\n")
    report = build_index(data, index, encoder)  # the new file only is read
    assert report.cut == (CutParagraph("dai.txt", len(long), MAX_PARAGRAPH_CHARS),) and len(long) == 235_889
    assert ("cut dai.txt: a paragraph of 235,889 characters was cut at 200,000; the rest is not searchable"
            in format_report(report))  # `tracuu index`; it was only a log line
    assert build_index(data, index, encoder, rebuild=True).cut == report.cut


@pytest.mark.parametrize(
    "record",
    [
        {"text": None}, {"text": ["list", "value"]}, {"text": 42}, {"text": {"a": 1}},
        {"text": "ok", "title": ["list"]}, {"text": "ok", "url": {"a": 1}}, {"text": "ok", "id": True},
        {"text": "ok", "date": [2016]}, {"text": "ok", "date": True}, ["not", "an", "object"],
    ],
)  # fmt: skip
def test_jsonl_values_of_the_wrong_type_skip_the_line(record, caplog):
    good = {"id": "ok", "title": "Một bài", "text": "Nội dung bình thường của bài báo."}
    lines = [json.dumps(record), json.dumps(good)]
    with caplog.at_level(logging.WARNING):
        documents = list(jsonl_documents("docs.jsonl", "\n".join(lines)))
    assert [d.key for d in documents] == ["docs.jsonl#ok"]
    assert "docs.jsonl line 1 skipped" in caplog.text
    assert not any("None" in p.text or "[" in p.text for d in documents for p in d.paragraphs)


def test_after_a_removal_answers_are_those_of_an_index_that_never_had_the_document(data_copy, tmp_path):
    """Removed passages keep their FAISS slots (retired rows). They must not crowd live passages out of the
    dense candidates: the removed document's passages are exactly the nearest ones to a question about it,
    and fewer live candidates made a similar paragraph of another document stand out, and be quoted."""
    from retriever.query.options import SearchOptions
    from retriever.query.search import Searcher

    # without the removed-document check (tests/test_removed_documents.py), which an index that never had it lacks
    encoder = HashEncoder()
    options = SearchOptions(candidates=8, rerank=8, min_relevance=0.0, removed_margin=None)
    removed = data_copy / "new.txt"
    removed.write_text(NEW_ARTICLE, "utf-8")
    question = "Cây cầu dài 1.200 mét nối hai tỉnh biên giới khánh thành khi nào?"
    build_index(data_copy, tmp_path / "incremental", encoder)
    removed.unlink()
    assert build_index(data_copy, tmp_path / "incremental", encoder).removed == 1
    store = IndexStore.open(tmp_path / "incremental", encoder)
    assert store.live is not None  # the removed rows are retired, not compacted away
    store.close()
    build_index(data_copy, tmp_path / "fresh", encoder)

    answers = []
    for name in ("incremental", "fresh"):
        store = IndexStore.open(tmp_path / name, encoder)
        response = Searcher(store, encoder, options).search(question, 5)
        answers.append([(r.document, r.text) for r in response.results] if not response.abstained else [])
        store.close()
    # the same quotes in the same order; not the same scores: an update written as a delta segment keeps the
    # main's BM25 statistics, the removed passages' counts included, until the delta is folded
    # (`retriever.index.local.segments`)
    assert answers[0] == answers[1] and answers[0]


def test_the_build_lock_holds_across_processes(data_copy, tmp_path):
    import subprocess
    import sys

    index, encoder = tmp_path / "index", HashEncoder()
    build_index(data_copy, index, encoder)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); "
         "lock.acquire(); print('held', flush=True); sys.stdin.read()", str(index / LOCK_FILE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexBusyError):
            build_index(data_copy, index, encoder, lock_wait=0.2)
    finally:
        holder.communicate("", timeout=30)  # its stdin closes: it exits, and the lock goes with it
    assert build_index(data_copy, index, encoder, lock_wait=5).unchanged


def test_cli_on_a_full_disk_ask_answers_stale_and_index_fails_in_one_line(seed_copy, monkeypatch, capsys, caplog):
    from tracuu.cli import main

    (seed_copy.data / "new.txt").write_text(NEW_ARTICLE, "utf-8")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # a full generation and an update written as a delta segment write their files in these two
    monkeypatch.setattr(build_module, "write_generation", full)
    monkeypatch.setattr(build_module, "write_delta", full)
    with caplog.at_level(logging.WARNING, logger="retriever"):
        assert main(["ask", "Đường biên giới Việt Nam - Lào dài bao nhiêu km?", *seed_copy.argv()]) == 0
    assert "2.300" in capsys.readouterr().out and "may be stale" in caplog.text
    assert main(["index", *seed_copy.argv()]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("tracuu: Could not update the index") and err[-1].endswith(": the disk is full")


def test_a_damaged_page_inside_passages_sqlite_is_found_and_rebuilt(data_copy, tmp_path, caplog):
    """The header intact, one page in the middle overwritten: it used to say "up to date", then every
    update failed with "database disk image is malformed"."""
    index, encoder = tmp_path / "index", HashEncoder()
    first = build_index(data_copy, index, encoder)
    path = current_generation(index) / "passages.sqlite"
    raw = bytearray(path.read_bytes())
    page = int.from_bytes(raw[16:18], "big")
    middle = (len(raw) // page // 2) * page
    raw[middle : middle + page] = b"\xa5" * page
    path.write_bytes(bytes(raw))

    with pytest.raises(IndexCorruptError) as error:
        IndexStore.open(index, encoder)
    assert "passages.sqlite has damaged pages" in str(error.value) and "\n" not in str(error.value)
    with caplog.at_level(logging.WARNING):
        report = build_index(data_copy, index, encoder)  # plain `tracuu index`
    assert not report.unchanged and report.passages == first.passages
    assert [r.message for r in caplog.records if "replacing the previous index" in r.message]
    (data_copy / "moi.txt").write_text("Bài mới\n\nMột đoạn văn mới về cảng Hải Phòng năm nay.\n", "utf-8")
    assert build_index(data_copy, index, encoder).added == 1  # updates work again
    IndexStore.open(index, encoder).close()
