"""The StateStore contract for channels and follows, on both stores (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.store import Channel
from tests.test_store_contract import HOUR

YEAR = 365 * 24 * HOUR


def test_channels_are_kept_listed_and_removed_across_a_restart(open_store) -> None:
    store = open_store()
    channel = Channel(-1001234567890, "tintucQN", "Tin tức Quảng Nam", "tintucqn", 900001)
    assert store.add_channel(channel) and not store.add_channel(channel)
    store.rename_channel(channel.chat_id, "Tin tức Quảng Nam 24h")
    again = open_store()
    assert again.channels() == [Channel(-1001234567890, "tintucQN", "Tin tức Quảng Nam 24h", "tintucqn", 900001)]
    assert again.remove_channel(channel.chat_id) and not again.remove_channel(channel.chat_id)
    assert again.channels() == []


def test_follows_belong_to_their_chat_and_lapse_after_a_year(open_store) -> None:
    store = open_store()
    vector = bytes(range(16))
    first = store.add_follow(11, "giá vàng", vector, 1000.0)
    assert store.add_follow(11, "giá vàng", vector, 2000.0) == first  # the same words: the same follow
    other = store.add_follow(12, "bão số 3", vector, 1000.0 + YEAR)
    again = open_store()
    assert [(f.query, f.vector) for f in again.follows_of(11)] == [("giá vàng", vector)]
    assert [f.follow_id for f in again.all_follows()] == [first, other]
    assert [f.follow_id for f in again.all_follows(after=first)] == [other]
    assert not again.remove_follow(12, first)  # another reader's follow stays
    for follow_id in (first, other):  # news each was told: kept while the follow lasts
        assert again.remember_item(f"told:{follow_id}:abc")
    again.prune(1000.0 + YEAR + 1, HOUR)
    assert again.follow_ids() == {other}
    assert again.remove_follow(12, other) and again.follows_of(12) == []
    # and gone with it: what a follow was told outlived it for good
    assert again.remember_item(f"told:{first}:abc") and again.remember_item(f"told:{other}:abc")


def test_the_state_holds_a_followers_pseudonym_and_a_sealed_chat_that_only_the_key_opens(tmp_path) -> None:
    from bot.store import SQLiteStateStore
    from bot.store.pseudonyms import PseudonymousStore, Pseudonyms

    inner = SQLiteStateStore(tmp_path / "state.sqlite")
    store = PseudonymousStore(inner, Pseudonyms.from_settings("khóa bí mật", ""))
    store.add_follow(5101, "giá vàng", bytes(8), 1000.0)
    [kept] = inner.all_follows()
    assert kept.chat_id != 5101 and kept.deliver_to != 5101  # the file alone names no reader
    assert [(f.chat_id, f.query) for f in store.all_follows()] == [(5101, "giá vàng")]
    assert [f.query for f in store.follows_of(5101)] == ["giá vàng"] and store.follows_of(5102) == []
    other_key = PseudonymousStore(inner, Pseudonyms.from_settings("khóa khác", ""))
    assert [f.chat_id for f in other_key.all_follows()] != [5101]
    assert store.remove_follow(5101, kept.follow_id)
    inner.close()
