"""No Telegram user id in the bot's state: rate-limit windows, answer owners, private chats' settings and
votes name a user by a keyed hash of the id (HMAC-SHA256), never the id.

The key is not stored with the data: it is USER_ID_SECRET, or derived from the bot token. Whoever holds
the state alone cannot test the few billion possible ids against it. Changing the key (or the token when
the key is derived from it) starts afresh: rate windows, private chats' settings and the buttons of
private answers are forgotten, and people may vote once more on answers kept from before. Group chats
(negative ids) are not people and are kept as they are. Only with STORE_USER_IDS=1 do unanswered
questions and votes carry the id itself (`bot.feedback`)."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import replace

from bot.store.base import (
    AnswerStats,
    Claim,
    Feed,
    Owner,
    QuestionCount,
    SavedSearch,
    StateStore,
)
from bot.store.sources import Channel, Follow, HeldUpload
from retriever.models import SearchResponse

log = logging.getLogger(__name__)

# pseudonyms live in [2**62, 2**63): above every Telegram id (at most 52 bits), so a chat id left from an
# older version is told apart from a pseudonym, and both fit a signed 64-bit column
_BASE = 2**62
_TELEGRAM_IDS = 2**53


class Pseudonyms:
    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_settings(cls, secret: str, token: str) -> Pseudonyms:
        """USER_ID_SECRET when set, else a key derived from the bot token (never stored)."""
        if secret:
            return cls(hashlib.sha256(b"tracuu user ids\0" + secret.encode()).digest())
        return cls(hmac.new(token.encode(), b"tracuu user ids", hashlib.sha256).digest())

    def of(self, telegram_id: int) -> int:
        """A private chat's or a user's pseudonym; a group's (negative) id as it is."""
        if telegram_id < 0:
            return telegram_id
        digest = hmac.new(self._key, b"id:%d" % telegram_id, hashlib.sha256).digest()
        return _BASE + int.from_bytes(digest[:8], "big") % _BASE

    def voter(self, answer_key: str, user_id: int) -> str:
        """One vote per person per answer; unlinkable across answers, and not testable without the key."""
        return hmac.new(self._key, f"vote:{answer_key}:{user_id}".encode(), hashlib.sha256).hexdigest()[:24]

    def answer(self, answer_key: str) -> str:
        """An answer's key as its votes keep it: not the key its kept search has."""
        return hmac.new(self._key, f"answer:{answer_key}".encode(), hashlib.sha256).hexdigest()[:24]

    def seal(self, chat_id: int) -> int:
        """A private chat id the bot must write to later (a follow's news), masked with a key-derived pad per
        pseudonym: the state alone does not give it away, the bot (holding the key) can."""
        return chat_id ^ self._pad(self.of(chat_id))

    def unseal(self, pseudonym: int, sealed: int) -> int:
        return sealed ^ self._pad(pseudonym)

    def _pad(self, pseudonym: int) -> int:
        digest = hmac.new(self._key, b"deliver:%d" % pseudonym, hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big") % _BASE

    def bucket(self, name: str) -> str:
        """A rate-limit bucket "kind:<id>" with the id replaced by its pseudonym."""
        kind, _, value = name.partition(":")
        return f"{kind}:{self.of(int(value))}" if value.lstrip("-").isdigit() else name


class PseudonymousStore:
    """A StateStore that hands the wrapped one pseudonyms instead of Telegram ids."""

    def __init__(self, inner: StateStore, pseudonyms: Pseudonyms) -> None:
        self.inner = inner
        self.pseudonyms = pseudonyms
        self._migrate_chat_settings()

    def _migrate_chat_settings(self) -> None:
        """Private chats' settings saved under the chat id by an older version move to the pseudonym."""
        for chat_id in self.inner.chats_with_settings():
            if 0 < chat_id < _TELEGRAM_IDS:
                settings = self.inner.chat_settings(chat_id)
                self.inner.save_chat_settings(self.pseudonyms.of(chat_id), settings)
                self.inner.delete_chat_settings(chat_id)

    def _user(self, user_id: int | None) -> int | None:
        return None if user_id is None else self.pseudonyms.of(user_id)

    def save_search(self, response: SearchResponse, owner: Owner, now: float, theirs: bool = False) -> str:
        return self.inner.save_search(response, Owner(self.pseudonyms.of(owner.chat_id), self._user(owner.user_id)),
                                      now, theirs)

    def load_search(self, key: str, chat_id: int, user_id: int | None, now: float, ttl: float) -> SavedSearch | None:
        return self.inner.load_search(key, self.pseudonyms.of(chat_id), self._user(user_id), now, ttl)

    def take(self, bucket: str, limit: int, window: float, now: float) -> float:
        return self.inner.take(self.pseudonyms.bucket(bucket), limit, window, now)

    def give_back(self, bucket: str, now: float) -> None:
        self.inner.give_back(self.pseudonyms.bucket(bucket), now)

    def record_answer(self, seconds: float, abstained: bool) -> None:
        self.inner.record_answer(seconds, abstained)

    def answer_stats(self) -> AnswerStats:
        return self.inner.answer_stats()

    def claim_update(self, update_id: int, now: float, lease: float) -> Claim:
        return self.inner.claim_update(update_id, now, lease)

    def renew_update(self, update_id: int, now: float) -> None:
        self.inner.renew_update(update_id, now)

    def finish_update(self, update_id: int) -> None:
        self.inner.finish_update(update_id)

    def add_feed(self, url: str, added_by: int) -> bool:
        return self.inner.add_feed(url, added_by)  # an admin's chat, to report to: admins are configured by id

    def remove_feed(self, url: str) -> bool:
        return self.inner.remove_feed(url)

    def feeds(self) -> list[Feed]:
        return self.inner.feeds()

    def update_feed(self, url: str, failures: int, reported: bool) -> None:
        self.inner.update_feed(url, failures, reported)

    def remember_item(self, key: str) -> bool:
        return self.inner.remember_item(key)

    def forget_item(self, key: str) -> None:
        self.inner.forget_item(key)

    def record_unanswered(self, question: str, chat_type: str, now: float, user_id: int | None = None) -> None:
        self.inner.record_unanswered(question, chat_type, now, user_id)  # an id only with STORE_USER_IDS=1

    def record_vote(
        self, key: str, voter: str, up: bool, question: str, chat_type: str, now: float, user_id: int | None = None
    ) -> bool | None:
        # the answer's key in the votes keyed too: as it was, joined with the kept searches (48 hours, under
        # the asker's pseudonym) it linked each person's votes on several answers
        return self.inner.record_vote(self.pseudonyms.answer(key), voter, up, question, chat_type, now, user_id)

    def unanswered(self, since: float, limit: int) -> list[QuestionCount]:
        return self.inner.unanswered(since, limit)

    def downvoted(self, since: float, limit: int) -> list[QuestionCount]:
        return self.inner.downvoted(since, limit)

    def chat_settings(self, chat_id: int) -> dict[str, object]:
        return self.inner.chat_settings(self.pseudonyms.of(chat_id))

    def save_chat_settings(self, chat_id: int, settings: dict[str, object]) -> None:
        self.inner.save_chat_settings(self.pseudonyms.of(chat_id), settings)

    def chats_with_settings(self) -> list[int]:
        return self.inner.chats_with_settings()

    def delete_chat_settings(self, chat_id: int) -> None:
        self.inner.delete_chat_settings(self.pseudonyms.of(chat_id))

    # -- channels (chat ids of channels are negative: kept as they are) and follows ------------------
    def add_channel(self, channel: Channel) -> bool:
        return self.inner.add_channel(channel)  # added_by: an admin, configured by id like feeds' reports

    def remove_channel(self, chat_id: int) -> bool:
        return self.inner.remove_channel(chat_id)

    def hold_upload(self, key: str, record: str, raw: bytes, now: float) -> None:
        self.inner.hold_upload(key, record, raw, now)  # an admin's, who is named in the settings

    def renew_held(self, keys: list[str], now: float) -> None:
        self.inner.renew_held(keys, now)

    def release_upload(self, key: str) -> None:
        self.inner.release_upload(key)

    def take_held(self, now: float, lease: float) -> list[HeldUpload]:
        return self.inner.take_held(now, lease)

    def channels(self) -> list[Channel]:
        return self.inner.channels()

    def rename_channel(self, chat_id: int, title: str) -> None:
        self.inner.rename_channel(chat_id, title)

    def add_follow(self, chat_id: int, query: str, vector: bytes, now: float, deliver_to: int = 0) -> int:
        return self.inner.add_follow(self.pseudonyms.of(chat_id), query, vector, now, self.pseudonyms.seal(chat_id))

    def remove_follow(self, chat_id: int, follow_id: int) -> bool:
        return self.inner.remove_follow(self.pseudonyms.of(chat_id), follow_id)

    def follows_of(self, chat_id: int) -> list[Follow]:
        return [self._delivered(f) for f in self.inner.follows_of(self.pseudonyms.of(chat_id))]

    def all_follows(self, after: int = 0) -> list[Follow]:
        return [self._delivered(f) for f in self.inner.all_follows(after)]

    def follow_ids(self) -> set[int]:
        return self.inner.follow_ids()

    def _delivered(self, follow: Follow) -> Follow:
        """The follow with the chat its news goes to (unsealed), as the bot sees it."""
        return replace(follow, chat_id=self.pseudonyms.unseal(follow.chat_id, follow.deliver_to), deliver_to=0)

    def prune(self, now: float, search_ttl: float) -> None:
        self.inner.prune(now, search_ttl)

    def ping(self) -> bool:
        return self.inner.ping()

    def close(self) -> None:
        self.inner.close()
