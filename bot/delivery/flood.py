"""Telegram's flood limits, applied to what they count: messages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

# Not messages: a "typing…" queued behind replies would halve the answers a second the bot may send,
# and a button's spinner should stop at once. Both are best-effort calls whose failures are ignored.
NOT_MESSAGES = frozenset({"sendChatAction", "answerCallbackQuery"})


class MessageRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (bot-wide and per-group caps, RetryAfter waited out) for everything except
    chat actions and callback answers, which go straight through."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if endpoint in NOT_MESSAGES:
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
