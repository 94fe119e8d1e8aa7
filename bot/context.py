"""The callback context the handlers get (`context.bot_data` is a typed BotData, not a dict), and the few
helpers every audience's handlers use to read an update and reply to it."""

from __future__ import annotations

import asyncio
import logging
from typing import TypeAlias

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.error import ChatMigrated
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.state import BotData

log = logging.getLogger(__name__)

Context: TypeAlias = CallbackContext[ExtBot[None], dict, dict, BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
_TYPING: set[asyncio.Task[bool]] = set()  # "typing…" being sent: the event loop holds tasks only weakly


def message_of(update: Update) -> Message:
    """The message a message handler was called for (its filters guarantee there is one)."""
    message = update.effective_message
    if message is None:
        raise ValueError(f"update {update.update_id} carries no message")
    return message


def query_of(update: Update) -> CallbackQuery:
    query = update.callback_query
    if query is None:
        raise ValueError(f"update {update.update_id} carries no callback query")
    return query


async def reply(
    message: Message, context: Context, html: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Reply to `message` (same forum topic included). Parse mode and link previews come from the
    application's Defaults; retries and outages are the Sender's (bot/delivery/sender.py)."""
    params = ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
    try:
        return await message.reply_text(html, reply_parameters=params, reply_markup=markup)
    except ChatMigrated as error:
        # the group became a supergroup while the question was answered: the answer goes to the chat it is
        # now, where the question's message has another id (so it is sent, not replied)
        log.info("chat %s is now %s: the answer goes there", message.chat_id, error.new_chat_id)
        return await context.bot.send_message(error.new_chat_id, html, reply_markup=markup)


def show_typing(message: Message) -> None:
    """"typing…" in `message`'s chat, sent alongside the work and never awaited: it is cosmetic, so a slow,
    flooded or failing Telegram costs the indicator, never time or an error in the answer."""
    task = asyncio.create_task(message.reply_chat_action(ChatAction.TYPING))
    _TYPING.add(task)
    task.add_done_callback(_typing_sent)


def _typing_sent(task: asyncio.Task[bool]) -> None:
    _TYPING.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.debug("typing… not shown: %s", task.exception())
