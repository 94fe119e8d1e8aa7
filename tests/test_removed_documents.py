"""A question about a document that was just removed gets "not found", not another document's similar
paragraph; the rest of the collection answers as before, and a document that comes back answers again."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retriever.index.local.build import build_index
from retriever.index.local.generations import current_generation
from retriever.index.local.storage import IndexStore
from retriever.index.removed import REMEMBERED, Removed, remembered
from retriever.library import Library, LibraryConfig
from retriever.query.search import Searcher
from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.collection_fixtures import final_of
from tests.conftest import SeedDirs, open_seed_copy
from tests.fake_telegram import FakeTelegram
from tests.fakes import HashEncoder
from tests.test_bot_e2e import ask
from tests.test_index import NEW_ARTICLE

REMOVED = "viet-nam-coi-trong-quan-he-dac-biet-voi-lao.txt"
# seed questions (eval/seed_dev.jsonl) that REMOVED answers; without it, other articles on
# Vietnam-Laos relations hold paragraphs that look like answers to them
ABOUT_REMOVED = (
    "Ban Đối ngoại Trung ương thông báo kết quả Đại hội nào tới Đảng Nhân dân Cách mạng Lào?",
    "Đồng chí Sounthone Sayachak đánh giá cao việc gì?",
)
# seed questions other articles answer
ABOUT_OTHERS = (
    "Sân vận động nào đỏ rực màu cờ Việt Nam?",
    "Năm 2017 là năm gì trong quan hệ Việt Nam - Lào?",
    "Hai Bộ Ngoại giao hợp tác về nghiên cứu chiến lược như thế nào?",
    "When did Vietnam and Laos establish diplomatic relations?",
)


def _quotes(library: Library, question: str) -> list[tuple[str, str]]:
    return [(r.document, r.text) for r in library.search(question, 3).results]


def _without_check(library: Library) -> Searcher:
    searcher = library.searcher
    options = replace(searcher.options, removed_margin=None)
    return Searcher(searcher.store, searcher.encoder, options, searcher.calibrations)


def test_a_removed_article_is_not_answered_from_a_similar_one_and_comes_back_when_restored(
    e5, seed_copy: SeedDirs
) -> None:
    library, _ = Library.open(LibraryConfig(seed_copy.data, seed_copy.index), e5)
    assert all(any(document == REMOVED for document, _ in _quotes(library, q)) for q in ABOUT_REMOVED)
    before = {q: _quotes(library, q) for q in ABOUT_OTHERS}
    assert all(before.values())
    article = seed_copy.data / REMOVED
    text = article.read_text("utf-8")
    article.unlink()
    assert library.reindex().removed == 1

    for question in ABOUT_REMOVED:
        assert library.search(question, 3).abstained, question
    # what abstains is the check: without it another article's paragraph is quoted
    assert any(not _without_check(library).search(q, 3).abstained for q in ABOUT_REMOVED)
    # the rest is answered as it is without the check (BM25's statistics changed, so not always as before)
    for question in ABOUT_OTHERS:
        shown = _quotes(library, question)
        assert shown and shown[0] == before[question][0], question
        unchecked = _without_check(library).search(question, 3).results
        assert shown == [(r.document, r.text) for r in unchecked], question

    article.write_text(text, "utf-8")
    assert library.reindex().added == 1
    assert all(any(document == REMOVED for document, _ in _quotes(library, q)) for q in ABOUT_REMOVED)
    assert library.searcher.store.removed_passages() == []  # type: ignore[attr-defined]
    library.close()


def test_a_changed_article_still_answers_its_questions(e5, seed_copy: SeedDirs) -> None:
    library, _ = Library.open(LibraryConfig(seed_copy.data, seed_copy.index), e5)
    article = seed_copy.data / REMOVED
    paragraphs = article.read_text("utf-8").split("\n\n")
    last = len(paragraphs) - 1
    paragraphs[last] = paragraphs[last] + " Bài viết được cập nhật thêm."  # not the answers' paragraphs
    article.write_text("\n\n".join(paragraphs), "utf-8")
    assert library.reindex().changed == 1
    assert all(any(document == REMOVED for document, _ in _quotes(library, q)) for q in ABOUT_REMOVED)
    library.close()


def test_the_index_remembers_removed_passages_not_their_text(data_copy: Path, tmp_path: Path) -> None:
    encoder, index = HashEncoder(), tmp_path / "index"
    (data_copy / "new.txt").write_text(NEW_ARTICLE, "utf-8")
    build_index(data_copy, index, encoder)
    (data_copy / "new.txt").unlink()
    report = build_index(data_copy, index, encoder)
    store = IndexStore.open(index, encoder)
    kept = store.removed_passages()
    assert len(kept) == report.passages_removed > 0
    assert store.manifest["removed_passages"] == len(kept)
    assert all(r.vectors.dtype == np.int8 and r.vectors.shape[1] == encoder.dim for r in kept)
    store.close()
    with sqlite3.connect(current_generation(index) / "passages.sqlite") as db:  # type: ignore[operator]
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = [row[1] for row in db.execute("PRAGMA table_info(removed)")]
    assert "removed" in tables and "text" not in columns


def test_an_index_written_before_removed_passages_were_kept_still_loads(data_copy: Path, tmp_path: Path) -> None:
    encoder, index = HashEncoder(), tmp_path / "index"
    build_index(data_copy, index, encoder)
    generation = current_generation(index)
    assert generation is not None
    with sqlite3.connect(generation / "passages.sqlite") as db:
        db.execute("DROP TABLE removed")
    store = IndexStore.open(index, encoder)
    assert store.removed_passages() == [] and store.removed.best(np.ones((1, encoder.dim), np.float32))[0] == -1
    store.close()


@pytest.mark.asyncio
async def test_in_telegram_after_an_admin_removes_an_article_a_reader_is_told_it_is_not_found(
    e5, seed_index: SeedDirs, start_bot: StartBot, telegram: FakeTelegram, tmp_path: Path
) -> None:
    library = open_seed_copy(e5, seed_index, tmp_path / "collection")
    await start_bot(library=library)
    admin, reader = telegram.user(ADMIN_ID, "Admin"), telegram.user(3001, "Lan")
    admin_chat, reader_chat = telegram.private_chat(admin), telegram.private_chat(reader)
    question = ABOUT_REMOVED[1]
    _, before = await ask(telegram, reader_chat, reader, question)
    assert "Sounthone Sayachak đánh giá cao" in before.params["text"]

    _, listing = await ask(telegram, admin_chat, admin, "/remove coi trọng quan hệ đặc biệt")
    keyboard = listing.params["reply_markup"]["inline_keyboard"]
    [choice] = [b["callback_data"] for row in keyboard for b in row if "coi trọng" in b["text"]]
    await telegram.press(listing.result, choice, admin)
    assert "Đã xóa" in await final_of(telegram, listing)

    _, after = await ask(telegram, reader_chat, reader, question)
    header, said = after.params["text"].split("\n\n", 1)
    assert question in header and said.startswith("Không tìm thấy đoạn nào") and "Sounthone" not in said
    library.close()


def _removed(passage_id: int, at: str) -> Removed:
    return Removed(passage_id, at, np.ones((2, 4), dtype=np.int8))


def test_what_is_remembered_most_recent_first_bounded_and_never_live() -> None:
    old = [_removed(i, f"2026-01-01T00:00:{i % 60:02d}") for i in range(REMEMBERED)]
    new = [_removed(REMEMBERED + 1, "2026-02-01T00:00:00"), _removed(7, "2026-02-01T00:00:00")]
    kept = remembered(old, new, live_ids={3})
    ids = [r.passage_id for r in kept]
    assert len(kept) == REMEMBERED and ids[:2] == [REMEMBERED + 1, 7]
    assert 3 not in ids and len(set(ids)) == len(ids)
    assert [r.removed_at for r in kept] == sorted((r.removed_at for r in kept), reverse=True)
