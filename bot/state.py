"""What the handlers share: configuration, the library, the durable StateStore, the search batcher."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.admins.jobs import IndexQueue
from bot.config import BotConfig
from bot.delivery.sequence import ChatSequencer
from bot.readers.recent import LastQuestions, RecentQueries
from bot.store import StateStore
from bot.store.pseudonyms import Pseudonyms
from bot.web.metrics import Metrics
from retriever.follows import FollowIndex

if TYPE_CHECKING:
    from bot.delivery.batching import SearchBatcher
    from retriever.library import Library


@dataclass(frozen=True)
class BotState:
    config: BotConfig
    library: Library
    store: StateStore
    batcher: SearchBatcher
    pseudonyms: Pseudonyms  # stands for Telegram ids in the state (votes); the key is never stored
    sequencer: ChatSequencer = field(default_factory=ChatSequencer)  # answers to a chat in question order
    metrics: Metrics = field(default_factory=Metrics)
    recent: RecentQueries = field(default_factory=lambda: RecentQueries(300.0))
    asked: LastQuestions = field(default_factory=LastQuestions)  # private chats' last questions, for follow-ups
    # (chat, message) → the text it was answered as: an edit that changes nothing is not answered again
    answered_as: LastQuestions = field(default_factory=lambda: LastQuestions(ttl=86400.0))
    started: float = field(default_factory=time.monotonic)  # this process: uptime is per replica
    queue: IndexQueue = field(default_factory=IndexQueue)  # the one indexing queue
    # webhook updates being processed, and those of them a dependency outage stopped before anything was sent:
    # the webhook answers 503 for these, so Telegram delivers them again (bot/web.py)
    webhook_updates: set[int] = field(default_factory=set)
    deferred: set[int] = field(default_factory=set)
    # the webhook found the state database down: the first update handed back to Telegram says so, later
    # ones (redelivered every few seconds, to every replica) do not repeat it
    store_down: threading.Event = field(default_factory=threading.Event)
    follows: FollowIndex = field(default_factory=FollowIndex)  # readers' follows, as the matcher holds them
    held: set[str] = field(default_factory=set)  # uploads this process holds until stored (bot/admins/uploads.py)
    # (chat, album) → the caption Telegram put on one of its files: an admin writes it for the whole album
    albums: LastQuestions = field(default_factory=lambda: LastQuestions(ttl=600.0))
    health: dict[str, str] = field(default_factory=dict)  # what /healthz said last ("said"): logged on change

    def uptime(self) -> float:
        return time.monotonic() - self.started


class BotData:
    """`application.bot_data` (through ContextTypes): holds the BotState that build_application makes."""

    def __init__(self) -> None:
        self._state: BotState | None = None

    @property
    def state(self) -> BotState:
        if self._state is None:
            raise RuntimeError("the bot's state is set by bot.app.build_application")
        return self._state

    @state.setter
    def state(self, value: BotState) -> None:
        self._state = value
