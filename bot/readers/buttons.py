"""The buttons under an answer: "more results" pages it in place, a result's button sends its full article.
Each press is checked against the saved search's owner (this chat, and in private this user)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import time
from dataclasses import replace

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot import chat_settings
from bot.context import Context, query_of
from bot.readers.article import send_article
from bot.readers.pages import MAX_PER_PAGE, answer_page, page_bounds
from bot.readers.saved import is_removed, restore
from bot.texts import TEXTS, language, text
from retriever.models import SearchResponse

ARTICLE_AGAIN = 3600.0  # seconds an answer's article is not sent again (the store keeps rate windows an hour)


async def answer_button(update: Update, context: Context) -> None:
    query = query_of(update)
    # a failure is the error handler's to answer (bot/failures.py): it tells whoever pressed, in the chat's
    # language, where an apology posted under the answer would be read by the whole group
    notice = await _press(update, context)
    with contextlib.suppress(TelegramError):
        await query.answer(notice, show_alert=bool(notice))


async def _press(update: Update, context: Context) -> str | None:
    state = context.bot_data.state
    query = query_of(update)
    lang = language(update.effective_user)
    kind, key, number, *sized = (query.data or "").split(":")
    message = query.message
    if not isinstance(message, Message):
        return text(lang, "expired")
    settings = await chat_settings.settings_of(state, message.chat_id)
    lang = page_lang = settings.language(update.effective_user)  # what only the presser sees: in theirs
    if settings.lang is None and message.chat.type != ChatType.PRIVATE:
        # a group's answer is everyone's: paged in the language it was written in, not the presser's own
        page_lang = written_in(message) or lang
    # buttons count too: "full article" and "more" make the bot send, so they share a per-user budget
    wait = await asyncio.to_thread(
        state.store.take, f"press:{query.from_user.id}", state.config.buttons_per_minute, 60.0, time.time()
    )
    if wait:
        return text(lang, "buttons_rate_limited", seconds=math.ceil(wait))
    # ownership: the search must belong to this chat (and, for a private answer, to this user)
    saved = await asyncio.to_thread(
        state.store.load_search, key, message.chat_id, query.from_user.id, time.time(), state.config.search_ttl
    )
    if saved is None:
        return text(lang, "expired")
    # re-read from the index: a document removed since this answer is not shown again
    response = await asyncio.to_thread(restore, saved, state.library)
    if kind == "m":
        # a button made before the page size travelled with it pages as the chat's setting says
        per_page = int(sized[0]) if sized else settings.top_k or state.config.top_k
        if sized:
            response = replace(response, confident=int(sized[1]))
        return await _show_page(message, response, key, int(number), per_page, page_lang)
    if int(number) >= len(response.results):
        return text(lang, "expired")
    result = response.results[int(number)]
    if is_removed(result):
        return text(lang, "article_missing")
    article = await asyncio.to_thread(state.library.article, result.doc_id)
    if article is None or article.info.document != result.document:
        # a reindex may have renumbered the articles since this search
        infos = await asyncio.to_thread(state.library.articles)
        match = next((info for info in infos if info.document == result.document), None)
        article = await asyncio.to_thread(state.library.article, match.doc_id) if match else None
    if article is None:
        return text(lang, "article_missing")
    # once an answer: in a group every member's press posted the whole article again, a double tap twice.
    # The bucket names no chat: a digest of chat, answer and article, which the store turns into a pseudonym
    sent = hashlib.sha256(f"{message.chat_id}:{message.message_id}:{article.info.document}".encode()).digest()
    if await asyncio.to_thread(state.store.take, f"article:{int.from_bytes(sent[:7], 'big')}", 1,
                               ARTICLE_AGAIN, time.time()):
        return text(lang, "article_sent_before")
    await send_article(message, article, page_lang, state.config.article_max_messages)
    return None


def written_in(message: Message, keys: tuple[str, ...] = ("more", "prev", "follow_button")) -> str | None:
    """The language of the bot's own message `message`, read from its buttons' labels (the texts `keys` name):
    for an answer 🔔 is under every one, where an answer of one page has no ▶ or ◀."""
    markup = message.reply_markup
    labels = {button.text for row in (markup.inline_keyboard if markup else ()) for button in row}
    return next((lang for lang in TEXTS if {text(lang, key) for key in keys} & labels), None)


async def _show_page(
    message: Message, response: SearchResponse, key: str, page: int, per_page: int, lang: str
) -> str | None:
    first, _ = page_bounds(response, page, per_page)
    if not 1 <= per_page <= MAX_PER_PAGE or first >= len(response.results):
        # only a forged button asks for a page past the end: refuse rather than edit in an empty page. The
        # first page shows only the results that pass on their own, so later pages start after them
        return text(lang, "expired")
    html, markup = answer_page(response, key, page, per_page, lang)
    if message.reply_markup == markup:  # a double tap: the page asked for is the one shown
        return None
    try:
        await message.edit_text(html, reply_markup=markup)
    except BadRequest as error:
        # a double tap asks for the page already shown
        if "not modified" not in str(error):
            raise
    return None
