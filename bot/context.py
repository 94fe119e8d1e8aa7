"""The callback context the handlers get (`context.bot_data` is a typed BotData, not a dict), and the few
helpers every audience's handlers use to read an update and reply to it."""

from __future__ import annotations

from typing import TypeAlias

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.state import BotData

Context: TypeAlias = CallbackContext[ExtBot[None], dict, dict, BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)


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
    return await message.reply_text(html, reply_parameters=params, reply_markup=markup)
