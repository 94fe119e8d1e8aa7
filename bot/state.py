"""In-memory state shared by the handlers: recent searches, per-user limits, counters."""

from __future__ import annotations

import itertools
import math
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import BotConfig
from retriever.models import SearchResponse

if TYPE_CHECKING:
    from bot.batching import SearchBatcher
    from retriever.library import Library


class SearchCache:
    """LRU of recent searches, so buttons can page through results without searching again."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, SearchResponse] = OrderedDict()
        # a random prefix per process keeps buttons from an earlier run from hitting new searches
        self._prefix = secrets.token_hex(2)
        self._counter = itertools.count(1)

    def put(self, response: SearchResponse) -> str:
        key = f"{self._prefix}{next(self._counter):x}"
        self._items[key] = response
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> SearchResponse | None:
        response = self._items.get(key)
        if response is not None:
            self._items.move_to_end(key)
        return response


class RateLimiter:
    """Sliding one-minute window per user."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}

    def retry_after(self, user_id: int) -> int:
        """0 and the question is counted, or the seconds to wait before the next one."""
        now = self._clock()
        window = self._seen.setdefault(user_id, deque())
        while window and now - window[0] >= 60:
            window.popleft()
        if len(window) >= self._per_minute:
            return max(1, math.ceil(60 - (now - window[0])))
        window.append(now)
        return 0


class Stats:
    def __init__(self, window: int = 1000) -> None:
        self.started = time.monotonic()
        self.answered = 0
        self._latencies: deque[float] = deque(maxlen=window)
        self._lock = threading.Lock()

    def record(self, seconds: float) -> None:
        with self._lock:
            self.answered += 1
            self._latencies.append(seconds)

    def percentile(self, p: float) -> float | None:
        with self._lock:
            values = sorted(self._latencies)
        if not values:
            return None
        rank = max(0, math.ceil(p / 100 * len(values)) - 1)
        return values[rank]

    def uptime(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class BotState:
    """Everything the handlers share."""

    config: BotConfig
    library: Library
    cache: SearchCache
    limiter: RateLimiter
    stats: Stats
    batcher: SearchBatcher


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
