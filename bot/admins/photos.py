"""Photos sent to the bot: an admin's photo of a document is added like an image file (read by OCR);
anyone else's caption is the question they typed, and without one they are told that questions are typed."""

from __future__ import annotations

import re

from telegram import Update

from bot.admins.uploads import receive
from bot.context import Context, message_of, reply
from bot.readers import answers, chat_settings
from bot.texts import text

_COMMAND = re.compile(r"^/(\w+)(?:@(\w+))?(?:\s+|$)")


async def photo(update: Update, context: Context) -> None:
    message = message_of(update)
    user = update.effective_user
    # a reader's photo is no refused admin command: nothing to log (and no user id to keep)
    if user is None or user.id not in context.bot_data.state.config.admin_ids or not message.photo:
        if (question := _question(message.caption or "", context.bot.username)) is not None:
            await answers.answer(update, context, question)  # a screenshot with the question under it
            return
        lang = await chat_settings.language_of(context.bot_data.state, update)
        await reply(message, context, text(lang, "not_text"))
        return
    # Telegram sends each photo in several sizes: the largest holds the most legible text
    largest = max(message.photo, key=lambda size: size.width * size.height)
    name = f"photo-{largest.file_unique_id}.jpg"
    await receive(update, context, name, largest.file_size or 0, largest.get_file)


async def group_photo(update: Update, context: Context) -> None:
    """A photo in a group is asked about as a message is: its caption, when it is /ask, mentions the bot or
    replies to it (a screenshot with "@bot cái này là gì?" under it). Anything else is the group's talk."""
    message = message_of(update)
    caption = (message.caption or "").strip()
    if _COMMAND.match(caption):
        if (question := _question(caption, context.bot.username)) is not None:
            await answers.answer(update, context, question)
    elif answers.AddressedToBot().filter(message):
        await answers.group_question(update, context)


def _question(caption: str, bot_name: str) -> str | None:
    """The question a caption asks: the caption, or what follows /ask in it ("" asks how to ask); None for no
    caption or another command ("/help" under a photo is not looked up)."""
    caption = caption.strip()
    if not caption:
        return None
    command = _COMMAND.match(caption)
    if command is None:
        return caption
    to_us = command[2] is None or command[2].lower() == bot_name.lower()
    return caption[command.end():] if command[1].lower() == "ask" and to_us else None
