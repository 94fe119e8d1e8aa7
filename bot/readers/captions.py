"""What a reader sends that is not text (a photo, a video, a voice note, a file): its caption is the
question they typed, and without one they are told that questions are typed."""

from __future__ import annotations

import re

from telegram import Update

from bot import chat_settings
from bot.context import Context, message_of, reply
from bot.readers import answers
from bot.texts import text

_COMMAND = re.compile(r"^/(\w+)(?:@(\w+))?(?:\s+|$)")


def caption_question(caption: str, bot_name: str) -> str | None:
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


def is_command(caption: str) -> bool:
    return _COMMAND.match(caption.strip()) is not None


def command_name(caption: str) -> str:
    """The command a caption opens with, without its "/" and any bot's name ("/add@bot" → "add"), or ""."""
    command = _COMMAND.match(caption.strip())
    return command[1].lower() if command else ""


async def media_message(update: Update, context: Context) -> None:
    """A screenshot, a clip or a voice note with the question under it is asked; without one, the reader is
    told to type it."""
    message = message_of(update)
    if (question := caption_question(message.caption or "", context.bot.username)) is not None:
        # as a typed question: an edit of the caption that changes nothing it asks is not answered again
        await answers.asked_in_private(update, context, question)
        return

    async def say() -> None:
        lang = await chat_settings.language_of(context.bot_data.state, update)
        await reply(message, context, text(lang, "not_text"))

    await answers.in_turn(update, context, say)


async def edited_caption(update: Update, context: Context) -> None:
    """A reader's caption edited in a private chat is answered as the question it now is, as an edited text is:
    told that questions are typed, a reader types one under their photo. An admin's caption titles a file
    being added, and a file's is a question only when it asks one (`uploads.upload`)."""
    message, user = message_of(update), update.effective_user
    if user is None or user.id in context.bot_data.state.config.admin_ids:
        return
    caption = message.caption or ""
    question = asks(caption, context.bot.username) if message.document else caption_question(
        caption, context.bot.username)
    if question is not None:
        await answers.asked_in_private(update, context, question)


# words that ask, with their accents ("máy bay" is no "mấy"), and the longer ones as typed without them
_ASKING = frozenset("bao nhiêu|mấy|khi nào|bao giờ|ở đâu|gì|nào|ai|sao|không|chưa|hỏi|bao nhieu|khi nao|bao gio|"
                    "o dau|how|what|when|where|who|why|which".split("|"))
_ASKING_LONGEST = 2


def asks(caption: str | None, bot_name: str) -> str | None:
    """A reader's file with a caption: the question, when the caption asks one ("?", /ask, or a word that
    asks: "… dài bao nhiêu km", "cho em hỏi …"). A caption that states ("Quyết định 12/2024") is what an
    admin would title the file with: the reader wanted it added."""
    question = caption_question(caption or "", bot_name)
    if question is None:
        return None
    words = re.findall(r"\w+", question.lower())
    phrases = {" ".join(words[i:i + n]) for n in range(1, _ASKING_LONGEST + 1) for i in range(len(words))}
    return question if is_command(caption or "") or "?" in question or phrases & _ASKING else None
