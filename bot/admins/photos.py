"""Photos sent to the bot: an admin's photo of a document is added like an image file (read by OCR);
anyone else's caption is the question they typed, and without one they are told that questions are typed."""

from __future__ import annotations

from telegram import Update

from bot.admins.commands import PRIVATE_ONLY, private_only
from bot.admins.uploads import album_told, note_album, receive
from bot.context import Context, message_of
from bot.readers import answers
from bot.readers.captions import caption_question, command_name, is_command, media_message


async def photo(update: Update, context: Context) -> None:
    message = message_of(update)
    user = update.effective_user
    note_album(context.bot_data.state, message, user)
    told = album_told(context.bot_data.state, message)  # before any await, in the order they came
    # a reader's photo is no refused admin command: nothing to log (and no user id to keep)
    if user is None or user.id not in context.bot_data.state.config.admin_ids or not message.photo:
        if message.caption or not told:  # an album of screenshots: told once that questions are typed
            await media_message(update, context)  # a screenshot with the question under it
        return
    # Telegram sends each photo in several sizes: the largest holds the most legible text
    largest = max(message.photo, key=lambda size: size.width * size.height)
    name = f"photo-{largest.file_unique_id}.jpg"
    await receive(update, context, name, largest.file_size or 0, largest.get_file)


async def group_photo(update: Update, context: Context) -> None:
    """A photo (or a file, a clip) in a group is asked about as a message is: its caption, when it is /ask,
    mentions the bot or replies to it (a screenshot with "@bot cái này là gì?" under it). Anything else is
    the group's talk."""
    message = message_of(update)
    caption = (message.caption or "").strip()
    if is_command(caption):
        if (question := caption_question(caption, context.bot.username)) is not None:
            await answers.answer(update, context, question)
        elif command_name(caption) in PRIVATE_ONLY:
            await private_only(update, context)  # "/add@bot" under a file: no reply at all, before
    elif answers.AddressedToBot().filter(message):
        await answers.group_question(update, context)

