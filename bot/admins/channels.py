"""Telegram channels as a source. Admins follow a channel with `/channels add @name` (the bot must be one of
its administrators: only then does Telegram send it the channel's posts); each post, and each edit of it,
becomes a document quoted with a link to the post. An admin may also forward any channel's post to the bot
in private to add it. `/channels` lists, `/channels remove` stops following and removes the posts."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from html import escape

from telegram import Bot, Chat, Message, MessageOriginChannel, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import filters

from bot import chat_settings
from bot.admins.collection import DOWNLOAD_LIMIT, added_text, new_documents, queue_job
from bot.admins.commands import refused
from bot.admins.uploads import caption_of, note_album, receive, refusal
from bot.context import Context, message_of, reply
from bot.readers import follows
from bot.state import BotState
from bot.store import Channel
from bot.texts import text
from retriever.channels import (
    Post,
    folder_of,
    post_url,
    posts_of,
    remove_channel_files,
    store_picture,
    store_post,
    username,
    withdraw_post,
)
from retriever.collection import Added
from retriever.ingest.files import SourceMeta
from retriever.ingest.jsonl import vietnam_day
from retriever.models import Document

log = logging.getLogger(__name__)

ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_batches: dict[int, list[Document]] = {}  # posts stored and waiting for their build, per indexing queue


class ForwardedFromChannel(filters.MessageFilter):
    """A message forwarded from a channel (its origin names the channel and the post)."""

    def filter(self, message: Message) -> bool:
        return isinstance(message.forward_origin, MessageOriginChannel)


async def channels_command(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if await refused(update, context):
        return
    args = (message.text or "").split()[1:]
    if not args:
        await reply(message, context, await _listing(context.bot_data.state, context.bot, lang))
    elif args[0] == "add" and len(args) == 2:
        await reply(message, context, await _add(update, context, args[1], lang))
    elif args[0] == "remove" and len(args) == 2:
        await _remove(message, context, args[1], lang)
    else:
        await reply(message, context, text(lang, "channels_usage"))


async def _listing(state: BotState, bot: Bot, lang: str) -> str:
    channels = await asyncio.to_thread(state.store.channels)
    if not channels:
        return text(lang, "channels_empty")
    originals = state.library.originals
    lines = [text(lang, "channels_header", count=len(channels))]
    for n, channel in enumerate(channels, 1):
        name = f"@{channel.username}" if channel.username else channel.folder
        posts = await asyncio.to_thread(posts_of, originals, channel.folder)
        lines.append(text(lang, "channels_line", n=n, name=escape(name), title=escape(channel.title), posts=posts))
        if not await _still_admin(bot, channel.chat_id):
            # Telegram sends a channel's posts to its administrator bots only: a bot demoted or removed
            # got none, and the list went on saying they were taken
            lines.append(text(lang, "channel_not_admin_now", name=escape(name)))
    return "\n".join(lines)


async def _still_admin(bot: Bot, chat_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except (BadRequest, Forbidden):  # removed, or "member list is inaccessible": no administrator
        return False
    except TelegramError:  # not known now (Telegram unreachable): not said to be lost
        return True
    return member.status in ADMIN_STATUSES


async def _add(update: Update, context: Context, given: str, lang: str) -> str:
    """The one line the admin gets: followed, or why not."""
    name = username(given)
    if not name:
        return text(lang, "channel_bad_name", name=escape(given[:64]))
    bot = context.bot
    try:
        chat = await bot.get_chat(f"@{name}")
    except (BadRequest, Forbidden):
        return text(lang, "channel_not_found", name=escape(name))
    if chat.type != ChatType.CHANNEL:
        return text(lang, "channel_not_channel", name=escape(name))
    try:
        member = await bot.get_chat_member(chat.id, bot.id)
        status = member.status
    except TelegramError:  # "member list is inaccessible": the bot is not in the channel at all
        status = ChatMemberStatus.LEFT
    if status not in ADMIN_STATUSES:
        return text(lang, "channel_not_admin", name=escape(name))
    added_by = update.effective_user.id if update.effective_user else 0
    channel = Channel(chat.id, chat.username or "", chat.title or name, folder_of(chat.username, chat.id), added_by)
    if not await asyncio.to_thread(context.bot_data.state.store.add_channel, channel):
        return text(lang, "channel_exists", name=escape(name))
    return text(lang, "channel_added", name=escape(name), title=escape(channel.title))


async def _remove(message: Message, context: Context, given: str, lang: str) -> None:
    state = context.bot_data.state
    channels = await asyncio.to_thread(state.store.channels)
    wanted = username(given).lower()
    chosen = next((c for c in channels if wanted and c.username.lower() == wanted), None)
    if chosen is None and given.isdigit() and 1 <= int(given) <= len(channels):
        chosen = channels[int(given) - 1]
    if chosen is None:
        await reply(message, context, text(lang, "channel_unknown", name=escape(given[:64])))
        return
    await asyncio.to_thread(state.store.remove_channel, chosen.chat_id)  # no post is taken from now on
    status = await reply(message, context, text(lang, "job_started", what=escape(chosen.title)))
    originals = state.library.originals
    queue_job(
        state, status, lang, "channel",
        prepare=lambda _: remove_channel_files(originals, chosen.folder),
        summarize=lambda posts, report: text(lang, "channel_removed", title=escape(chosen.title), posts=posts,
                                             documents=report.documents),
        refused=lambda why: text(lang, "channel_remove_failed", title=escape(chosen.title), reason=why),
    )


def _post(chat: Chat, message_id: int, body: str, sent: datetime, title: str) -> Post:
    return Post(folder_of(chat.username, chat.id), message_id, body, vietnam_day(sent), title,
                post_url(chat.username, chat.id, message_id))


async def channel_post(update: Update, context: Context) -> None:
    """A post (or an edit of one) in a followed channel: stored over its file, then indexed in the queue."""
    message = update.channel_post or update.edited_channel_post
    if message is None:
        return
    state = context.bot_data.state
    # before any await: an album's posts are handled concurrently, its captioned first one started first
    album = ("channel album", message.chat_id, message.media_group_id) if message.media_group_id else None
    if album is not None and message.caption:
        state.albums.remember(album, str(message.message_id))
    channel = next((c for c in await asyncio.to_thread(state.store.channels) if c.chat_id == message.chat_id), None)
    body = message.text or message.caption or ""
    if channel is None:
        return  # a channel nobody followed (the bot is an admin there for another reason)
    title = message.chat.title or channel.title
    if title != channel.title:
        await asyncio.to_thread(state.store.rename_channel, channel.chat_id, title)
    post = _post(message.chat, message.message_id, body, message.date, title)
    originals = state.library.originals
    added: Added | None = None
    try:
        if body.strip():
            added = await asyncio.to_thread(store_post, originals, post)
    except ValueError as error:
        log.warning("channel %s: post %d not added: %s", channel.folder, message.message_id, error)
    # the other photos of an album illustrate its caption, which its first photo carries, as a forwarded
    # album's do: read by OCR, each was a post of its own quoting whatever writing it showed (a banner, a sign)
    illustrates = album is not None and state.albums.previous(album) not in ("", str(message.message_id))
    try:
        # a notice photographed and posted without words (or under a credit alone) is read by OCR, as a
        # forwarded one is
        added = added or (None if illustrates else await _picture(state, message, post))
    except ValueError as error:
        log.info("channel %s: post %d has no text to quote: %s", channel.folder, message.message_id, error)
    # a post without text (a photo without writing, hashtags alone): nothing to quote. An edit that took its
    # text away withdraws what it said, which was quoted until then
    if added is None and not await asyncio.to_thread(withdraw_post, originals, post.channel, post.message_id):
        return
    batch = _batches.setdefault(id(state.queue), [])
    batch.extend(new_documents([added]) if added else [])
    if "channel-posts" not in state.queue.waiting:  # one build takes every post written before it starts
        state.queue.submit("channel-posts", lambda: _index_posts(state, context.bot))


async def _picture(state: BotState, message: Message, post: Post) -> Added | None:
    """The post's photo, read by OCR; None for a post without one, or one Telegram cannot give (too big)."""
    if not message.photo:
        return None
    largest = max(message.photo, key=lambda size: size.width * size.height)
    if (largest.file_size or 0) > DOWNLOAD_LIMIT:
        return None
    try:
        raw = bytes(await (await largest.get_file()).download_as_bytearray())
    except TelegramError as error:
        log.warning("channel post %s: its photo could not be downloaded: %s", post.url, error)
        return None
    return await asyncio.to_thread(store_picture, state.library.originals, post, raw, state.library.config.ocr)


async def _index_posts(state: BotState, bot: Bot) -> None:
    documents = _batches.pop(id(state.queue), [])
    report = await asyncio.to_thread(state.library.reindex)
    log.info("channel posts indexed: %d documents, %d passages added", report.added, report.passages_added)
    follows.after_indexing(state, bot, documents)


async def forwarded_post(update: Update, context: Context) -> None:
    """An admin forwarded a channel's post: it is added with its origin (channel, link, date); a file it
    carries, as an upload with the channel as its source."""
    note_album(context.bot_data.state, message_of(update), update.effective_user)
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel):
        return
    where = SourceMeta(url=post_url(origin.chat.username, origin.chat.id, origin.message_id),
                       source=origin.chat.title or "", published=vietnam_day(origin.date or datetime.now(UTC)))
    # a GIF is a document too, but a clip that illustrates the post, not a file it posted
    document = message.document if message.animation is None else None
    if document is not None:  # a channel's official letter as a PDF: the file is what it posted
        name, size = document.file_name or "file", document.file_size or 0
        if not (refused := refusal(name, size, lang)):
            await receive(update, context, name, size, document.get_file, where)
            return
        await reply(message, context, refused)  # the file could not be added; its caption, the post's words, can
        if not (message.caption or "").strip():
            return  # the one line said it all
    if message.photo and not (message.caption or "").strip():
        if caption_of(context.bot_data.state, message).strip():
            return  # one of an album's photos: they illustrate its caption, which its first photo adds
        # a notice photographed, posted without words: read by OCR, as an admin's own photo is. With a
        # caption, the photo illustrates it, and the caption is the post
        largest = max(message.photo, key=lambda size: size.width * size.height)
        await receive(update, context, f"photo-{largest.file_unique_id}.jpg", largest.file_size or 0,
                      largest.get_file, where)
        return
    body = message.text or message.caption or ""
    name = escape(origin.chat.title or origin.chat.username or "")
    if not body.strip():
        await reply(message, context, text(lang, "forward_no_text", channel=name))
        return
    state = context.bot_data.state
    post = _post(origin.chat, origin.message_id, body, origin.date or datetime.now(UTC), origin.chat.title or "")
    status = await reply(message, context, text(lang, "job_started", what=escape(post.url)))
    originals = state.library.originals
    queue_job(
        state, status, lang, "forward",
        prepare=lambda _: store_post(originals, post),
        summarize=lambda added, report: added_text([added], [], report, lang),
        refused=lambda why: text(lang, "forward_refused", url=escape(post.url), reason=why),
        indexed=lambda added: new_documents([added]),
    )
