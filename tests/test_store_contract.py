"""One contract for every StateStore: what the bot remembers, and that it survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import Owner, SQLiteStateStore
from bot.store.base import Hit, SavedSearch
from bot.store.postgres import PostgresStateStore
from retriever.errors import TraCuuError
from retriever.models import SearchResponse, SearchResult
from tests.store_fixtures import stored

HOUR = 3600.0


def response(question: str = "biên giới?") -> SearchResponse:
    result = SearchResult(7, "Hai nước có chung đường biên giới.", "Hai nước", 0.9, "Tiêu đề", "2022-09-04",
                          "Báo Tin tức", "003.txt", 3, False, "", "", 4242)
    return SearchResponse(question, False, (result,), 12.5)


def saved(question: str = "biên giới?") -> SavedSearch:
    return SavedSearch(question, (Hit(4242, 0.9, (0, 8)),))  # "Hai nước" at 0: re-read from the index


def test_a_search_survives_a_restart_and_only_its_owner_sees_it(open_store) -> None:
    store = open_store()
    private = store.save_search(response(), Owner(chat_id=10, user_id=10), now=1000.0)
    group = store.save_search(response("nhóm"), Owner(chat_id=-50, user_id=None), now=1000.0)
    assert len(private) <= 16 and private != group

    again = open_store()
    assert again.load_search(private, 10, 10, now=1001.0, ttl=HOUR) == saved()
    assert again.load_search(private, 10, 11, now=1001.0, ttl=HOUR) is None  # another user
    assert again.load_search(private, 11, 10, now=1001.0, ttl=HOUR) is None  # another chat
    assert again.load_search(group, -50, 12345, now=1001.0, ttl=HOUR).question == "nhóm"  # anyone in the group
    assert again.load_search(group, -51, 12345, now=1001.0, ttl=HOUR) is None
    assert again.load_search(private, 10, 10, now=1000.0 + 2 * HOUR, ttl=HOUR) is None  # expired
    assert again.load_search("nosuchkey", 10, 10, now=1001.0, ttl=HOUR) is None


def test_a_search_of_someone_elses_words_is_kept_marked_as_theirs(open_store) -> None:
    store = open_store()
    key = store.save_search(response(), Owner(chat_id=-50, user_id=None), now=1000.0, theirs=True)
    mine = store.save_search(response(), Owner(chat_id=-50, user_id=None), now=1000.0)
    assert store.load_search(key, -50, 7, 1001.0, 60.0).theirs
    assert not store.load_search(mine, -50, 7, 1001.0, 60.0).theirs


def test_a_days_window_outlives_the_hourly_pruning(open_store) -> None:
    store = open_store()
    for _ in range(2):
        assert store.take("follow:5", 2, 24 * HOUR, 1000.0) == 0.0
    store.prune(now=1000.0 + 2 * HOUR, search_ttl=HOUR)
    assert store.take("follow:5", 2, 24 * HOUR, 1000.0 + 2 * HOUR) > 0  # a follower's daily share: spent


def test_rate_windows_are_per_bucket_and_slide(open_store) -> None:
    store = open_store()
    assert store.take("ask:1", 2, 60.0, now=0.0) == 0.0
    assert store.take("ask:1", 2, 60.0, now=10.0) == 0.0
    assert store.take("ask:1", 2, 60.0, now=20.0) == pytest.approx(40.0)
    assert store.take("ask:2", 2, 60.0, now=20.0) == 0.0
    assert open_store().take("ask:1", 2, 60.0, now=61.0) == 0.0  # the first fell out of the window


def test_an_event_given_back_no_longer_counts(open_store) -> None:
    store = open_store()
    assert store.take("follow:1", 1, 86400.0, now=5.0) == 0.0
    store.give_back("follow:1", 5.0)  # the news it allowed was refused: the day's share is still there
    store.give_back("follow:2", 5.0)  # nothing taken there: nothing happens
    assert store.take("follow:1", 1, 86400.0, now=6.0) == 0.0
    assert store.take("follow:1", 1, 86400.0, now=7.0) > 0


def test_answer_stats_count_and_rank(open_store) -> None:
    store = open_store()
    assert store.answer_stats().p50_seconds is None
    for ms in range(1, 101):
        store.record_answer(ms / 1000, abstained=ms % 10 == 0)
    stats = open_store().answer_stats()
    assert (stats.answered, stats.abstained) == (100, 10)
    assert stats.p50_seconds == pytest.approx(0.05) and stats.p95_seconds == pytest.approx(0.095)


def test_feeds_items_and_chat_settings(open_store) -> None:
    store = open_store()
    assert store.add_feed("https://example.org/rss", 1) and not store.add_feed("https://example.org/rss", 1)
    store.update_feed("https://example.org/rss", failures=3, reported=True)
    assert [(f.url, f.failures, f.reported) for f in store.feeds()] == [("https://example.org/rss", 3, True)]
    assert store.remember_item("https://example.org/a") and not store.remember_item("https://example.org/a")
    store.forget_item("https://example.org/a")  # it failed for a passing reason: the next poll fetches it
    assert store.remember_item("https://example.org/a")
    store.save_chat_settings(-50, {"top_k": 2, "lang": "en"})
    assert open_store().chat_settings(-50) == {"top_k": 2, "lang": "en"} and store.chat_settings(1) == {}
    assert store.remove_feed("https://example.org/rss") and store.feeds() == []
    assert store.chats_with_settings() == [-50]
    store.delete_chat_settings(-50)
    assert open_store().chat_settings(-50) == {} and store.chats_with_settings() == []


def test_a_kept_answer_holds_ids_not_texts_and_stays_small(open_store) -> None:
    """An answer of 15 long passages costs a few hundred bytes, and none of its text."""
    long_text = "Hai nước có chung đường biên giới dài hơn 2.300 km. " * 30
    results = tuple(
        SearchResult(n, long_text, "Hai nước có chung đường biên giới", 0.5, "Tiêu đề dài " * 10, "2022-09-04",
                     "Báo Tin tức", f"{n:03}.txt", n, False, "", "https://example.org/" + "x" * 80, 10**15 + n)
        for n in range(15)
    )
    store = open_store()
    key = store.save_search(SearchResponse("biên giới?", False, results), Owner(-5, None), now=0.0)
    prefix = "bot_" if isinstance(store, PostgresStateStore) else ""
    [(payload,)] = stored(store)._run(f"SELECT response FROM {prefix}searches")
    assert "biên giới dài" not in payload and "Tiêu đề" not in payload and "example.org" not in payload
    assert len(payload.encode()) < 600, len(payload.encode())  # it was about 10 KB per answer
    kept = store.load_search(key, -5, 1, now=1.0, ttl=HOUR)
    assert [hit.passage_id for hit in kept.hits] == [10**15 + n for n in range(15)]
    assert kept.hits[0].highlight == (0, len("Hai nước có chung đường biên giới"))


def test_pruning_keeps_the_store_bounded_with_many_users(open_store, tmp_path: Path) -> None:
    store = open_store()
    for user in range(10_000):
        store.take(f"ask:{user}", 20, 60.0, now=float(user % 60))
        store.save_search(response(), Owner(user, user), now=float(user % 60))
    store.prune(now=30 * HOUR, search_ttl=HOUR)
    assert store.take("ask:1", 1, 60.0, now=30 * HOUR) == 0.0
    assert all(store.load_search("x", user, user, 30 * HOUR, HOUR) is None for user in range(3))
    prefix = "bot_" if isinstance(store, PostgresStateStore) else ""
    assert stored(store)._run(f"SELECT COUNT(*) FROM {prefix}searches") == [(0,)]
    assert stored(store)._run(f"SELECT COUNT(*) FROM {prefix}events") == [(1,)]


def test_an_update_is_processed_once_across_restarts_and_replicas(open_store) -> None:
    first, second = open_store(), open_store()
    assert first.claim_update(41, now=0.0, lease=30.0) == "process"
    assert second.claim_update(41, now=1.0, lease=30.0) == "busy"  # the first replica is on it
    first.finish_update(41)
    assert second.claim_update(41, now=2.0, lease=30.0) == "done"  # a redelivery: nothing to do
    assert second.claim_update(42, now=3.0, lease=30.0) == "process"
    # the replica that claimed 42 died before finishing: once its lease ran out another one takes over
    assert first.claim_update(42, now=20.0, lease=30.0) == "busy"
    assert first.claim_update(42, now=40.0, lease=30.0) == "process"
    assert second.claim_update(42, now=41.0, lease=30.0) == "busy"
    first.renew_update(42, now=65.0)  # alive and still answering: not taken over when the lease would end
    assert second.claim_update(42, now=80.0, lease=30.0) == "busy"
    assert second.claim_update(42, now=96.0, lease=30.0) == "process"  # no renewal since: it died
    first.prune(now=2 * 24 * HOUR, search_ttl=HOUR)  # long after Telegram stopped redelivering
    assert first.claim_update(41, now=2 * 24 * HOUR, lease=30.0) == "process"
    assert first.ping()


def test_unanswered_questions_count_by_text_within_the_period(open_store) -> None:
    store = open_store()
    store.record_unanswered("phở bò?", "private", now=100.0)
    store.record_unanswered("phở bò?", "supergroup", now=200.0)
    store.record_unanswered("bún chả?", "private", now=300.0, user_id=42)
    store.record_unanswered("cũ quá", "private", now=10.0)
    found = open_store().unanswered(since=50.0, limit=10)
    assert [(q.question, q.count, q.last_at) for q in found] == [("phở bò?", 2, 200.0), ("bún chả?", 1, 300.0)]
    assert [q.question for q in store.unanswered(since=0.0, limit=1)] == ["phở bò?"]
    store.prune(now=10.0 + 400 * 24 * HOUR, search_ttl=HOUR)
    assert store.unanswered(since=0.0, limit=10) == []


def test_one_vote_per_voter_per_answer_and_changeable(open_store) -> None:
    store = open_store()
    assert store.record_vote("k1", "v1", False, "biên giới?", "private", now=100.0) is None
    assert store.record_vote("k1", "v1", False, "biên giới?", "private", now=110.0) is False
    assert store.record_vote("k1", "v2", False, "biên giới?", "group", now=120.0) is None
    assert store.record_vote("k2", "v1", False, "thủ đô?", "private", now=130.0) is None
    assert [(q.question, q.count) for q in open_store().downvoted(since=0.0, limit=10)] == [
        ("biên giới?", 2), ("thủ đô?", 1)
    ]
    assert store.record_vote("k1", "v1", True, "biên giới?", "private", now=140.0) is False  # changed its mind
    assert [(q.question, q.count) for q in store.downvoted(since=0.0, limit=10)] == [
        ("thủ đô?", 1), ("biên giới?", 1)  # a tie: the latest first
    ]
    assert [q.question for q in store.downvoted(since=125.0, limit=10)] == ["thủ đô?"]


def test_an_upload_held_until_stored_is_taken_over_once_its_replica_stops_renewing_it(open_store) -> None:
    store = open_store()
    store.hold_upload("k1", '{"name": "a.txt"}', b"\x00raw bytes", now=1000.0)
    store.hold_upload("k2", '{"name": "b.txt"}', b"other", now=1000.0)
    store.renew_held(["k1"], now=1050.0)  # its replica is alive and still on it
    again = open_store()  # another replica, or the restart of one that died
    [taken] = again.take_held(now=1070.0, lease=60.0)
    assert (taken.key, taken.record, taken.raw) == ("k2", '{"name": "b.txt"}', b"other")
    assert again.take_held(now=1071.0, lease=60.0) == []  # claimed: nobody else takes it
    again.release_upload("k2")  # stored in the collection
    assert [held.key for held in again.take_held(now=2000.0, lease=60.0)] == ["k1"]
    assert again.take_held(now=3000.0, lease=60.0)[0].raw == b"\x00raw bytes"


def test_an_older_sqlite_store_is_migrated_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.store.sqlite as sqlite_store

    full = sqlite_store.MIGRATIONS
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", full[:1])
    old = SQLiteStateStore(tmp_path / "state.sqlite")
    old.save_chat_settings(-50, {"top_k": 2})
    old.close()
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", full)
    store = SQLiteStateStore(tmp_path / "state.sqlite")
    assert store.chat_settings(-50) == {"top_k": 2}
    store.record_unanswered("phở?", "private", now=1.0)
    assert store._run("PRAGMA user_version") == [(len(full),)] and len(store.unanswered(0.0, 5)) == 1
    store.close()
    # and an older version started on it (a rollback) refuses it, rather than write in the old layout
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", full[:-1])
    with pytest.raises(TraCuuError, match="state database's schema is version .* newer than this Tra Cứu knows"):
        SQLiteStateStore(tmp_path / "state.sqlite")


def test_a_failed_write_to_the_state_file_is_an_outage_that_passes(tmp_path: Path) -> None:
    from bot.store import StoreUnavailable

    store = SQLiteStateStore(tmp_path / "state.sqlite")
    db = store._db  # noqa: SLF001 (the file made full, as SQLite says it: "database or disk is full")
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 1}")
    with pytest.raises(StoreUnavailable, match="disk is full"):
        for n in range(100_000):  # rate windows of readers, until the file can take no more
            store.take(f"ask:{n}", 5, 60.0, 1000.0)
    db.execute("PRAGMA max_page_count = 1073741823")  # room again
    # the failed write stayed open: every later one failed ("cannot start a transaction within a transaction")
    store.record_answer(0.5, False)
    assert store.take("ask:1", 5, 60.0, 1000.0) == 0.0 and store.answer_stats().answered == 1
    store.close()


def test_a_state_file_deleted_under_the_bot_is_said_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    store = SQLiteStateStore(tmp_path / "state.sqlite")
    assert store.ping()
    (tmp_path / "state.sqlite").unlink()  # `rm -rf` of the index folder that holds it, by default
    with caplog.at_level(logging.ERROR, logger="bot.store.sqlite"):
        assert not store.ping() and not store.ping()
        store.prune(10_000.0, 3600.0)
    # it went on writing to the deleted file, without a word, and lost it all at the next start
    assert [r.getMessage() for r in caplog.records].count(
        f"the bot's state file {tmp_path / 'state.sqlite'} was deleted or replaced while the bot ran: what it keeps "
        "now (settings, follows, feeds) is lost at the next start; restart the bot now") == 1
    store.close()
