"""The callback context the handlers get (`context.bot_data` is a typed BotData, not a dict), and the few
helpers every audience's handlers use to read an update and reply to it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeAlias

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, ChatMigrated, TelegramError
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.listing import plain_parts
from bot.state import BotData

log = logging.getLogger(__name__)

Context: TypeAlias = CallbackContext[ExtBot[None], dict, dict, BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
# Telegram's refusals of a reply's HTML itself, not of the chat or the message replied to
_HTML_REFUSALS = ("can't parse entities", "message is too long", "text is too long")
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

    async def here(said: str, plain: bool, buttons: InlineKeyboardMarkup | None) -> Message:
        return await message.reply_text(said, reply_parameters=params, reply_markup=buttons, **_plain(plain))

    try:
        return await _html_or_plain(here, html, markup)
    except ChatMigrated as error:
        # the group became a supergroup while the question was answered: the answer goes to the chat it is
        # now, where the question's message has another id (so it is sent, not replied)
        log.info("chat %s is now %s: the answer goes there", message.chat_id, error.new_chat_id)
        chat = error.new_chat_id

    async def there(said: str, plain: bool, buttons: InlineKeyboardMarkup | None) -> Message:
        return await context.bot.send_message(chat, said, reply_markup=buttons, **_plain(plain))

    return await _html_or_plain(there, html, markup)


def _plain(plain: bool) -> dict[str, None]:
    return {"parse_mode": None} if plain else {}  # None, not left out: the application's Defaults say HTML


Send: TypeAlias = Callable[[str, bool, InlineKeyboardMarkup | None], Awaitable[Message]]


async def _html_or_plain(send: Send, html: str, markup: InlineKeyboardMarkup | None) -> Message:
    """`html` sent as it is; refused by Telegram as HTML (an entity it cannot parse, a text longer than it
    counts), its words are sent as plain text, in as many messages as they take, the buttons under the last:
    the quotes still reach the reader, where the refusal made an apology in their place."""
    try:
        return await send(html, False, markup)
    except BadRequest as error:
        if not any(reason in error.message.lower() for reason in _HTML_REFUSALS):
            raise
        log.warning("a reply was refused as HTML (%s): sent as plain text", error.message)
    parts = plain_parts(html)
    for part in parts[:-1]:
        await send(part, True, None)
    return await send(parts[-1], True, markup)


async def acknowledge(query: CallbackQuery) -> None:
    """Stop a button's spinner before the press's work: cosmetic, as "typing…" is, so a Telegram that cannot be
    told now (a long 429, a dropped connection) costs the spinner, never the work the press asked for."""
    try:
        await query.answer()
    except TelegramError as error:
        log.info("a button's spinner was not stopped: %s", error)


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
