"""Admins change the collection from a private chat: files and links (removal: bot/removal.py); anyone pages
/sources.

Handlers only check who is asking, queue the work on the one indexing queue, and answer through
one status message that the job edits when it is done.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from html import escape
from pathlib import PurePosixPath
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot import chat_settings
from bot.admins.commands import admin_seen, is_admin
from bot.admins.held import hold, releaser
from bot.admins.jobs import IndexingJob, StatusMessage, reason
from bot.context import Context, acknowledge, message_of, query_of, reply
from bot.listing import format_sources_page, newest_first
from bot.readers import follows
from bot.readers.buttons import written_in
from bot.render import shown, shown_count, shown_name, shown_url
from bot.state import BotState
from bot.texts import text
from retriever.collection import Added, Rejected, store_page
from retriever.ingest.files import SourceMeta
from retriever.ingest.ocr import PageProgress
from retriever.ingest.web import fetch
from retriever.models import BuildReport, Document

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # Telegram's limit for files a bot downloads
ADDED_LISTED = 10
QUOTE_CHARS = 300
MAX_LINKS = 10  # links added from one message; each gets its own status line
# any scheme: an admin who pastes an ftp:// link is told that only http(s) is fetched, not answered as if asking
URL = re.compile(r"^\s*([a-z][a-z0-9+.-]*://\S+)\s*$", re.IGNORECASE)
# a message of links alone, one or several (pasted one per line): each is something to add
LINKS = re.compile(r"^\s*[a-z][a-z0-9+.-]*://\S+(?:\s+[a-z][a-z0-9+.-]*://\S+)*\s*$", re.IGNORECASE)
_LINK = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_CAPTION_KEYS = {"title": "title", "tiêu đề": "title", "date": "date", "ngày": "date", "source": "source",
                 "nguồn": "source", "url": "url"}
T = TypeVar("T")


def parse_caption(caption: str | None) -> SourceMeta:
    """`title: … | date: … | source: …` (Vietnamese keys too); a source that is a link is also the URL."""
    fields: dict[str, str] = {}
    # one line each as typed on a phone, "=" and the full-width "：" for ":": read as one line, the date and
    # source went into the title
    for part in re.split(r"[|\n]", (caption or "").replace("：", ":")):
        # the separator is the one after a key: "title = Hội An: một triệu khách", "url = https://…"
        key, sep, value = min((part.partition(mark) for mark in (":", "=")), key=lambda split: len(split[0]))
        name = _CAPTION_KEYS.get(key.strip().lower())
        if sep and name and value.strip():
            fields[name] = " ".join(value.split())
    if URL.match(fields.get("source", "")) and "url" not in fields:
        fields["url"] = fields["source"]
    return SourceMeta(**fields)


def queue_job(state: BotState, status: StatusMessage, lang: str, kind: str, prepare: Callable[[PageProgress], T],
              summarize: Callable[[T, BuildReport], str], refused: Callable[[str], str],
              indexed: Callable[[T], Sequence[Document]] | None = None,
              finished: Callable[[bool], None] | None = None) -> None:
    """Queue an indexing job; `indexed` names the documents it added, for the readers who follow news."""

    def summarized(prepared: T, report: BuildReport) -> str:
        if indexed is not None:
            follows.after_indexing(state, status.get_bot(), indexed(prepared))
        return summarize(prepared, report)

    job = IndexingJob(state.library, status, lang, state.config.progress_interval, prepare, summarized, refused,
                      finished=finished)
    state.queue.submit(kind, job)


async def post_status(message: Message, context: Context, lang: str, what: str) -> Message:
    ahead = len(context.bot_data.state.queue.kinds)
    key, values = ("job_queued", {"ahead": ahead}) if ahead else ("job_started", {})
    return await reply(message, context, text(lang, key, what=shown_url(what), **values))


def new_documents(added: Sequence[Added], resumed: bool = False) -> list[Document]:
    """What is news to followers: the documents of files that were not there already. `resumed`: every one,
    as a replica that stopped may have stored the file before telling anyone (news is told once a follow and
    document all the same, `follows.told_key`)."""
    return [document for item in added if resumed or not item.duplicate for document in item.documents]


def added_text(added: Sequence[Added], rejected: Sequence[Rejected], report: BuildReport, lang: str,
               resumed: bool = False) -> str:
    """Title, date and paragraph count of each new document, and one quote to show what was read. `resumed`:
    an upload taken over after its replica stopped, which may have stored it already: it is news all the same."""
    # the same file or page sent again was headed "✅ Added" over "(already there, unchanged)"
    unchanged = bool(added) and all(item.duplicate for item in added) and not resumed
    lines = [text(lang, "added_header_unchanged") if unchanged else text(lang, "added_header", seconds=report.seconds)]
    documents = [(item, document) for item in added for document in item.documents]
    for item, document in documents[:ADDED_LISTED]:
        line = text(
            lang, "added_line", title=shown(document.title),
            date=escape(document.date) if document.date else text(lang, "no_date"),
            paragraphs=len(document.paragraphs),
        )
        lines.append(line + (text(lang, "added_duplicate") if item.duplicate and not unchanged and not resumed else ""))
        if item.ocr is not None:
            lines.append(text(lang, "ocr_read", pages=item.ocr.pages, confidence=item.ocr.confidence))
            if item.ocr.doubtful:
                lines.append(text(lang, "ocr_doubtful", pages=", ".join(map(str, item.ocr.doubtful))))
            if item.ocr.unread:
                lines.append(text(lang, "ocr_unread", pages=", ".join(map(str, item.ocr.unread))))
    notes = []  # once per file, however many of its documents are listed; as many as the documents listed:
    for item in added:  # a ZIP of 30 files sent again made a status over Telegram's 4096 characters, never shown
        name = shown_name(PurePosixPath(item.relative).name)
        if item.beside:  # a new version under the same name: both are quoted until the old one is removed
            notes.append(text(lang, "added_beside", name=name, old=shown_name(PurePosixPath(item.beside).name)))
        if item.same_page:  # a link in another form (a slash, www., ?utm_source=…): the page is kept once
            notes.append(text(lang, "added_same_page", url=shown_url(item.sent_as), old=shown_url(item.same_page)))
        elif item.sent_as:  # the very same file under another name: kept once
            notes.append(text(lang, "added_same_as", name=shown_name(PurePosixPath(item.sent_as).name), old=name))
        for key, numbers in (("jsonl_skipped", item.lines.skipped), ("jsonl_undated", item.lines.undated)):
            if numbers:
                notes.append(text(lang, key, name=name, count=len(numbers), lines=_numbers(numbers)))
    lines += notes[:ADDED_LISTED]
    if len(notes) > ADDED_LISTED:
        lines.append(text(lang, "added_more_notes", count=len(notes) - ADDED_LISTED))
    if len(documents) > ADDED_LISTED:
        lines.append(text(lang, "added_more", count=len(documents) - ADDED_LISTED))
    example = next((p.text for _, d in documents for p in d.paragraphs if not p.teaser), "")
    if example:
        shortened = example if len(example) <= QUOTE_CHARS else example[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        lines.append(f"<blockquote>{shown(shortened)}</blockquote>")
    lines += [text(lang, "added_cut", name=shown_name(PurePosixPath(c.path).name), chars=shown_count(c.chars, lang),
                   kept=shown_count(c.kept, lang)) for c in report.cut[:ADDED_LISTED]]
    lines += [text(lang, "added_rejected", name=shown_name(r.name), reason=reason(lang, r.error))
              for r in rejected[:ADDED_LISTED]]
    if len(rejected) > ADDED_LISTED:
        lines.append(text(lang, "added_more_notes", count=len(rejected) - ADDED_LISTED))
    return "\n".join(lines)


def _numbers(numbers: list[int]) -> str:
    listed = ", ".join(map(str, numbers[:ADDED_LISTED]))
    return listed + ("…" if len(numbers) > ADDED_LISTED else "")


# -- links -----------------------------------------------------------------------------------------
async def link_message(update: Update, context: Context) -> None:
    links = list(dict.fromkeys(_LINK.findall(message_of(update).text or "")))  # each once, in order
    for link in links[:MAX_LINKS] or [""]:
        await _add_link(update, context, link)
        if not is_admin(update, context):
            break  # told once that only admins add


async def add_command(update: Update, context: Context) -> None:
    parts = (message_of(update).text or "").split()
    # "/add some words" is no link: the usage line, not a fetch of "some"
    link = parts[1] if len(parts) > 1 and ("://" in parts[1] or "." in parts[1]) else ""
    await _add_link(update, context, with_scheme(link))


def with_scheme(link: str) -> str:
    """"vnexpress.net/tin.html", as a browser's address bar takes it: https:// is what it means."""
    return link if not link or "://" in link else f"https://{link}"


async def _add_link(update: Update, context: Context, url: str) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if not is_admin(update, context):
        await reply(message, context, text(lang, "collection_admin_only"))
        return
    await admin_seen(update, context)
    if not url:
        await reply(message, context, text(lang, "link_usage"))
        return
    state = context.bot_data.state
    status = await post_status(message, context, lang, url)
    queue_link(state, status, await hold(state, status, {"kind": "link", "lang": lang, "url": url}), lang, url)


def queue_link(state: BotState, status: StatusMessage, key: str, lang: str, url: str, resumed: bool = False) -> None:
    """Fetch, store and index the page in the queue; held (`key`) until its admin has been told how it ended."""
    originals, limits = state.library.originals, state.config.fetch
    queue_job(
        state, status, lang, "link",
        prepare=lambda _: store_page(originals, fetch(url, limits)),
        summarize=lambda added, report: added_text([added], [], report, lang, resumed),
        refused=lambda reason: text(lang, "link_refused", url=shown_url(url), reason=reason),
        indexed=lambda added: new_documents([added], resumed),
        finished=releaser(state, key),
    )


# -- /sources, page by page ------------------------------------------------------------------------
async def sources_command(update: Update, context: Context) -> None:
    html, markup = await _sources_page(context, 0, await chat_settings.language_of(context.bot_data.state, update))
    await reply(message_of(update), context, html, markup)


async def sources_button(update: Update, context: Context) -> None:
    query = query_of(update)
    await acknowledge(query)
    page = int((query.data or "src:0").split(":")[1])
    lang = await chat_settings.language_of(context.bot_data.state, update)
    if isinstance(query.message, Message):
        message = query.message
        if message.chat.type != ChatType.PRIVATE:
            # a group's list is everyone's: paged in the language it was written in, not the presser's own (an
            # English member's ▶ turned a Vietnamese group's list into English for all)
            lang = written_in(message, ("prev", "next_page")) or lang
        html, markup = await _sources_page(context, page, lang)
        try:
            await message.edit_text(html, reply_markup=markup)
        except BadRequest as error:
            if "not modified" not in str(error):
                raise


async def _sources_page(context: Context, page: int, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    state = context.bot_data.state
    infos = newest_first(await asyncio.to_thread(state.library.articles))
    per_page = state.config.sources_per_page
    pages = max(1, -(-len(infos) // per_page))
    page = min(max(page, 0), pages - 1)
    html = format_sources_page(infos, page, per_page, lang)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(text(lang, "prev"), callback_data=f"src:{page - 1}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(text(lang, "next_page"), callback_data=f"src:{page + 1}"))
    return html, InlineKeyboardMarkup([nav]) if nav else None
