"""👍 / 👎 under every answer, and remembering what the bot could not answer: what /gaps reports."""

from __future__ import annotations

import asyncio
import contextlib
import time

from telegram import CallbackQuery, InlineKeyboardButton, Message, Update
from telegram.error import TelegramError

from bot import chat_settings
from bot.context import Context
from bot.state import BotState
from bot.texts import language, text

UP, DOWN = "👍", "👎"


def vote_row(key: str) -> list[InlineKeyboardButton]:
    # "v:<key>:1" stays far below Telegram's 64 bytes of callback data
    return [
        InlineKeyboardButton(UP, callback_data=f"v:{key}:1"),
        InlineKeyboardButton(DOWN, callback_data=f"v:{key}:0"),
    ]


async def remember_unanswered(state: BotState, question: str, chat_type: str, user_id: int | None) -> None:
    kept_id = user_id if state.config.store_user_ids else None
    await asyncio.to_thread(state.store.record_unanswered, question, chat_type, time.time(), kept_id)


async def vote_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        raise ValueError(f"update {update.update_id} carries no callback query")
    notice, alert = text(language(update.effective_user), "expired"), True
    try:
        # the language lookup reads the store: inside the try, so the button is answered whatever happens
        lang = await chat_settings.language_of(context.bot_data.state, update)
        notice, alert = await _vote(query, context, lang)
    finally:
        # Telegram shows a spinner on the button until answered, whatever happened
        with contextlib.suppress(TelegramError):
            await query.answer(notice, show_alert=alert)


async def _vote(query: CallbackQuery, context: Context, lang: str) -> tuple[str, bool]:
    state = context.bot_data.state
    _, key, value = (query.data or "").split(":")
    message = query.message
    if not isinstance(message, Message):
        return text(lang, "expired"), True
    user_id = query.from_user.id
    # the same owner check as every other button: a stranger's vote on a private answer is refused
    response = await asyncio.to_thread(
        state.store.load_search, key, message.chat_id, user_id, time.time(), state.config.search_ttl
    )
    if response is None:
        return text(lang, "expired"), True
    up = value == "1"
    kept_id = user_id if state.config.store_user_ids else None
    before = await asyncio.to_thread(
        state.store.record_vote, key, state.pseudonyms.voter(key, user_id), up,
        "" if response.theirs else response.question, message.chat.type, time.time(), kept_id,
    )
    if before is not None and before != up:
        return text(lang, "vote_changed", vote=UP if up else DOWN), False
    if before == up:
        # the same vote again is kept once: thanking for it again read as a second vote counted, and a second 👎
        # promised the admins' look a second time
        return text(lang, "vote_same", vote=UP if up else DOWN), False
    return text(lang, "vote_up_thanks" if up else "vote_down_thanks"), False
