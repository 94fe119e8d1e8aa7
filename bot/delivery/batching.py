"""Questions that arrive while a search is running are searched together next, with one encoder call.

An idle bot searches a question at once; under load, encoding a batch costs less per question than
one call each, and the event loop never waits on a search (they run in a worker thread).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retriever.errors import EmptyQuestionError
from retriever.models import SearchResponse

log = logging.getLogger(__name__)

SearchMany = Callable[[Sequence[str], int], list[SearchResponse | EmptyQuestionError]]


@dataclass
class _Waiting:
    question: str
    k: int
    future: asyncio.Future[SearchResponse | EmptyQuestionError]


class SearchBatcher:
    def __init__(self, search_many: SearchMany, max_batch: int = 16) -> None:
        self._search_many = search_many
        self._max_batch = max_batch
        self._waiting: list[_Waiting] = []
        self._worker: asyncio.Task[None] | None = None

    async def search(self, question: str, k: int) -> SearchResponse:
        """Raises EmptyQuestionError like `Library.search`, and whatever the search raised."""
        future: asyncio.Future[SearchResponse | EmptyQuestionError] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(question, k, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        result = await future
        if isinstance(result, EmptyQuestionError):
            raise result
        return result

    async def _drain(self) -> None:
        while self._waiting:
            k = self._waiting[0].k
            batch: list[_Waiting] = []
            rest: list[_Waiting] = []
            for waiting in self._waiting:
                (batch if waiting.k == k and len(batch) < self._max_batch else rest).append(waiting)
            self._waiting = rest
            try:
                results = await asyncio.to_thread(self._search_many, [w.question for w in batch], k)
            except Exception as error:  # each waiting handler raises it, and the error handler reports it
                for waiting in batch:
                    if not waiting.future.done():
                        waiting.future.set_exception(error)
                continue
            for waiting, result in zip(batch, results, strict=True):
                if not waiting.future.done():
                    waiting.future.set_result(result)
