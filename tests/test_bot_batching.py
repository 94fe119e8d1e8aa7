"""The bot's search batcher and its flood limiter, without Telegram."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.delivery.batching import SearchBatcher
from bot.delivery.flood import MessageRateLimiter
from retriever.errors import EmptyQuestionError
from retriever.models import SearchResponse


class GatedSearch:
    """search_many that holds its first call until released, recording every batch."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, questions: list[str], k: int) -> list[SearchResponse | EmptyQuestionError]:
        self.batches.append(list(questions))
        self.entered.set()
        self.release.wait(10)
        if "boom" in questions:
            raise RuntimeError("index unreadable")
        return [EmptyQuestionError("empty") if q == "?" else SearchResponse(q, True, ()) for q in questions]


async def test_questions_that_arrive_during_a_search_are_searched_together() -> None:
    search = GatedSearch()
    batcher = SearchBatcher(search)
    first = asyncio.create_task(batcher.search("một", 3))
    assert await asyncio.to_thread(search.entered.wait, 10)
    later = [asyncio.create_task(batcher.search(q, 3)) for q in ("hai", "?", "ba")]
    await asyncio.sleep(0)  # let them queue behind the running search
    search.release.set()
    assert (await first).question == "một"
    results = await asyncio.gather(*later, return_exceptions=True)
    assert search.batches == [["một"], ["hai", "?", "ba"]]
    assert results[0].question == "hai" and results[2].question == "ba"
    assert isinstance(results[1], EmptyQuestionError)  # only that asker gets the error


async def test_a_failed_search_fails_its_batch_and_the_next_one_still_runs() -> None:
    search = GatedSearch()
    search.release.set()
    batcher = SearchBatcher(search)
    with pytest.raises(RuntimeError, match="unreadable"):
        await batcher.search("boom", 3)
    assert (await batcher.search("sau đó", 3)).question == "sau đó"


async def test_typing_is_not_held_back_by_the_message_cap() -> None:
    limiter = MessageRateLimiter(overall_max_rate=1, overall_time_period=3600)
    sent: list[str] = []

    async def call(endpoint: str) -> bool:
        sent.append(endpoint)
        return True

    async def request(endpoint: str) -> object:
        return await limiter.process_request(call, (endpoint,), {}, endpoint, {"chat_id": 1}, None)

    await request("sendMessage")  # uses the hour's only message
    await asyncio.wait_for(request("sendChatAction"), 5)
    await asyncio.wait_for(request("answerCallbackQuery"), 5)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(request("sendMessage"), 0.3)
    assert sent == ["sendMessage", "sendChatAction", "answerCallbackQuery"]
