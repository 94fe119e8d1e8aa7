"""A polled update answered once, across restarts.

Telegram hands an update out again until a poll confirms it (the next getUpdates' offset). A bot restarted
before that confirmation reached Telegram (the poll failed in an outage, or its process died) is handed the
updates it already answered, and answered them again. Each update is marked in the state store: claimed
before its handlers run, done after; one marked done is not handled again. Webhook updates are claimed by the
webhook itself (bot/web/webhook.py)."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import Context
from bot.state import BotState
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)


# the latest claim of each chat's updates, by state: a chat's updates leave `claim` in the order they came
_LAST: dict[tuple[int, int | None], asyncio.Future[None]] = {}


async def claim(update: object, context: Context) -> None:
    """Before the handlers (the first group): an update answered before a restart stops here."""
    state = context.bot_data.state
    if not isinstance(update, Update) or update.update_id in state.webhook_updates:
        return
    # the handlers take each question's place in its chat's line before they first await (ChatSequencer): the
    # store's answers come back in any order, so each update goes on only after the one before it in its chat
    chat = (id(state), update.effective_chat.id if update.effective_chat else None)
    before, mine = _LAST.get(chat), asyncio.get_running_loop().create_future()
    _LAST[chat] = mine
    try:
        claimed = await _claimed(state, update.update_id)
        if before is not None:
            await asyncio.shield(before)
    finally:
        mine.set_result(None)
        if _LAST.get(chat) is mine:
            del _LAST[chat]
    if claimed == "done":
        log.info("update %s was answered before a restart: not answered again", update.update_id)
        raise ApplicationHandlerStop


async def _claimed(state: BotState, update_id: int) -> str:
    try:
        # a lease of 0: a claim left by a process that died while answering is taken over at once; it may or
        # may not have said anything, and one process polls at a time
        return await asyncio.to_thread(state.store.claim_update, update_id, time.time(), 0.0)
    except StoreUnavailable as error:
        # without the store a replay cannot be told apart: answered (the handlers say the outage if they need
        # the store), rather than left unanswered
        log.debug("update %s not checked against replays: %s", update_id, error)
        return "process"


async def finish(update: object, context: Context) -> None:
    """After the handlers (the last group, run after a failed one too): the update is done."""
    state = context.bot_data.state
    if not isinstance(update, Update) or update.update_id in state.webhook_updates:
        return
    try:
        await asyncio.to_thread(state.store.finish_update, update.update_id)
    except StoreUnavailable as error:
        log.debug("update %s not marked done: %s", update.update_id, error)
