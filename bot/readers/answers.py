"""Thin handlers for questions: private, in groups, /ask; each answered in its turn (the commands: `commands.py`)."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable

from telegram import (
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import filters

from bot import chat_settings
from bot.context import Context, message_of, reply, show_typing
from bot.delivery.sequence import Ticket
from bot.readers.feedback import remember_unanswered
from bot.readers.leaning import doubt_reply, first_words, leaning, only_links, replied_text, unmentioned
from bot.readers.pages import answer_page
from bot.readers.smalltalk import Talk, small_talk
from bot.render import format_abstention
from bot.store import Owner, StoreUnavailable
from bot.texts import text
from retriever.errors import EmptyQuestionError, GreetingOnlyError
from retriever.query.followup import naming, swapped_in
from retriever.query.several import questions_in
from retriever.text import nfc, strip_format

log = logging.getLogger(__name__)


def replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    # in forum topics every message "replies" to the topic's creation message: not a reply to us
    return bool(
        replied
        and replied.from_user
        and replied.from_user.id == message.get_bot().id
        and not replied.forum_topic_created
    )


class AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: a mention of it, or a reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        if message.via_bot is not None and message.via_bot.id == bot.id:
            # a card of the bot's own that a member picked inline: its words are the bot's, and the help card
            # names the bot ("mention @bot"), which read as a mention had the help text searched as a question
            return False
        mention = f"@{bot.username}".lower()
        # a text's mentions, or a photo's caption's (a screenshot with "@bot cái này là gì?" under it)
        mentioned = {value.lower() for value in {**message.parse_entities([MessageEntity.MENTION]),
                                                 **message.parse_caption_entities([MessageEntity.MENTION])}.values()}
        if replies_to_bot(message):  # "@Binh xem cái này" under an answer is said to Binh; a question is not
            said = (message.text or message.caption or "").lstrip()
            to_another = said.startswith("@") and not said.lower().startswith(mention) and "?" not in said
            return mention in mentioned or not to_another
        return mention in mentioned


# -- questions -----------------------------------------------------------------------------------
async def private_question(update: Update, context: Context) -> None:
    await asked_in_private(update, context, message_of(update).text or "")


async def asked_in_private(update: Update, context: Context, question: str) -> None:
    """A question in a private chat, typed or edited (with or without /ask)."""
    message = message_of(update)
    if message.via_bot is not None and message.via_bot.id == context.bot.id:
        return  # an inline card of the bot's own, sent into its chat: a quote already, no question
    # as searched: an edit that only adds or takes away punctuation ("… năm nào?" to "… năm nào") asks the same
    question = unmentioned(question, context.bot.username)  # "@bot …" in a private chat: headed by what was asked
    said = " ".join(re.sub(r"[^\w\s]", " ", nfc(strip_format(question))).split())
    key = (message.chat_id, message.message_id)
    answered_as = context.bot_data.state.answered_as
    # an edit is answered as the question it now is; one that changes nothing (a space, a "?"), or turns the
    # question into thanks, is not: each got a second answer under the first
    if update.edited_message is not None and (said == answered_as.previous(key) or small_talk(said) is not None):
        return
    answered_as.remember(key, said)
    await answer(update, context, question)


async def group_question(update: Update, context: Context) -> None:
    message = message_of(update)
    # whether this group takes mentions is read after the ticket is taken (`_answer`): read here, first, the
    # store's answer let a mention asked later take its ticket first, and its answer overtake this one
    await answer(update, context, unmentioned(message.text or message.caption or "", context.bot.username),
                 mentioned=True)


async def ask_command(update: Update, context: Context) -> None:
    # split on the first whitespace rather than use context.args, which would lose line breaks
    message = message_of(update)
    parts = (message.text or "").split(None, 1)
    question = parts[1] if len(parts) > 1 else ""
    if message.chat.type == ChatType.PRIVATE:
        # as a typed question is: "/ask …" edited in a private chat is answered again, once per change
        await asked_in_private(update, context, question)
    else:
        await answer(update, context, question)


async def answer(update: Update, context: Context, question: str, *, mentioned: bool = False,
                 ticket: Ticket | None = None, then: Callable[[], Awaitable[object]] | None = None) -> None:
    """`mentioned`: asked by a mention in a group (or a reply to the bot), not /ask: unanswered where the
    group switched mentions off, unless it replies to the bot. `ticket`: the question's place, taken by a
    handler that awaits before it gets here (`sequencer.take`, before that first await); it is done here.
    `then`: said after the answer, before the chat's next answer."""
    # taken before the first await, so in the order the questions arrived
    place = ticket if ticket is not None else context.bot_data.state.sequencer.take(message_of(update).chat_id)

    async def work() -> None:
        await _answer(update, context, question, place, mentioned)
        if then is not None:
            await place.turn()
            await then()

    await _holding(update, context, place, work)


async def in_turn(update: Update, context: Context, say: Callable[[], Awaitable[object]]) -> None:
    """`say` (what a message that asks nothing is told: a sticker, that questions are typed; a mistyped
    command, that there is none) after the answers to the questions before it, as a thanks is: said at once,
    it came above the answer to the question asked just before it."""
    place = context.bot_data.state.sequencer.take(message_of(update).chat_id)  # before the first await

    async def work() -> None:
        await place.turn()
        await say()

    await _holding(update, context, place, work)


async def _holding(update: Update, context: Context, ticket: Ticket, work: Callable[[], Awaitable[None]]) -> None:
    """`work` holding the chat's place `ticket`, which is let go when it ends. If it fails, the error handler
    apologises (bot/failures.py) and then lets the next one go: let go here, the apology came after the next
    answer, and in a private chat, where it quotes nothing, read as its own."""
    failed = False
    try:
        await work()
    except Exception:
        failed = True
        context.bot_data.state.sequencer.hand_over(update.update_id, ticket)
        raise
    finally:
        if not failed:
            ticket.done()


async def _answer(update: Update, context: Context, question: str, ticket: Ticket, mentioned: bool) -> None:
    state = context.bot_data.state
    message = message_of(update)

    async def send(html: str, markup: InlineKeyboardMarkup | None = None) -> Message:
        await ticket.turn()  # after the answers to this chat's earlier questions
        return await reply(message, context, html, markup)

    settings = await chat_settings.settings_of(state, message.chat_id)
    if mentioned and not settings.mentions and not replies_to_bot(message):
        return  # this group switched mentions off in /settings: /ask and replies still work
    lang = settings.language(update.effective_user)
    # anonymous admins and channels all write through one Telegram account (GroupAnonymousBot,
    # Channel_Bot): the chat they speak for is the asker, so each has a rate limit of its own. Checked before
    # any reply: thanks and over-long messages were answered past it, one reply each
    asker = message.sender_chat or update.effective_user
    user_id = asker.id if asker else message.chat_id
    question, command = question.strip(), (message.text or "").startswith("/")
    talk = small_talk(question)
    if talk in (Talk.THANKS, Talk.ACK) and message.chat.type != ChatType.PRIVATE and not command:
        return  # a thanks or a nod is the group's talk: no reply, and no question of anyone's budget spent
    # the limits are spent in the order asked: taken as each store call finished, a reader's first question
    # was refused as one too many and those after it answered (admitted below, or when it waits its turn)
    await ticket.admission()
    now = time.time()
    wait = await asyncio.to_thread(state.store.take, f"ask:{user_id}", state.config.rate_limit_per_minute, 60.0, now)
    if wait:
        # told once a minute, not at every message over the limit
        if not await asyncio.to_thread(state.store.take, f"told-limit:{user_id}", 1, 60.0, now):
            await send(text(lang, "rate_limited", seconds=math.ceil(wait)))
        return
    from_bot, private = replies_to_bot(message), message.chat.type == ChatType.PRIVATE
    last_answer = state.asked.previous(("quoted", message.chat_id)) if private else ""  # how it went
    # "@bot đúng không?" under someone's message: that message is what is asked about
    about = replied_text(message, question, from_bot, state.config.max_question_chars) if talk is None else ""
    if about and only_links(about):
        await send(text(lang, "check_link"))
        return
    if about and small_talk(about) is not None:
        # "@bot đúng không?" under someone's "cảm ơn", "ok" or "😂": nothing in it to check (it got no reply in
        # a group, and "/ask" under a thanks was thanked back)
        await send(text(lang, "check_no_claim"))
        return
    if about:
        question, talk = about, None
    elif talk is None and (said := doubt_reply(message, question, from_bot, last_answer)):
        # the bot cannot vouch for its quotes beyond where they come from: it says so, and where (or that
        # nothing was quoted, or what it cannot see)
        if private:
            # about the answer before it, which may still be searched: read once it is out. Read at once, a
            # doubt typed right after a question was told of the answer before that ("it quoted nothing"
            # under quotes)
            await ticket.turn()
            said = doubt_reply(message, question, from_bot, state.asked.previous(("quoted", message.chat_id)))
        await send(text(lang, said))
        return
    if not question:
        # "@bot" alone in a private chat, where questions need no /ask: the bot is called, as "bot ơi" calls it
        await send(text(lang, "smalltalk_hello" if private and not command else "ask_usage"))
        return
    if talk is None and from_bot and not command and message.chat.type != ChatType.PRIVATE \
            and not any(map(str.isalnum, question)):
        return  # a "." or "?!" under the bot's message is the group's talk; "@bot ?" is told it has no words
    if talk is not None:
        # "cảm ơn" searched would bring unrelated quotes; in a group a thanks or an "ok" needs no reply at all,
        # unless asked with /ask: a command is always answered
        if talk is Talk.HELLO or message.chat.type == ChatType.PRIVATE or command:
            await send(text(lang, f"smalltalk_{talk.value}"))
        return
    if message.forward_origin is not None and not command:
        # someone else's text forwarded to be checked: its first part, as a message replied to is; the reader
        # did not write it, and was told it is too long
        question = first_words(question, state.config.max_question_chars)
    # counted as shown: a question typed in decomposed form, or with zero-width spaces, is no longer
    if (length := len(nfc(strip_format(question)))) > state.config.max_question_chars:
        await send(text(lang, "too_long", length=length, limit=state.config.max_question_chars))
        return
    state.metrics.questions.inc()
    if settings.group_limit and message.chat.type != ChatType.PRIVATE:
        wait = await asyncio.to_thread(state.store.take, f"chat:{message.chat_id}", settings.group_limit, 60.0,
                                       time.time())  # fmt: skip
        if wait:
            if not await asyncio.to_thread(state.store.take, f"told-group:{message.chat_id}", 1, 60.0, time.time()):
                await send(text(lang, "group_limited", seconds=math.ceil(wait)))  # once a minute, as for one asker
            return
    ticket.admit()  # searched alongside the questions after it

    show_typing(message)
    # "… dài bao nhiêu? … năm nào?": each question its own answer, in the order asked
    if private and not from_bot and swapped_in(question):
        # a follow-up sent together with its question (a phone back online): that question is asked first
        await ticket.turn()
    # "Còn Campuchia thì sao?" after a question: that question asked of Cambodia, headed by it
    asked_now = leaning(state, message, questions_in(question), question, private=private, from_bot=from_bot)
    for number, asked in enumerate(asked_now.questions):
        quoted = await _answer_one(update, context, asked, settings.top_k or state.config.top_k, lang, send,
                                   user_id,
                                   must_name=asked_now.naming(number), kept=not about)
        if private:
            state.asked.remember(message.chat_id, asked)
            state.asked.remember(("quoted", message.chat_id), "quotes" if quoted else "nothing")


async def _answer_one(
    update: Update, context: Context, question: str, top_k: int, lang: str,
    send: Callable[..., Awaitable[Message]], user_id: int, *, must_name: str = "", kept: bool = True,
) -> bool:
    """Whether quotes were sent. `must_name`: a follow-up's name or year, which each quote must name. `kept`:
    the question is the reader's own, and goes to /gaps when nothing answers it (not the text of someone's
    message replied to)."""
    state = context.bot_data.state
    message = message_of(update)
    started = time.perf_counter()
    k = top_k * state.config.pages
    try:
        response = await state.batcher.search(question, k)
    except GreetingOnlyError:  # "ad ơi, cho em hỏi ạ": nothing asked yet, and the introduction says how
        await send(text(lang, "smalltalk_hello"))
        return False
    except EmptyQuestionError:  # only emoji, punctuation or tags: there is nothing to look up
        await send(text(lang, "no_words"))
        return False
    if must_name:
        response = naming(response, must_name)
    abstained = response.abstained or not response.results
    if abstained:
        # a question in another language the evidence does not settle: say so in that language (English).
        # Headed by its question, as an answer is: a reply to it ("còn Campuchia thì sao?") leans on that
        # question in a group, and on another replica, where nothing else remembers it
        await send(format_abstention(response, lang, state.config.examples))
    else:
        key = await asyncio.to_thread(state.store.save_search, response, owner_of(message), time.time(), not kept)
        html, markup = answer_page(response, key, 0, top_k, lang)
        sent = await send(html, markup)
        if sent.chat_id != message.chat_id:
            # the group became a supergroup while it was answered (`context.reply`): its buttons are pressed
            # from the chat it is now, whose members own the answer
            key = await asyncio.to_thread(state.store.save_search, response, Owner(sent.chat_id, None), time.time(),
                                          not kept)
            try:
                # as an edit of its text: python-telegram-bot's defaults add a parse mode to any edit
                html, markup = answer_page(response, key, 0, top_k, lang)
                await sent.edit_text(html, reply_markup=markup)
            except TelegramError as error:  # the answer is out; only its buttons stay the old chat's
                log.warning("the buttons of an answer in a migrated group were not renewed: %s", error)
    seconds = time.perf_counter() - started
    state.metrics.answered(seconds, abstained)
    # the answer is out: a store outage from here on costs a statistic, never an apology or a second answer
    # (a webhook update failed now would be delivered and answered again)
    try:
        if abstained and kept:
            await remember_unanswered(state, question, message.chat.type, user_id)
        await asyncio.to_thread(state.store.record_answer, seconds, abstained)
    except StoreUnavailable as error:
        log.warning("update %s answered; its statistics were not kept: %s", update.update_id, error)
    return not abstained


def owner_of(message: Message) -> Owner:
    """An answer in a private chat belongs to its asker; in a group, to everyone in that chat."""
    private = message.chat.type == ChatType.PRIVATE
    return Owner(message.chat_id, message.from_user.id if private and message.from_user else None)
