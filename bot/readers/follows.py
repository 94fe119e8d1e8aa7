"""Follows: a reader asks to be told when newly indexed paragraphs answer a question or some words.

`/follow <words>` (or 🔔 under an answer) keeps the words and their query vector; `/following` lists,
`/unfollow N` removes. After each indexing that added documents (uploads, links, feeds, channels) the
new paragraphs are matched against every follow at once (retriever/follows.py) and each follow they
answer gets one message with the quote and a button to the full answer, at most FOLLOW_DAILY_LIMIT a
day per reader. Follows are kept as feedback is: the words, the reader's chat and the time, for a year.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import time
from collections.abc import AsyncIterator, Sequence
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import chat_settings
from bot.context import Context, message_of, query_of, reply
from bot.listing import pack
from bot.render import SHOWN_LIMIT, format_result, shown_len, shown_text
from bot.state import BotState
from bot.store import Owner
from bot.texts import language, text
from retriever.follows import FollowMatch, StoredFollow, match, query_vector
from retriever.models import Document
from retriever.text import fold, nfc, shortened

log = logging.getLogger(__name__)

DAY = 24 * 3600.0
ALERT_LIMIT = 200  # characters Telegram shows in a button's alert
ALERT_WORDS = 60  # of the words followed, in that alert: the rest of it says what is kept and how to stop
FOLLOWING_SHOWN = 1000  # characters of a follow in /following: more than the 300 allowed by default
_tasks: set[asyncio.Task] = set()  # matching runs after the job that indexed; kept until it is done
_readers: dict[int, tuple[asyncio.Lock, int]] = {}  # a reader's follows being changed: its lock, and how many wait


@contextlib.asynccontextmanager
async def _one_at_a_time(chat_id: int) -> AsyncIterator[None]:
    """One follow of a reader's at a time. A double tap on 🔔 is two updates handled at once: both read the
    reader's follows before either kept one, both said "followed", and in a group both confirmed it in the
    private chat, two messages for one follow. (Across replicas each update is one replica's: a tap there
    is as rare as the rest of that race.)"""
    lock, waiting = _readers.get(chat_id) or (asyncio.Lock(), 0)
    _readers[chat_id] = (lock, waiting + 1)
    try:
        async with lock:
            yield
    finally:
        lock, waiting = _readers[chat_id]
        if waiting == 1:  # the last one out: the table stays as small as the taps in flight
            del _readers[chat_id]
        else:
            _readers[chat_id] = (lock, waiting - 1)


def _checked(words: str, state: BotState, lang: str) -> str | None:
    """Why these words cannot be followed, or None."""
    letters = sum(ch.isalnum() for ch in words)
    if letters < state.config.follow_min_chars:
        return text(lang, "follow_too_short", minimum=state.config.follow_min_chars)
    if len(words) > state.config.follow_max_chars:
        return text(lang, "follow_too_long", length=len(words), limit=state.config.follow_max_chars)
    return None


async def _follow(
    state: BotState, chat_id: int, user: User | None, words: str, lang: str, *, alert: bool = False
) -> tuple[str, int | None, bool]:
    """What to tell the reader, the follow's id (None when it was refused) and whether it is new. `alert`: said
    in a button's alert, which shows 200 characters: the full confirmation was cut before what is kept and for
    how long."""
    words = " ".join(words.split())
    refused = _checked(words, state, lang)
    if refused:
        return refused, None, False
    existing = await asyncio.to_thread(state.store.follows_of, chat_id)
    # the same words in another case or punctuation ("Giá vàng?", "giá vàng") are the same follow: kept twice,
    # they took two of the reader's places
    already = next((f for f in existing if _same_words(f.query, words)), None)
    if already is not None:
        await chat_settings.note_language(state, chat_id, user)
        shown = escape(shortened(already.query, ALERT_WORDS) if alert else already.query)
        return text(lang, "follow_already", words=shown), already.follow_id, False
    if len(existing) >= state.config.follows_per_reader:
        return text(lang, "follow_limit", limit=state.config.follows_per_reader), None, False
    vector = await asyncio.to_thread(query_vector, state.library.encoder, words)
    follow_id = await asyncio.to_thread(state.store.add_follow, chat_id, words, vector, time.time())
    await chat_settings.note_language(state, chat_id, user)  # the news comes unasked: in the reader's language
    shown = escape(shortened(words, ALERT_WORDS) if alert else words)
    key = "follow_added_alert" if alert else "follow_added"
    return text(lang, key, words=shown, daily=state.config.follow_daily_limit), follow_id, True


def _same_words(one: str, other: str) -> bool:
    # composed: a keyboard that types a mark as a character of its own ("a" + U+0301) splits "giá" at it, so
    # the same words typed so were another follow
    return re.findall(r"\w+", nfc(one).casefold()) == re.findall(r"\w+", nfc(other).casefold())


async def follow_command(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if message.chat.type != ChatType.PRIVATE:
        await reply(message, context, text(lang, "follow_private_only"))
        return
    words = ((message.text or "").split(None, 1)[1:] or [""])[0]
    if not words.strip():
        await reply(message, context, text(lang, "follow_usage"))
        return
    async with _one_at_a_time(message.chat_id):
        said, _, _ = await _follow(context.bot_data.state, message.chat_id, update.effective_user, words, lang)
    await reply(message, context, said)


async def following_command(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if message.chat.type != ChatType.PRIVATE:  # follows belong to a person, kept by their private chat
        await reply(message, context, text(lang, "follows_private_only"))
        return
    follows = await asyncio.to_thread(context.bot_data.state.store.follows_of, message.chat_id)
    if not follows:
        await reply(message, context, text(lang, "following_empty"))
        return
    lines = [text(lang, "following_header", count=len(follows))]
    # each whole, as it is followed: twenty of 300 characters are over one message, so the list goes on in
    # the next (where a deployment allows follows longer than a message, one is shortened to fit)
    lines += [text(lang, "following_line", n=n, words=escape(shortened(f.query, FOLLOWING_SHOWN)))
              for n, f in enumerate(follows, 1)]
    for part in pack(lines, separator="\n"):
        await reply(message, context, part)


async def unfollow_command(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    state = context.bot_data.state
    if message.chat.type != ChatType.PRIVATE:
        await reply(message, context, text(lang, "follows_private_only"))
        return
    given = ((message.text or "").split(None, 1)[1:] or [""])[0].strip()
    follows = await asyncio.to_thread(state.store.follows_of, message.chat_id)
    chosen = [f for n, f in enumerate(follows, 1) if given == str(n) or (given == "all" and follows)]
    if not chosen:
        await reply(message, context, text(lang, "unfollow_usage"))
        return
    for follow in chosen:
        await asyncio.to_thread(state.store.remove_follow, message.chat_id, follow.follow_id)
    if len(chosen) == 1:
        said = text(lang, "unfollowed", words=escape(chosen[0].query))
    else:  # every follow's words again would be a list over one message's length
        said = text(lang, "unfollowed_all", count=len(chosen))
    await reply(message, context, said)


async def follow_pressed(update: Update, context: Context) -> None:
    """🔔 under an answer: its question is followed, for whoever pressed (news comes to their private chat)."""
    query, state, user = query_of(update), context.bot_data.state, update.effective_user
    # the follower's own language, as their private chat has it: what they are told, and their news, are theirs
    # (a group's language setting said it in Vietnamese to an English reader's private chat)
    lang = (await chat_settings.settings_of(state, user.id)).language(user) if user else language(None)
    key = (query.data or "f:").split(":", 1)[1]
    message = query.message
    response = None
    if isinstance(message, Message) and user is not None:
        response = await asyncio.to_thread(state.store.load_search, key, message.chat_id, user.id, time.time(),
                                           state.config.search_ttl)
    if response is None or user is None:
        await query.answer(text(lang, "expired"), show_alert=True)
        return
    if response.theirs:  # someone else's words: followed under the presser's name, kept a year, without consent
        await query.answer(text(lang, "follow_theirs"), show_alert=True)
        return
    in_group = isinstance(message, Message) and message.chat.type != ChatType.PRIVATE
    # in a group the follower is told in their private chat too, where there is room for all of it; once: a
    # second press said "followed" there again, of a follow they already had
    full = text(lang, "follow_added", words=escape(" ".join(response.question.split())),
                daily=state.config.follow_daily_limit)
    told_privately = False
    async with _one_at_a_time(user.id):  # the confirmation too: a follow removed below is no follow to the next
        answer, follow_id, added = await _follow(state, user.id, user, response.question, lang, alert=True)
        whole = full if added else answer
        if follow_id is not None and added and in_group:
            told_privately = await _confirmed(context.bot, user.id, full)
            if not told_privately:
                # a follow whose news could never be delivered would only be kept, unused, for a year
                await asyncio.to_thread(state.store.remove_follow, user.id, follow_id)
                answer = whole = text(lang, "follow_start_first", mention=f"@{context.bot.username}")
    try:
        await query.answer(_plain(answer), show_alert=True)
    except TelegramError as error:
        # The alert is what a reader expects of a button, so it stays the first way of telling them; but the
        # follow is stored by now, and an alert Telegram did not take (a long 429, a dropped connection, a
        # press answered after Telegram's ~15 s) left them not knowing it was, pressing again or never
        # looking in /following. So the outcome goes to their private chat instead, whole: where the follow's
        # news will come, never into a group for every member to read, and not a second time where it
        # was already confirmed there.
        log.info("a follow's alert was not shown (%s): told in the private chat", error)
        if not told_privately:
            await _told_instead(context.bot, user.id, whole)


async def _confirmed(bot: Bot, user_id: int, html: str) -> bool:
    """A follow made in a group is confirmed in the follower's private chat, where its news will come. False when
    the bot may not write there: Telegram lets a bot write first only to those who pressed Start, and the
    state keeps no list of them (user ids are not stored)."""
    try:
        await bot.send_message(user_id, html)
    except Forbidden:  # never started the bot, or blocked it
        return False
    except BadRequest as error:
        if "chat not found" not in str(error).lower():
            raise
        return False
    return True


async def _told_instead(bot: Bot, user_id: int, html: str) -> None:
    """What an alert could not say, as a message in the presser's private chat; nothing when the bot may not
    write there (never started, blocked) or Telegram is still unreachable: the alert has already failed."""
    try:
        await bot.send_message(user_id, html)
    except TelegramError as error:
        log.info("a follow's outcome was not told: %s", error)


def _plain(html: str) -> str:
    """An alert shows plain text, at most 200 characters: a longer one is cut between words."""
    plain = shown_text(html)
    if len(plain) <= ALERT_LIMIT:
        return plain
    return plain[: ALERT_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


# -- matching after indexing -----------------------------------------------------------------------
def after_indexing(state: BotState, bot: Bot, documents: Sequence[Document]) -> None:
    """Tell followers about `documents` (just indexed), in the background."""
    if not documents:
        return
    task = asyncio.get_running_loop().create_task(notify(state, bot, list(documents)), name="follows")
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def drain(seconds: float) -> bool:
    """Wait for the news being matched and sent to end, at most `seconds`; False when some is left. Called as
    the bot stops, before its connection to Telegram is closed: news in flight then failed, and waited for
    another document to answer its follow."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + seconds
    while _tasks:  # a matching may start another while the last ones end
        _, pending = await asyncio.wait(set(_tasks), timeout=max(give_up - loop.time(), 0.0))
        if pending:
            log.warning("stopping with news for followers of %d indexings unsent", len(pending))
            return False
    return True


async def notify(state: BotState, bot: Bot, documents: list[Document]) -> list[FollowMatch]:
    try:
        follows = state.follows
        stored = await asyncio.to_thread(state.store.all_follows, follows.last_id)
        existing = await asyncio.to_thread(state.store.follow_ids)
        follows.update((StoredFollow(f.follow_id, f.chat_id, f.query, f.vector) for f in stored), existing)
        matches, stats = await asyncio.to_thread(match, follows, documents, state.library.encoder,
                                                 lambda question: state.library.search(question, state.config.top_k))
    except Exception:
        log.exception("matching follows failed")
        return []
    log.info("follows: %d paragraphs against %d follows: %d searched, %d matched (%.0f ms)", stats.paragraphs,
             stats.follows, stats.candidates, stats.matched, stats.encode_ms + stats.product_ms + stats.search_ms)
    # one message per reader and document: a reader whose several follows it answers ("giá vàng" and "Giá
    # vàng hôm nay") was told the same article once for each of them
    by_reader: dict[tuple[int, str], list[FollowMatch]] = {}
    for found in matches:
        by_reader.setdefault((found.chat_id, _told_document(found)), []).append(found)
    for same in by_reader.values():
        await _send(state, bot, same[0], also=same[1:])
    return matches


def _told_document(found: FollowMatch) -> str:
    document = found.result.document
    if document.endswith(".jsonl"):
        document += f"#{fold(found.result.title)}"
    return document


def told_key(found: FollowMatch) -> str:
    """One piece of news per follow and document: an edited channel post, or a file removed and sent again,
    is the same document, and it told the reader again at every edit. A JSONL file holds many, by title."""
    return f"told:{found.follow_id}:{hashlib.sha256(_told_document(found).encode()).hexdigest()[:24]}"


async def _send(state: BotState, bot: Bot, found: FollowMatch, also: Sequence[FollowMatch] = ()) -> None:
    """News of `found`, which stands for `also` too: the reader's other follows the same document answers."""
    bucket, now = f"follow:{found.chat_id}", time.time()
    wait = await asyncio.to_thread(state.store.take, bucket, state.config.follow_daily_limit, DAY, now)
    if wait:
        return  # the reader's daily share is spent: the rest of today's news waits for their own questions
    keys = [told_key(f) for f in (found, *also)]
    fresh = [await asyncio.to_thread(state.store.remember_item, key) for key in keys]
    if not all(fresh):  # told before, through one of these follows: no news, no share spent
        await asyncio.to_thread(state.store.give_back, bucket, now)
        return
    # the language the reader chose in /settings, else their Telegram's when they followed
    lang = (await chat_settings.settings_of(state, found.chat_id)).unasked
    key = await asyncio.to_thread(state.store.save_search, found.response, Owner(found.chat_id, found.chat_id),
                                  time.time())
    number = found.response.results.index(found.result) + 1
    header = text(lang, "follow_news", words=escape(found.query))
    # the quote is shortened to leave room for the words it answers: a long paragraph under them was refused
    html = f"{header}\n\n{format_result(found.result, number, lang, SHOWN_LIMIT - shown_len(header) - 2)}"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(text(lang, "follow_full_answer"),
                                                         callback_data=f"m:{key}:0")]])
    try:
        await bot.send_message(found.chat_id, html, reply_markup=markup)
    except Forbidden:
        # blocked, or never started: these follows cannot be delivered, now or later; the share was not used
        log.info("follow %d: the reader's chat refuses the bot's messages: follow dropped", found.follow_id)
        for dropped in (found, *also):
            await asyncio.to_thread(state.store.remove_follow, dropped.chat_id, dropped.follow_id)
        await asyncio.to_thread(state.store.give_back, bucket, now)
    except TelegramError as error:  # one lost news message is not an error of the bot
        log.warning("follow %d: news not delivered: %s", found.follow_id, error)
        for key in keys:  # told at the next match, if Telegram takes it
            await asyncio.to_thread(state.store.forget_item, key)

