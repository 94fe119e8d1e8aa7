"""/remove: admins find articles by title words, page through the matches, remove one with a button,
and may undo the removal for a while (the file is set aside, see retriever/trash.py)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections import Counter
from html import escape

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import chat_settings
from bot.admins.commands import refused
from bot.admins.held import hold, releaser
from bot.admins.jobs import IndexingJob, StatusMessage, edit
from bot.context import Context, acknowledge, message_of, query_of, reply
from bot.state import BotState
from bot.texts import text
from retriever.collection import remove_file
from retriever.library import Library
from retriever.models import ArticleInfo
from retriever.text import fold
from retriever.trash import restore, set_aside

PER_PAGE = 8
LABEL_CHARS = 40
CALLBACK_BYTES = 64  # Telegram's limit for a button's data


def label(title: str, limit: int = LABEL_CHARS) -> str:
    """A button label: the title cut at a word, with an ellipsis when cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0] or title[: limit - 1]
    return cut.rstrip(" ,.;:–-") + "…"


def _words_data(page: int, words: list[str]) -> str:
    """`rmp:<page>:<folded words>`; words too long for a button's 64 bytes are kept here, behind a key
    (`rmp:<page>:#<key>`). Dropping words to fit, as before, widened the search: page 2 of a search
    listed articles it never matched, each with its 🗑."""
    data = f"rmp:{page}:{' '.join(words)}"
    if len(data.encode()) <= CALLBACK_BYTES:
        return data
    key = hashlib.sha256(" ".join(words).encode()).hexdigest()[:12]
    _long_searches[key] = words
    while len(_long_searches) > LONG_SEARCHES:
        del _long_searches[next(iter(_long_searches))]
    return f"rmp:{page}:#{key}"


# the words of searches too long for their page buttons, newest last (another replica, or a restart,
# does not have them: such a page button then says the search has expired)
_long_searches: dict[str, list[str]] = {}
LONG_SEARCHES = 200


def matches(infos: list[ArticleInfo], words: list[str]) -> list[ArticleInfo]:
    return [info for info in infos if all(word in fold(info.title).split() for word in words)]


def listing(
    found: list[ArticleInfo], words: list[str], page: int, lang: str, per_file: Counter[str] | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """`per_file`: how many articles each file holds. Removing one of a JSONL file's or a feed's articles
    removes its file, and all of them with it: the line says so before the button is pressed."""
    per_file = per_file or Counter()
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = found[page * PER_PAGE : (page + 1) * PER_PAGE]
    head = text(lang, "remove_pick", count=len(found))
    if pages > 1:
        head += " " + text(lang, "sources_page", page=page + 1, pages=pages)
    lines = [head, *(f"• <b>{escape(i.title)}</b> — {escape(i.document)}"
                     + (text(lang, "remove_whole_file", count=per_file[i.document]) if per_file[i.document] > 1 else "")
                     for i in shown)]
    rows = [[InlineKeyboardButton(text(lang, "remove_button", title=label(i.title)), callback_data=f"rm:{i.doc_id}")]
            for i in shown]  # fmt: skip
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(text(lang, "prev"), callback_data=_words_data(page - 1, words)))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(text(lang, "next_page"), callback_data=_words_data(page + 1, words)))
    rows += [nav] if nav else []
    rows.append([InlineKeyboardButton(text(lang, "cancel_button"), callback_data="rm:cancel")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def remove_command(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if await refused(update, context):
        return
    typed = (message.text or "").split(None, 1)[1:]
    if not typed or not typed[0].strip():
        await reply(message, context, text(lang, "remove_usage"))
        return
    words = fold(typed[0]).split()
    # "???" or "*" folds to no word at all, which every title holds: the whole collection was listed to remove
    articles = await asyncio.to_thread(context.bot_data.state.library.articles) if words else []
    found = matches(articles, words)
    if not found:
        await reply(message, context, text(lang, "remove_none", words=escape(typed[0][:100])))
        return
    html, markup = listing(found, words, 0, lang, Counter(i.document for i in articles))
    await reply(message, context, html, markup)


def _admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.bot_data.state.config.admin_ids


async def page_button(update: Update, context: Context) -> None:
    query, lang = query_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if not _admin(update, context):
        await query.answer(text(lang, "admin_only"), show_alert=True)
        return
    _, page, joined = (query.data or "").split(":", 2)
    words = _long_searches.get(joined[1:]) if joined.startswith("#") else joined.split()
    if words is None:
        await query.answer(text(lang, "expired"), show_alert=True)
        return
    await acknowledge(query)
    joined = " ".join(words)
    articles = await asyncio.to_thread(context.bot_data.state.library.articles)
    found = matches(articles, words)
    if not isinstance(query.message, Message):
        return
    if not found:
        await edit(query.message, text(lang, "remove_none", words=escape(joined)))
        return
    html, markup = listing(found, words, int(page), lang, Counter(i.document for i in articles))
    try:
        await query.message.edit_text(html, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise


async def _admin_press(update: Update, context: Context) -> tuple[CallbackQuery, str, Message] | None:
    """An admin's press acknowledged: the query, its language and the status message it edits (None: not an
    admin, who is told so, or no message to edit)."""
    query, lang = query_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if not _admin(update, context):
        await query.answer(text(lang, "admin_only"), show_alert=True)
        return None
    await acknowledge(query)
    status = query.message
    return (query, lang, status) if isinstance(status, Message) else None


async def remove_button(update: Update, context: Context) -> None:
    pressed = await _admin_press(update, context)
    if pressed is None:
        return
    query, lang, status = pressed
    state = context.bot_data.state
    choice = (query.data or "").split(":", 1)[1]
    article = None if choice == "cancel" else await asyncio.to_thread(state.library.article, int(choice))
    if article is None:
        await edit(status, text(lang, "remove_cancelled" if choice == "cancel" else "article_missing"))
        return
    info = article.info
    if time.monotonic() - _removing.get(info.document, -REMOVING_SECONDS) < REMOVING_SECONDS:
        # 🗑 tapped twice, or by a second admin on their own list: a second job found the file gone and wrote
        # over the first one's ↩ Undo. The first press's message says how it ends; this one says so
        if (status.chat_id, status.message_id) != _removing_status.get(info.document):
            await edit(status, text(lang, "remove_in_progress", title=escape(info.title)))
        return
    _removing_status[info.document] = (status.chat_id, status.message_id)
    _removing[info.document] = time.monotonic()
    await edit(status, text(lang, "remove_working", title=escape(info.title)), final=False)
    # the undo token is chosen now and held with the removal: one run again after a restart finds its file set
    # aside under it, and still offers ↩ Undo
    token = secrets.token_hex(6)
    key = await hold(state, status, {"kind": "remove", "lang": lang, "name": info.document, "title": info.title,
                                     "token": token})
    queue_removal(state, status, key, lang, info.document, info.title, token)


def queue_removal(state: BotState, status: StatusMessage, key: str, lang: str, document: str, title: str,
                  token: str = "") -> None:
    """Remove `document` in the queue; held (`key`) until its admin has been told how it ended. Waiting behind
    other jobs past a stop's grace period, it was lost: the article stayed, its "⏳ Đang xóa…" for good.
    `token`: what it is set aside under (`_remove`)."""
    keep = state.config.removed_keep_seconds

    def summarize(token: str | None, documents: int) -> str:
        _removing.pop(document, None)
        html = text(lang, "removed", title=escape(title), file=escape(document), documents=documents)
        hours = f"{keep / 3600:g}"
        # with PostgreSQL nothing is set aside: said, so that an admin does not look for ↩ Undo
        return html + "\n" + (text(lang, "removed_undo", hours=hours) if token else text(lang, "removed_for_good"))

    def refused(reason: str) -> str:
        _removing.pop(document, None)
        return text(lang, "upload_refused", name=escape(document), reason=reason)

    job: IndexingJob[str | None] = IndexingJob(
        state.library, status, lang, state.config.progress_interval,
        prepare=lambda _: _remove(state.library, document, keep, title, token),
        summarize=lambda token, report: summarize(token, report.documents),
        refused=refused,
        buttons=lambda token: InlineKeyboardMarkup(
            [[InlineKeyboardButton(text(lang, "undo_button"), callback_data=f"rmu:{token}")]]
        ) if token else None,
        finished=releaser(state, key),
    )
    state.queue.submit("remove", job)


# files whose removal this process queued, and when: a press on one of them is a double tap, until the job
# says how it went (or, should its build fail, for a while)
_removing: dict[str, float] = {}
# the message of the press that queued it, by chat too: message ids are counted per chat, and a second admin's
# list with the same id as the first one's was taken for a double tap on it and left without a word
_removing_status: dict[str, tuple[int, int]] = {}
REMOVING_SECONDS = 600.0


def _remove(library: Library, relative: str, keep: float, title: str, token: str = "") -> str | None:
    """Set the file aside (the undo token), or with PostgreSQL remove it from the database, where no folder
    holds it (no undo there: see docs/operators.md)."""
    if library.config.database_url:
        remove_file(library.originals, relative)
        return None
    return set_aside(library.config.data_dir, relative, keep, title=title, token=token)


async def undo_button(update: Update, context: Context) -> None:
    pressed = await _admin_press(update, context)
    if pressed is None:
        return
    query, lang, status = pressed
    state = context.bot_data.state
    token = (query.data or "").split(":", 1)[1]
    key = await hold(state, status, {"kind": "restore", "lang": lang, "name": token})
    queue_restore(state, status, key, lang, token)


def queue_restore(state: BotState, status: StatusMessage, key: str, lang: str, token: str) -> None:
    """Put back what removal `token` set aside, in the queue; held (`key`) as a removal is."""
    data_dir = state.library.config.data_dir

    def summarize(restored: tuple[str, str] | None, documents: int) -> str:
        if restored is None:
            return text(lang, "undo_expired")
        relative, title = restored
        return text(lang, "restored", title=escape(title or relative), file=escape(relative), documents=documents)

    job: IndexingJob[tuple[str, str] | None] = IndexingJob(
        state.library, status, lang, state.config.progress_interval,
        prepare=lambda _: restore(data_dir, token),
        summarize=lambda restored, report: summarize(restored, report.documents),
        refused=lambda reason: text(lang, "undo_refused", reason=reason),
        finished=releaser(state, key),
    )
    state.queue.submit("restore", job)
