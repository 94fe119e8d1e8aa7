"""Kept for callers written before the Sender: retries now live in one place, bot/sender.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retrying(call: Callable[[], Awaitable[T]], attempts: int = 3, base_delay: float = 0.5) -> T:
    """Await `call()` once. Every request already goes through bot.sender.DeliveringRequest, which retries
    what cannot have been delivered; retrying again here would resend what may have been delivered."""
    return await call()
