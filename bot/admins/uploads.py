"""Files admins send: checked, downloaded, held in the state store as received, then stored and indexed in
the queue.

A file waiting in the queue lived only in the replica's memory: killed (out of memory, a deploy past its
grace period), it was lost, and the admin's status stayed at "⏳" for good. Held in the store from its
arrival until it is stored in the collection, and renewed while this process lives, it is taken over by the
next start of any replica once it is not renewed for `HELD_LEASE` seconds, and indexed under the same
status message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from html import escape
from pathlib import PurePosixPath

from telegram import Bot, File, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.admins.collection import DOWNLOAD_LIMIT, added_text, new_documents, parse_caption, post_status, queue_job
from bot.admins.commands import admin_seen, is_admin
from bot.admins.jobs import SaidError, StatusMessage, edit, one_line, reason
from bot.context import Context, message_of, reply
from bot.readers import chat_settings
from bot.render import shown_name
from bot.state import BotState
from bot.store import StoreUnavailable
from bot.texts import text
from retriever.collection import Added, Rejected, store_upload
from retriever.ingest.files import SUPPORTED, SourceMeta
from retriever.ingest.news import find_date

log = logging.getLogger(__name__)

HELD_LEASE = 120.0  # seconds an upload's holder may go without renewing it before another start takes it over
RENEW_EVERY = 20.0  # seconds between renewals (and looks for uploads a dead replica held)


@dataclass(frozen=True)
class StatusRef:
    """A status message known by its chat and id: an upload taken over edits the one its admin watches."""

    bot: Bot
    chat_id: int
    message_id: int

    async def edit_text(self, text: str, *, reply_markup: InlineKeyboardMarkup | None = None) -> object:
        return await self.bot.edit_message_text(text, chat_id=self.chat_id, message_id=self.message_id,
                                                reply_markup=reply_markup)

    def get_bot(self) -> Bot:
        return self.bot


async def upload(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if not is_admin(update, context):
        await reply(message, context, text(lang, "collection_admin_only"))
        return
    await admin_seen(update, context)
    document = message.document
    if document is None:
        return
    await receive(update, context, document.file_name or "file", document.file_size or 0, document.get_file)


async def receive(update: Update, context: Context, name: str, size: int,
                  get_file: Callable[[], Awaitable[File]]) -> None:
    """A file an admin sent (a document, or a photo): checked, downloaded, held, then stored and indexed in
    the queue."""
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if size > DOWNLOAD_LIMIT:
        await reply(message, context, _too_big(name, size, lang))
        return
    if PurePosixPath(name).suffix and PurePosixPath(name).suffix.lower() not in SUPPORTED | {".zip"}:
        await reply(message, context, text(lang, "upload_unsupported", name=shown_name(name)))
        return
    state = context.bot_data.state
    meta = parse_caption(message.caption)
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
    record = {"chat": status.chat_id, "message": status.message_id, "lang": lang, "name": name, "meta": asdict(meta)}
    key = secrets.token_hex(8)
    try:
        await asyncio.to_thread(state.store.hold_upload, key, json.dumps(record, ensure_ascii=False), raw, time.time())
        state.held.add(key)
    except StoreUnavailable as error:  # indexed all the same; only a death before it is stored would lose it
        log.warning("upload %s not held (%s): it is kept once stored", name, error)
        key = ""
    queue_upload(state, status, key, lang, name, raw, meta)


def queue_upload(state: BotState, status: StatusMessage, key: str, lang: str, name: str, raw: bytes,
                 meta: SourceMeta, resumed: bool = False) -> None:
    """Store and index the file in the queue; it stays held until its admin has been told how it ended (a
    replica killed after storing it, before the build, left the status at "⏳": the next one stores it again,
    as the very same file, and says so)."""
    # "date: hôm qua", "31/02/2025": said with the result, not silently dropped
    unread = "" if not meta.date or find_date(meta.date) else "\n" + text(
        lang, "caption_date_unread", name=shown_name(name), date=escape(meta.date))
    originals, limits, ocr = state.library.originals, state.config.zip_limits, state.library.config.ocr

    def released() -> None:  # told, whichever way it ended: no longer the store's to keep
        if key:
            state.held.discard(key)
            with contextlib.suppress(StoreUnavailable):
                state.store.release_upload(key)

    queue_job(
        state, status, lang, "upload",
        prepare=lambda pages: _stored(store_upload(originals, name, raw, meta, limits, ocr, pages), lang),
        summarize=lambda stored, report: added_text(stored[0], stored[1], report, lang, resumed) + unread,
        refused=lambda why: text(lang, "upload_refused", name=shown_name(name), reason=why),
        indexed=lambda stored: new_documents(stored[0]),
        finished=released,
    )


async def keep_held(context: Context) -> None:
    """Renew what this process holds; take over what a dead replica (or this one, before a restart) held."""
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
            status = StatusRef(context.bot, int(record["chat"]), int(record["message"]))
            lang, name, meta = str(record["lang"]), str(record["name"]), SourceMeta(**record["meta"])
        except (ValueError, KeyError, TypeError):
            log.warning("a held upload could not be read back: dropped")
            await asyncio.to_thread(state.store.release_upload, held.key)
            continue
        log.info("an upload held by a replica that stopped is indexed here: %s", name)
        state.held.add(held.key)
        await edit(status, text(lang, "upload_resumed", name=shown_name(name)))
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
