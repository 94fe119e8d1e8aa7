"""What the load benchmarks (`benchmarks.load_bot`, `benchmarks.inline`) measure with: a fake Bot API that
times the bot's replies, the event loop's lag, the library's searches, and how replies are classified."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

HEARTBEAT_S = 0.010


# -- the fake Bot API, timing replies -----------------------------------------------------------
def fake_class() -> type:
    from tests.fake_telegram import FakeTelegram

    class TimedTelegram(FakeTelegram):
        """FakeTelegram that resolves a future when the bot's reply to a given message arrives."""

        def __post_init__(self) -> None:
            super().__post_init__()
            self.arrived: dict[tuple[int, int], tuple[float, str]] = {}
            self.waiting: dict[tuple[int, int], asyncio.Future[tuple[float, str]]] = {}

        async def _api_sendMessage(self, params: dict) -> dict:
            message = await super()._api_sendMessage(params)
            replied = message.get("reply_to_message")
            if replied:
                key = (message["chat"]["id"], replied["message_id"])
                self.arrived[key] = (time.perf_counter(), message["text"])
                future = self.waiting.pop(key, None)
                if future is not None and not future.done():
                    future.set_result(self.arrived[key])
            return message

        def reply_to(self, message: dict) -> asyncio.Future[tuple[float, str]]:
            key = (message["chat"]["id"], message["message_id"])
            future: asyncio.Future[tuple[float, str]] = asyncio.get_running_loop().create_future()
            if key in self.arrived:
                future.set_result(self.arrived[key])
            else:
                self.waiting[key] = future
            return future

    return TimedTelegram


# -- measurements -------------------------------------------------------------------------------
class Heartbeat:
    """Sleeps `period` seconds in a loop and records how late each wake-up is (while recording)."""

    def __init__(self, period: float = HEARTBEAT_S) -> None:
        self.period = period
        self.lags: list[float] = []
        self.recording = False

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + self.period
            await asyncio.sleep(self.period)  # the instrument itself, not synchronisation
            if self.recording:
                self.lags.append(max(0.0, loop.time() - due))


@dataclass
class Burst:
    sent: int = 0
    replies: int = 0
    abstained: int = 0
    rate_limited: int = 0
    apologies: int = 0
    missing: int = 0
    wall_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Kinds:
    """Leading text of the bot's non-answers, to classify replies."""

    abstained: str
    rate_limited: str
    apology: str

    @classmethod
    def load(cls) -> Kinds:
        from bot.texts import TEXTS

        vi = TEXTS["vi"]
        return cls(*(vi[key].split("{")[0].split("\n")[0] for key in ("abstained", "rate_limited", "apology")))

    def classify(self, shown: str, burst: Burst) -> None:
        if shown.startswith(self.rate_limited):
            burst.rate_limited += 1
        elif shown.startswith(self.apology):
            burst.apologies += 1
        else:
            burst.replies += 1
            burst.abstained += shown.startswith(self.abstained)


class TimedLibrary:
    """The library as the bot sees it, timing each search (run in the bot's worker threads)."""

    def __init__(self, library: Any) -> None:
        self._library = library
        self.search_ms: list[float] = []  # per batch of questions searched together
        self.batch_sizes: list[int] = []

    def search_many(self, questions: Sequence[str], k: int = 3) -> Any:
        started = time.perf_counter()
        try:
            return self._library.search_many(questions, k)
        finally:
            self.search_ms.append((time.perf_counter() - started) * 1000)  # list.append is thread-safe
            self.batch_sizes.append(len(questions))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._library, name)
