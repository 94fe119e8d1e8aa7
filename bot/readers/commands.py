"""Thin handlers for the public commands (/start, /help), a command the bot does not have, and a button from
an older version."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import chat_settings
from bot.context import Context, message_of, query_of, reply
from bot.readers import answers
from bot.render import example_list
from bot.texts import text


async def start_command(update: Update, context: Context) -> None:
    """A short welcome with two example questions; /help has the rest."""
    message = message_of(update)
    settings = await chat_settings.settings_of(context.bot_data.state, message.chat_id)
    lang = settings.language(update.effective_user)
    mention = f"@{context.bot.username}"
    how = text(lang, "start_private") if message.chat.type == ChatType.PRIVATE else text(
        lang, "start_group" if chat_settings.mentions_reach(context.bot, settings) else "start_group_no_mentions",
        mention=mention)
    examples = example_list(context.bot_data.state.config.examples, 2)
    await reply(message, context, text(lang, "start", how=how, examples=examples))


async def help_command(update: Update, context: Context) -> None:
    state = context.bot_data.state
    message = message_of(update)
    settings = await chat_settings.settings_of(state, message.chat_id)
    lang = settings.language(update.effective_user)
    html = help_text(context.bot, lang, state.config.examples, chat_settings.mentions_reach(context.bot, settings))
    if update.effective_user and update.effective_user.id in state.config.admin_ids:
        # a group sees the answer too: the admin commands are shown only in the admin's private chat
        private = message.chat.type == ChatType.PRIVATE
        html += text(lang, "help_admin" if private else "help_admin_private")
    await reply(message, context, html)


def help_text(bot: Bot, lang: str, examples: Sequence[str], mentions: bool) -> str:
    """/help; "mention me" only where mentions reach the bot (`chat_settings.mentions_reach`)."""
    mention = f"@{bot.username}"
    or_mention = text(lang, "help_or_mention", mention=mention) if mentions else ""
    return text(lang, "help", mention=mention, or_mention=or_mention, examples=example_list(examples, 3))


async def unknown_command(update: Update, context: Context) -> None:
    message = message_of(update)
    command = (message.text or "").split(None, 1)[0]
    # in groups a bare /command may belong to another bot: answer only when addressed to us
    if message.chat.type != ChatType.PRIVATE and not command.lower().endswith(f"@{context.bot.username}".lower()):
        return

    async def say() -> None:
        lang = await chat_settings.language_of(context.bot_data.state, update)
        await reply(message, context, text(lang, "unknown_command"))

    await answers.in_turn(update, context, say)


async def answer_button_unknown(update: Update, context: Context) -> None:
    # buttons from an older version of the bot carry data we no longer understand
    lang = await chat_settings.language_of(context.bot_data.state, update)
    with contextlib.suppress(TelegramError):
        await query_of(update).answer(text(lang, "expired"), show_alert=True)
