"""What admins send, held in the state store from its arrival until they are told how it ended.

A file or link waiting in the indexing queue lived only in the replica's memory: killed (out of memory, a
deploy past its grace period), it was lost, and the admin's status stayed at "⏳" for good. Held, and renewed
while this process lives, it is taken over by another replica, or by this one's next start, once it is not
renewed for `HELD_LEASE` seconds (bot/admins/uploads.py `keep_held`), and ended under the same status.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup, Message

from bot.state import BotState
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)

HELD_LEASE = 120.0  # seconds a holder may go without renewing before another start takes it over
RENEW_EVERY = 20.0  # seconds between renewals (and looks for what a replica that stopped held)


@dataclass(frozen=True)
class StatusRef:
    """A status message known by its chat and id: what is taken over edits the one its admin watches."""

    bot: Bot
    chat_id: int
    message_id: int

    async def edit_text(self, text: str, *, reply_markup: InlineKeyboardMarkup | None = None) -> object:
        return await self.bot.edit_message_text(text, chat_id=self.chat_id, message_id=self.message_id,
                                                reply_markup=reply_markup)

    def get_bot(self) -> Bot:
        return self.bot


async def hold(state: BotState, status: Message, record: dict[str, object], raw: bytes = b"") -> str:
    """Hold what `record` says (its kind, the admin's language, the file's name or the link) and `raw`; the
    key, or "" where the store is down (it is indexed all the same; only a death before it ends loses it)."""
    key = secrets.token_hex(8)
    try:
        payload = json.dumps({**record, "chat": status.chat_id, "message": status.message_id}, ensure_ascii=False)
        await asyncio.to_thread(state.store.hold_upload, key, payload, raw, time.time())
    except StoreUnavailable as error:
        log.warning("what an admin sent is not held (%s): it is indexed all the same", error)
        return ""
    state.held.add(key)
    return key


def releaser(state: BotState, key: str) -> Callable[[bool], None]:
    """What the job calls once it ended (a worker thread): `told`, its admin was told how, whichever way, and
    what was sent is released; else (Telegram was down past the sender's deadline) this process stops
    renewing it, and once its lease lapses `keep_held` runs it again and tells them."""

    def release(told: bool) -> None:
        if key:
            state.held.discard(key)
            if told:
                with contextlib.suppress(StoreUnavailable):
                    state.store.release_upload(key)

    return release
