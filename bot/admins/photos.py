"""Photos sent to the bot: an admin's photo of a document is added like an image file (read by OCR);
anyone else's caption is the question they typed, and without one they are told that questions are typed."""

from __future__ import annotations

from telegram import Update

from bot.admins.collection import receive
from bot.admins.commands import is_admin
from bot.context import Context, message_of, reply
from bot.readers import answers, chat_settings
from bot.texts import text


async def photo(update: Update, context: Context) -> None:
    message = message_of(update)
    if not is_admin(update, context) or not message.photo:
        if message.caption and message.caption.strip():
            await answers.answer(update, context, message.caption)  # a screenshot with the question under it
            return
        lang = await chat_settings.language_of(context.bot_data.state, update)
        await reply(message, context, text(lang, "not_text"))
        return
    # Telegram sends each photo in several sizes: the largest holds the most legible text
    largest = max(message.photo, key=lambda size: size.width * size.height)
    name = f"photo-{largest.file_unique_id}.jpg"
    await receive(update, context, name, largest.file_size or 0, largest.get_file)
