"""Outgoing calls that survive network hiccups and Telegram 5xx answers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, NetworkError

log = logging.getLogger(__name__)

T = TypeVar("T")


async def retrying(call: Callable[[], Awaitable[T]], attempts: int = 3, base_delay: float = 0.5) -> T:
    """Await `call()`, retrying transient failures with exponential backoff.

    RetryAfter is not handled here: AIORateLimiter waits it out. BadRequest subclasses NetworkError
    in PTB but is our fault, so retrying it would only repeat the same rejection.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == attempts:
                raise
            delay = base_delay * 2 ** (attempt - 1)
            log.warning(
                "Telegram call failed (%s), retry %d/%d in %.1fs", error, attempt, attempts - 1, delay
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
