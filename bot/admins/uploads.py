"""Files admins send: checked, downloaded, held in the state store as received (bot/admins/held.py), then
stored and indexed in the queue; and what a replica that stopped held, taken over."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from html import escape
from pathlib import PurePosixPath

from telegram import File, Message, Update, User
from telegram.error import NetworkError, TelegramError

from bot import chat_settings
from bot.admins import feeds, removal
from bot.admins.collection import (
    DOWNLOAD_LIMIT,
    added_text,
    new_documents,
    parse_caption,
    post_status,
    queue_job,
    queue_link,
)
from bot.admins.commands import admin_seen, is_admin
from bot.admins.held import HELD_LEASE, StatusRef, hold, releaser
from bot.admins.jobs import SaidError, StatusMessage, edit, one_line, reason
from bot.context import Context, message_of, reply
from bot.delivery.sequence import Ticket
from bot.readers import answers
from bot.readers.captions import asks, caption_question, is_command
from bot.render import shown_name
from bot.state import BotState
from bot.store import StoreUnavailable
from bot.texts import text
from retriever.collection import Added, Rejected, store_upload
from retriever.ingest.dates import find_date
from retriever.ingest.files import SUPPORTED, SourceMeta, meta_of

log = logging.getLogger(__name__)


async def upload(update: Update, context: Context) -> None:
    note_album(context.bot_data.state, message_of(update), update.effective_user)  # a reader's caption: not kept
    told = album_told(context.bot_data.state, message_of(update))  # before any await, in the order they came
    message = message_of(update)
    if not is_admin(update, context):
        if (question := asks(message.caption, context.bot.username)) is not None:
            # "bài này nói gì về …?" under a file of their own; asked before any await, so that its answer keeps
            # its place among the chat's (a thanks typed after it was answered first)
            await answers.answer(update, context, question)
        elif not told:  # once an album: its other files said "only admins add files" once each
            lang = await chat_settings.language_of(context.bot_data.state, update)
            await reply(message, context, text(lang, "collection_admin_only"))
        return
    ticket = asking_ticket(update, context)  # before the first await: the language noted below awaits the store
    try:
        await admin_seen(update, context)
    except BaseException:
        if ticket is not None:
            ticket.done()  # a place kept for an answer that never comes held the chat's answers after it
        raise
    document = message.document
    if document is None:
        return
    await receive(update, context, document.file_name or "file", document.file_size or 0, document.get_file,
                  ticket=ticket)


def asking_ticket(update: Update, context: Context) -> Ticket | None:
    """The place among the chat's answers of an admin's file whose caption asks (`receive`), taken before the
    handler's first await: taken once the settings were read, a greeting typed after a screenshot was
    answered before it."""
    message = message_of(update)
    if message.caption and _caption_asks(context.bot_data.state, message, context.bot.username) is not None:
        return context.bot_data.state.sequencer.take(message.chat_id)
    return None


async def receive(update: Update, context: Context, name: str, size: int,
                  get_file: Callable[[], Awaitable[File]], origin: SourceMeta | None = None,
                  ticket: Ticket | None = None) -> None:
    """A file an admin sent (a document, or a photo): checked, downloaded, held, then stored and indexed in
    the queue. `origin`: where it comes from when its caption does not say (a channel's post forwarded).
    `ticket`: its place among the chat's answers, where its caption asks (`asking_ticket`)."""
    state = context.bot_data.state
    message = message_of(update)
    question = _caption_asks(state, message, context.bot.username) if origin is None else None
    if ticket is None and question is not None and message.caption:
        ticket = state.sequencer.take(message.chat_id)  # before the first await, as `asking_ticket`
    elif ticket is not None and question is None:  # a place no answer will take must not hold the chat
        ticket.done()
        ticket = None
    lang = await chat_settings.language_of(state, update)
    if refused := refusal(name, size, lang):
        if ticket is not None:
            ticket.done()  # no answer: the chat's next one need not wait
        await reply(message, context, refused)
        return
    if question is not None:
        # "cái này có đúng không?" under a screenshot: an admin asking, as a reader would, not titling a file
        # (the claim it checked was added, and quoted first to every reader). An album is answered once; what
        # it says of the file comes right under the answer, before the chat's next one
        if ticket is not None:
            await answers.answer(update, context, question, ticket=ticket,
                                 then=lambda: reply(message, context, text(lang, "upload_caption_asks")))
        return
    caption = caption_of(state, message)
    meta = _with_origin(parse_caption(caption), origin)
    status = await post_status(message, context, lang, name)
    try:
        file = await get_file()
        raw = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        # a file sent without its size (the field is optional) is refused by Telegram itself: said as if
        # its size had been known, with the advice to split it, not in Telegram's English
        said = (_too_big(name, 0, lang) if "too big" in str(error).lower() else
                text(lang, "download_failed", name=shown_name(name), reason=escape(one_line(error))))
        await edit(status, said)
        return
    key = await hold(state, status, {"kind": "file", "lang": lang, "name": name, "meta": asdict(meta)}, raw)
    queue_upload(state, status, key, lang, name, raw, meta)


def _caption_asks(state: BotState, message: Message, bot_name: str) -> str | None:
    """The question an admin's caption (or its album's) asks instead of titling the file, or None."""
    caption = caption_of(state, message)
    return _asked(caption, bot_name) if parse_caption(caption) == SourceMeta() else None


def _asked(caption: str, bot_name: str) -> str | None:
    """The question an admin's caption asks: with "?" or /ask only. The words a reader's caption asks with
    ("không", "sao", "hỏi") are in admins' titles ("Quy định không hút thuốc lá", "Hỏi đáp tuyển sinh")."""
    question = caption_question(caption, bot_name)
    return question if question is not None and (is_command(caption) or "?" in question) else None


# what to do with the files people have that the bot does not read: the way to one it does
_HINTS = {".doc": "unsupported_word", ".odt": "unsupported_word", ".rtf": "unsupported_word",
          ".xls": "unsupported_sheet", ".xlsx": "unsupported_sheet", ".ods": "unsupported_sheet",
          ".ppt": "unsupported_sheet", ".pptx": "unsupported_sheet", ".odp": "unsupported_sheet",
          ".heic": "unsupported_image", ".heif": "unsupported_image"}


def refusal(name: str, size: int, lang: str) -> str:
    """Why a file is refused before it is downloaded (too big for a bot, a type not read), or ""."""
    if size > DOWNLOAD_LIMIT:
        return _too_big(name, size, lang)
    if PurePosixPath(name).suffix and PurePosixPath(name).suffix.lower() not in SUPPORTED | {".zip"}:
        return unsupported(name, lang)
    return ""


def unsupported(name: str, lang: str) -> str:
    hint = _HINTS.get(PurePosixPath(name).suffix.lower())
    return text(lang, "upload_unsupported", name=shown_name(name)) + (text(lang, hint) if hint else "")


def note_album(state: BotState, message: Message, user: User | None) -> None:
    """Telegram puts an album's caption on its first message, and the others came without the date or source
    the admin wrote for them all. Called first thing in the handler: updates are handled concurrently, and
    the first message's handler starts before the next one's, but may reach `receive` after it."""
    if message.media_group_id is not None and message.caption and user and user.id in state.config.admin_ids:
        state.albums.remember((message.chat_id, message.media_group_id), message.caption)


def album_told(state: BotState, message: Message) -> bool:
    """Whether another file of the album `message` belongs to came before it (marking it so): a reader's
    album gets one reply, not one for each of its files."""
    if message.media_group_id is None:
        return False
    key = ("told", message.chat_id, message.media_group_id)
    told = bool(state.albums.previous(key))
    state.albums.remember(key, "told")
    return told


def caption_of(state: BotState, message: Message) -> str:
    """The message's caption, or its album's."""
    if message.caption or message.media_group_id is None:
        return message.caption or ""
    return state.albums.previous((message.chat_id, message.media_group_id))


def _with_origin(meta: SourceMeta, origin: SourceMeta | None) -> SourceMeta:
    if origin is None:
        return meta
    return SourceMeta(**{key: value or getattr(origin, key) for key, value in asdict(meta).items()})


def queue_upload(state: BotState, status: StatusMessage, key: str, lang: str, name: str, raw: bytes,
                 meta: SourceMeta, resumed: bool = False) -> None:
    """Store and index the file in the queue; it stays held until its admin has been told how it ended (a
    replica killed after storing it, before the build, left the status at "⏳": the next one stores it again,
    as the very same file, and says so)."""
    # "date: hôm qua", "31/02/2025": said with the result, not silently dropped
    unread = "" if not meta.date or find_date(meta.date) else "\n" + text(
        lang, "caption_date_unread", name=shown_name(name), date=escape(meta.date))
    originals, limits, ocr = state.library.originals, state.config.zip_limits, state.library.config.ocr
    queue_job(
        state, status, lang, "upload",
        prepare=lambda pages: _stored(store_upload(originals, name, raw, meta, limits, ocr, pages), lang),
        summarize=lambda stored, report: added_text(stored[0], stored[1], report, lang, resumed) + unread,
        refused=lambda why: text(lang, "upload_refused", name=shown_name(name), reason=why),
        indexed=lambda stored: new_documents(stored[0], resumed),
        finished=releaser(state, key),
    )


# what a taken-over status says, by what was held; a file, a link or a feed is being added
RESUMED = {"remove": "remove_resumed", "restore": "restore_resumed"}
KINDS = frozenset({"file", "link", "feed", "remove", "restore"})


async def keep_held(context: Context) -> None:
    """Renew what this process holds; take over what a replica that stopped (or this one, before a
    restart) held."""
    state = context.bot_data.state
    now = time.time()
    try:
        if state.held:
            await asyncio.to_thread(state.store.renew_held, sorted(state.held), now)
        taken = await asyncio.to_thread(state.store.take_held, now, HELD_LEASE)
    except StoreUnavailable:
        return  # the next round tries again
    for held in taken:
        if held.key in state.held:  # this process's own, unrenewed through an outage: already in the queue
            continue
        try:
            record = json.loads(held.record)
            kind = str(record.get("kind", "file"))
            if kind not in KINDS:
                # a newer version's, met in a rolling deploy: left for it (read as a file, it was added empty)
                log.info("something an admin sent is held by a newer version: left for it")
                continue
            status = StatusRef(context.bot, int(record["chat"]), int(record["message"]))
            lang = str(record["lang"])
            name = str(record["url"] if kind in ("link", "feed") else record["name"])
            added_by = int(record.get("added_by", record["chat"]))
            meta = meta_of(record.get("meta", {}))  # a held record may be a newer version's
        except (ValueError, KeyError, TypeError, AttributeError):  # AttributeError: a record that is no object
            log.warning("something an admin sent, held by a replica that stopped, could not be read back: dropped")
            await asyncio.to_thread(releaser(state, held.key), True)
            continue
        log.info("what a replica that stopped held is indexed here: %s", name)
        title = escape(str(record.get("title") or name))
        try:
            await edit(status, text(lang, RESUMED.get(kind, "upload_resumed"), name=shown_name(name), title=title),
                       final=False)
        except NetworkError as error:  # Telegram still out of reach: taken again when its lease lapses next
            log.warning("%s is held until Telegram answers: %s", name, error)
            continue
        except TelegramError as error:  # refused (the admin blocked the bot): added all the same, told no one
            log.warning("%s is indexed, but its admin cannot be told: %s", name, error)
        state.held.add(held.key)
        if kind == "remove":
            removal.queue_removal(state, status, held.key, lang, name, str(record.get("title") or name),
                                  str(record.get("token") or ""))
        elif kind == "restore":
            removal.queue_restore(state, status, held.key, lang, name)
        elif kind == "feed":
            feeds.queue_feed(state, status, held.key, lang, name, added_by, resumed=True)
        elif kind == "link":
            queue_link(state, status, held.key, lang, name, resumed=True)
        else:
            queue_upload(state, status, held.key, lang, name, held.raw, meta, resumed=True)


def _stored(result: tuple[list[Added], list[Rejected]], lang: str) -> tuple[list[Added], list[Rejected]]:
    added, rejected = result
    if not added:
        # each file's reason as a single file's would be said: in the admin's words, never the parser's
        items = "; ".join(f"{shown_name(r.name)}: {reason(lang, r.error)}" for r in rejected[:5])
        raise SaidError(text(lang, "reason_zip_nothing", items=items or "–"))
    return added, rejected


def _too_big(name: str, size: int, lang: str) -> str:
    # rounded up: 20 MB and one byte is "20.1 MB", not a "20.0 MB" over the 20 MB limit
    megabytes = f"{math.ceil(size / 1024 / 1024 * 10) / 10:.1f}" if size else "> 20"
    return text(lang, "upload_too_big", name=shown_name(name), size=megabytes)
