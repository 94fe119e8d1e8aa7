"""In-process memory for inline mode: the newest query per user (older ones are dropped unanswered) and
recent responses per query text (typing and paging ask the same thing many times)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable

from retriever.models import SearchResponse


class RecentQueries:
    def __init__(self, ttl: float, size: int = 512) -> None:
        self._ttl = ttl
        self._size = size
        self._latest: dict[int, str] = {}
        self._responses: OrderedDict[str, tuple[float, SearchResponse]] = OrderedDict()

    # -- newest query wins -----------------------------------------------------------------------
    def arrive(self, user_id: int, query_id: str) -> None:
        self._latest[user_id] = query_id

    def is_latest(self, user_id: int, query_id: str) -> bool:
        return self._latest.get(user_id) == query_id

    def leave(self, user_id: int, query_id: str) -> None:
        if self._latest.get(user_id) == query_id:
            del self._latest[user_id]

    # -- responses by query text ------------------------------------------------------------------
    def response(self, question: str) -> SearchResponse | None:
        found = self._responses.get(question)
        if found is None or time.monotonic() - found[0] > self._ttl:
            return None
        self._responses.move_to_end(question)
        return found[1]

    def keep(self, question: str, response: SearchResponse) -> None:
        self._responses[question] = (time.monotonic(), response)
        self._responses.move_to_end(question)
        while len(self._responses) > self._size:
            self._responses.popitem(last=False)


class LastQuestions:
    """The last question each private chat asked, for a follow-up ("Còn Campuchia thì sao?") to lean on;
    or, keyed by (chat, message), the text each private message was answered as, so that an edit that
    changes nothing gets no second answer. In this process's memory only, for `ttl` seconds: never written
    to the state store, so no reader's question is kept beside their chat. A follow-up or an edit that
    reaches another replica is read as typed."""

    def __init__(self, ttl: float = 600.0, size: int = 4096) -> None:
        self._ttl = ttl
        self._size = size
        self._asked: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()

    def remember(self, key: Hashable, question: str) -> None:
        self._asked[key] = (time.monotonic(), question)
        self._asked.move_to_end(key)
        while len(self._asked) > self._size:
            self._asked.popitem(last=False)

    def previous(self, key: Hashable) -> str:
        found = self._asked.get(key)
        return found[1] if found is not None and time.monotonic() - found[0] <= self._ttl else ""
