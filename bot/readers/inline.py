"""Inline mode: `@bot question` in any chat offers the best quotes; choosing one sends its quote card."""

from __future__ import annotations

import asyncio
import logging
import math
import time

from telegram import InlineQuery, InlineQueryResultArticle, InputTextMessageContent, LinkPreviewOptions, Update
from telegram.constants import InlineQueryLimit, ParseMode

from bot.chat_settings import settings_of
from bot.context import Context
from bot.readers.commands import help_text
from bot.render import abstention_language, format_abstention, format_answer
from bot.store import StoreUnavailable
from bot.texts import language, text
from retriever.errors import EmptyQuestionError
from retriever.models import SearchResponse, SearchResult

log = logging.getLogger(__name__)

# shorter queries are someone still typing the first word: show how to use the bot. Three, since a name to
# look up is often that short in Vietnamese ("Lào", "Huế"), and got the usage hint
MIN_CHARS = 3
TITLE_CHARS = 100
DESCRIPTION_CHARS = 160


def _shorten(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _note(result_id: str, title: str, description: str, message: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        result_id, title, InputTextMessageContent(message, parse_mode=ParseMode.HTML), description=description
    )


def _card(response: SearchResponse, result: SearchResult, lang: str) -> InlineQueryResultArticle:
    # the same card as an answer in a chat: question, blockquote with the bold sentence, source line
    html = format_answer(response.question, (result,), 0, 1, lang)
    content = InputTextMessageContent(
        html, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    return InlineQueryResultArticle(
        # the row is unique within one response and far below the 64-byte limit on ids
        f"r{result.row}",
        _shorten(result.title, TITLE_CHARS) or result.document,  # Telegram refuses an empty title
        content,
        description=_shorten(result.highlight or result.text, DESCRIPTION_CHARS),
    )


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        raise ValueError(f"update {update.update_id} carries no inline query")
    recent = context.bot_data.state.recent
    # every query, answered from the cache or not, makes the user's older ones stale
    recent.arrive(query.from_user.id, query.id)
    try:
        await _inline(query, context)
    finally:
        recent.leave(query.from_user.id, query.id)  # the map holds only people typing right now


async def _inline(query: InlineQuery, context: Context) -> None:
    state = context.bot_data.state
    lang = await _own_language(context, query)
    question = " ".join(query.query.split())
    offset = int(query.offset) if query.offset.isdigit() else 0
    if len(question) < MIN_CHARS:
        await _hint(query, context, lang)
        return
    # an answer kept from before an upload or a removal is not the collection's answer any more
    cached = f"{state.library.loads}\n{question}"
    response = state.recent.response(cached)
    if response is None:
        if not await _newest_after_pause(query, context):
            return  # the user typed on: Telegram forgets unanswered queries, the newer one gets the results
        wait = await asyncio.to_thread(
            state.store.take, f"inline:{query.from_user.id}", state.config.rate_limit_per_minute, 60.0, time.time()
        )
        if wait:
            limited = _note("limited", text(lang, "inline_limited", seconds=math.ceil(wait)), "",
                            text(lang, "rate_limited", seconds=math.ceil(wait)))
            await query.answer([limited], cache_time=0, is_personal=True)
            return
        try:
            response = await state.batcher.search(question, state.config.inline_results)
        except EmptyQuestionError:
            await _hint(query, context, lang)
            return
        state.recent.keep(cached, response)
    await _answer_page(query, context, response, offset, lang)


async def _own_language(context: Context, query: InlineQuery) -> str:
    """The language the user chose in /settings in their private chat with the bot, else their Telegram's. An
    inline query comes from no chat of the bot's, but the user is the one reading the results and sending the
    card: one who set English there was offered hints, cards and "nothing found" in Vietnamese, as their
    Telegram is."""
    try:
        return (await settings_of(context.bot_data.state, query.from_user.id)).language(query.from_user)
    except StoreUnavailable as error:  # their Telegram's language still answers the query
        log.warning("an inline query answered in its user's Telegram language: %s", error)
        return language(query.from_user)


async def _newest_after_pause(query: InlineQuery, context: Context) -> bool:
    """Wait until the user pauses typing; False when a newer query from them arrived meanwhile."""
    await asyncio.sleep(context.bot_data.state.config.inline_pause)
    newest = context.bot_data.state.recent.is_latest(query.from_user.id, query.id)
    if not newest:
        log.debug("inline query %s dropped: a newer one from the same user", query.id)
    return newest


async def _answer_page(
    query: InlineQuery, context: Context, response: SearchResponse, offset: int, lang: str
) -> None:
    config = context.bot_data.state.config
    if response.abstained or not response.results:
        said = format_abstention(response, lang, config.examples)
        told = abstention_language(response, lang)  # the card's title in the language of the text it posts
        nothing = _note("none", text(told, "inline_none_title"), text(told, "inline_none_description"), said)
        # not kept by Telegram: "nothing found" is what an admin's next upload changes, and Telegram's
        # cache of it cannot be cleared
        await query.answer([nothing], cache_time=0, is_personal=True)
        return
    page = min(config.inline_page, int(InlineQueryLimit.RESULTS))
    # a card picked is posted in the chat as the bot's quote: only those that pass the gate on their own,
    # not the weaker related ones a chat answer keeps behind "more results"
    passing = response.results[: response.shown]
    shown = passing[offset : offset + page]
    more = offset + page < len(passing)
    await query.answer(
        [_card(response, result, lang) for result in shown],
        cache_time=config.inline_cache_time,
        # cached per user: the same query reads differently in each user's language
        is_personal=True,
        next_offset=str(offset + page) if more else None,  # none: Telegram asks for no more
    )


async def _hint(query: InlineQuery, context: Context, lang: str) -> None:
    mention, config = f"@{context.bot.username}", context.bot_data.state.config
    # the description is plain text (no HTML): the example as written
    described = text(lang, "inline_hint_description", mention=mention, example=config.examples[0])
    hint = _note("hint", text(lang, "inline_hint_title"), described,
                 help_text(context.bot, lang, config.examples, context.bot.can_read_all_group_messages))
    await query.answer([hint], cache_time=config.inline_cache_time, is_personal=True)
