"""The StateStore seam: cached searches (with their owner), rate-limit windows, answer stats, feeds and
per-chat settings. One contract test (tests/test_store_contract.py) runs against every implementation."""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.store.sources import Channel, Follow, HeldUpload
from retriever.models import SearchResponse

LATENCY_WINDOW = 1000  # answers kept for the latency percentiles
UPDATE_MEMORY = 24 * 3600.0  # Telegram gives up redelivering an update well within a day
FEEDBACK_RETENTION = 365 * 24 * 3600.0  # seconds
LONGEST_WINDOW = 24 * 3600.0  # the longest rate window a bucket is taken with (a follower's daily news)

Claim = Literal["process", "done", "busy"]


class StoreUnavailable(Exception):
    """The store's database cannot be reached (down at start, or lost while serving): the message names the fix.
    `transient`: it may come back by itself (not a setting to fix: a wrong password or database name)."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Owner:
    """Who may press the buttons of an answer: anyone in a group chat, only the asker in a private one."""

    chat_id: int
    user_id: int | None  # None: every member of the chat

    def allows(self, chat_id: int, user_id: int | None) -> bool:
        return chat_id == self.chat_id and (self.user_id is None or user_id == self.user_id)


@dataclass(frozen=True)
class Hit:
    """One result of a kept search: which passage, its score, and where its highlight sits in the text."""

    passage_id: int
    score: float
    highlight: tuple[int, int]  # start and length in the passage's text; (0, 0): none


@dataclass(frozen=True)
class SavedSearch:
    """What an answer's buttons need: the question and the passages' ids, never their texts. Pages are
    re-read from the index at every press, so a removed document's text is never shown again, and the
    state grows by a few hundred bytes per answered question whatever the passages' length."""

    question: str
    hits: tuple[Hit, ...]
    # the question is the text of someone else's message the reader asked to check ("@bot đúng không?"
    # under it): not the reader's words, so neither a 👎 nor a 🔔 keeps it
    theirs: bool = False


@dataclass(frozen=True)
class AnswerStats:
    answered: int
    abstained: int
    p50_seconds: float | None
    p95_seconds: float | None


@dataclass(frozen=True)
class Feed:
    url: str
    added_by: int  # chat to report to
    failures: int  # consecutive failed polls
    reported: bool  # the current run of failures was reported to the admins already


@dataclass(frozen=True)
class QuestionCount:
    """A question as asked (exact text) and how often it counted in the period asked about."""

    question: str
    count: int
    last_at: float


class AnswerKeys(Protocol):
    """The searches behind answers' buttons ("more results", the full article), kept for their owner."""

    def save_search(self, response: SearchResponse, owner: Owner, now: float, theirs: bool = False) -> str:
        """Keep `response` for its buttons; returns an unguessable key (short enough for callback data)."""
        ...

    def load_search(self, key: str, chat_id: int, user_id: int | None, now: float, ttl: float) -> SavedSearch | None:
        """The search under `key` when it is younger than `ttl` seconds AND its owner allows this chat and
        user; otherwise None (the caller shows "expired": a stranger learns nothing)."""
        ...


class Limits(Protocol):
    """Rate windows, and how answers went (for /stats)."""

    def take(self, bucket: str, limit: int, window: float, now: float) -> float:
        """Sliding window: 0.0 and the event is counted, or the seconds until one more is allowed."""
        ...

    def give_back(self, bucket: str, now: float) -> None:
        """Uncount the event `take(bucket, ..., now)` counted: what it allowed did not happen after all."""
        ...

    def record_answer(self, seconds: float, abstained: bool) -> None: ...

    def answer_stats(self) -> AnswerStats: ...


class UpdateClaims(Protocol):
    """Which replica answers which Telegram update: each is answered once."""

    def claim_update(self, update_id: int, now: float, lease: float) -> Claim:
        """"process" for the first claim of a Telegram update, or when the replica that claimed it more
        than `lease` seconds ago never finished it (it died: Telegram redelivers an update that got no 200,
        perhaps to another replica); "done" once finished; "busy" while another claim is fresh."""
        ...

    def renew_update(self, update_id: int, now: float) -> None:
        """The claimer is alive and still on it: its lease starts again from `now` (unless it is done)."""
        ...

    def finish_update(self, update_id: int) -> None: ...


class FeedKeeping(Protocol):
    """The feeds admins follow, and what of them (and of follows' news) was seen."""

    def add_feed(self, url: str, added_by: int) -> bool:
        """False when the feed is already followed."""
        ...

    def remove_feed(self, url: str) -> bool: ...

    def feeds(self) -> list[Feed]: ...

    def update_feed(self, url: str, failures: int, reported: bool) -> None: ...

    def remember_item(self, key: str) -> bool:
        """Mark a key as seen; False when it was seen before. Feed items (`url:…`, `text:…`) and the news a
        follow was told about (`told:<follow>:<document hash>`, bot/readers/follows.py)."""
        ...

    def forget_item(self, key: str) -> None:
        """Unmark a feed item, so that the next poll fetches it again (it failed for a passing reason)."""
        ...


class HeldUploads(Protocol):
    """What admins sent, held until it is stored: it outlives the replica that took it."""

    def hold_upload(self, key: str, record: str, raw: bytes, now: float) -> None: ...

    def renew_held(self, keys: list[str], now: float) -> None: ...

    def release_upload(self, key: str) -> None: ...

    def take_held(self, now: float, lease: float) -> list[HeldUpload]: ...


class SourceKeeping(Protocol):
    """The channels posts are taken from, and what readers follow."""

    def add_channel(self, channel: Channel) -> bool: ...

    def remove_channel(self, chat_id: int) -> bool: ...

    def channels(self) -> list[Channel]: ...

    def rename_channel(self, chat_id: int, title: str) -> None: ...

    def add_follow(self, chat_id: int, query: str, vector: bytes, now: float, deliver_to: int = 0) -> int: ...

    def remove_follow(self, chat_id: int, follow_id: int) -> bool: ...

    def follows_of(self, chat_id: int) -> list[Follow]: ...

    def all_follows(self, after: int = 0) -> list[Follow]: ...

    def follow_ids(self) -> set[int]: ...


class GapKeeping(Protocol):
    """Unanswered questions and votes, for /gaps."""

    def record_unanswered(self, question: str, chat_type: str, now: float, user_id: int | None = None) -> None:
        """A question the bot abstained on; `user_id` only when the operator opted in (STORE_USER_IDS)."""
        ...

    def record_vote(
        self, key: str, voter: str, up: bool, question: str, chat_type: str, now: float, user_id: int | None = None
    ) -> bool | None:
        """One vote per `voter` (an opaque pseudonym) per answer `key`, replacing an earlier one; returns the
        earlier vote (True up, False down) or None when this is the first."""
        ...

    def unanswered(self, since: float, limit: int) -> list[QuestionCount]:
        """Abstained questions asked at or after `since`, most frequent first (exact text)."""
        ...

    def downvoted(self, since: float, limit: int) -> list[QuestionCount]:
        """Questions whose answers got 👎 at or after `since` (current votes), most down-voted first."""
        ...


class ChatSettingsKeeping(Protocol):
    """Each chat's /settings."""

    def chat_settings(self, chat_id: int) -> dict[str, object]: ...

    def save_chat_settings(self, chat_id: int, settings: dict[str, object]) -> None: ...

    def chats_with_settings(self) -> list[int]: ...

    def delete_chat_settings(self, chat_id: int) -> None: ...


class Housekeeping(Protocol):
    """Bounded size, health, closing."""

    def prune(self, now: float, search_ttl: float) -> None:
        """Forget expired searches and rate-limit events, and questions and votes older than a year: keeps
        the store bounded however many users."""
        ...

    def ping(self) -> bool:
        """Whether the store's database answers (for /healthz)."""
        ...

    def close(self) -> None: ...


class StateStore(
    AnswerKeys,
    Limits,
    UpdateClaims,
    FeedKeeping,
    HeldUploads,
    SourceKeeping,
    GapKeeping,
    ChatSettingsKeeping,
    Housekeeping,
    Protocol,
):
    """The bot's state, one role a protocol: SQLite and PostgreSQL keep all of them, and code that needs one
    role can say which (`tests/test_store_contract.py` runs the same checks against each store)."""


def dump_response(response: SearchResponse, theirs: bool = False) -> str:
    hits = []
    for result in response.results:
        at = result.text.find(result.highlight) if result.highlight else -1
        hits.append([result.passage_id, result.score, max(at, 0), len(result.highlight) if at >= 0 else 0])
    kept: dict[str, object] = {"q": response.question, "h": hits, **({"o": 1} if theirs else {})}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


def load_response(payload: str) -> SavedSearch | None:
    """None for a search kept in the older format (with texts): its buttons say "expired"."""
    data = json.loads(payload)
    if "h" not in data:
        return None
    hits = tuple(Hit(int(pid), float(score), (int(start), int(length))) for pid, score, start, length in data["h"])
    return SavedSearch(str(data["q"]), hits, bool(data.get("o")))


def new_key() -> str:
    # 72 random bits in 12 URL-safe characters: "m:<key>:<page>" stays far below 64 bytes
    return secrets.token_urlsafe(9)


def answer_stats(counters: Mapping[str, int], latencies: Iterable[float]) -> AnswerStats:
    """AnswerStats from the stored counters and the latencies of the last LATENCY_WINDOW answers."""
    values = sorted(latencies)

    def rank(p: float) -> float | None:
        return values[max(0, math.ceil(p / 100 * len(values)) - 1)] if values else None

    return AnswerStats(counters.get("answered", 0), counters.get("abstained", 0), rank(50), rank(95))
