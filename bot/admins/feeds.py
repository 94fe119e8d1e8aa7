"""RSS/Atom feeds: /feeds add|remove|list, and polling on a schedule (PTB JobQueue).

Each poll runs on the one indexing queue: new items (by URL's `link_key`, remembered in the StateStore, and
by content) are fetched, stored under links/ and indexed once; an item that failed for a passing reason
is forgotten again, so the next poll retries it. An item the feed says was updated after it was published
(Atom's <updated>) is fetched again while the collection still holds its page, and replaces it: a correction
or a new figure reaches readers. A feed that keeps failing is reported
to the admins once per run of failures, not at every poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
from dataclasses import dataclass, field
from html import escape

from telegram import Bot, Update
from telegram.error import NetworkError, TelegramError

from bot import chat_settings
from bot.admins.collection import URL, added_text, new_documents, post_status, with_scheme
from bot.admins.commands import refused
from bot.admins.held import hold, releaser
from bot.admins.jobs import StatusMessage, edit, reason
from bot.context import Context, message_of, reply
from bot.readers import follows
from bot.render import shown_url
from bot.state import BotState
from bot.store import Feed
from bot.texts import text
from retriever.collection import Added, Rejected, held_page, remove_file, store_page
from retriever.ingest.bounded import run_bounded
from retriever.ingest.files import SourceMeta
from retriever.ingest.parsers import FeedItem, feed_items
from retriever.ingest.web import Fetched, FetchError, FetchLimits, fetch, link_key
from retriever.originals import Originals
from retriever.text import fold

log = logging.getLogger(__name__)

MAX_ITEMS = 30  # new items taken per poll, newest first: a first poll of a big feed stays a small job


@dataclass
class FeedPoll:
    added: list[Added] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def collect(url: str, state: BotState, originals: Originals, limits: FetchLimits) -> FeedPoll:
    """Fetch the feed and store its new items (worker thread). ValueError: the feed itself failed."""
    fetched = fetch(url, limits)
    # feedparser is an XML parser like the others: within the same memory and time limits
    items = run_bounded(feed_items, fetched.body)
    poll = FeedPoll()
    taken = 0
    for item in items:
        link = item.link
        if taken >= MAX_ITEMS:
            break  # the rest wait for the next polls: a backlog drains a few dozen items at a time
        if not link:
            continue
        fresh = _new_item(state, link)
        revision = f"rev:{link_key(link)}:{item.revised}" if item.revised else ""
        revised = bool(revision) and state.store.remember_item(revision)
        if not fresh and not (revised and held_page(originals, link)):
            # seen before, maybe in another form (and maybe removed since: it is not added back, even edited)
            continue
        taken += 1
        # the feed's date and title where the page names neither (a page without a date was "no date")
        fallback = SourceMeta(date=item.date, source=item.feed)
        try:
            try:
                added = store_page(originals, fetch(link, limits), fallback=fallback)
            except ValueError as error:
                if _passing(error) or not _told(item):
                    raise
                log.info("feed %s: item %s not read (%s): its summary in the feed is kept", url, link, error)
                added = store_page(originals, _summary_page(link, item), fallback=fallback)
            if _told(item) and not _about(added, item):
                # a login or paywall page ("Đăng nhập để đọc tiếp"): the feed's own words are what there is
                log.info("feed %s: item %s is not the article its feed names: its summary is kept", url, link)
                added = store_page(originals, _summary_page(link, item), fallback=fallback)
        except ValueError as error:
            log.warning("feed %s: item %s skipped: %s", url, link, error)
            poll.rejected.append(Rejected(link, error))
            if _passing(error):
                for key in _item_keys(link):
                    state.store.forget_item(key)
                if revision:
                    state.store.forget_item(revision)
            continue
        if added.duplicate and not fresh:
            continue  # updated in the feed, the same page: nothing to index again
        # a link in another form updates the page already held: that one is no copy to take off
        if not state.store.remember_item(f"text:{_content_key(added)}") and not added.duplicate \
                and not added.same_page:
            remove_file(originals, added.relative)  # the same article under another URL
            continue
        poll.added.append(added)
    return poll


SUMMARY_WORDS = 12  # a feed's summary worth quoting: a sentence or two, not "Đọc thêm…"
ABOUT = 0.5  # share of the item's title words its page must hold to be the article the feed names


def _told(item: FeedItem) -> bool:
    return len(item.summary.split()) >= SUMMARY_WORDS


def _about(added: Added, item: FeedItem) -> bool:
    """Whether the page stored is the article the feed names: it holds most of the item's title words."""
    named = {word for word in fold(item.title).split() if len(word) > 1}
    if not named:
        return True
    held = {word for document in added.documents
            for text in (document.title, *(paragraph.text for paragraph in document.paragraphs))
            for word in fold(text).split()}
    return len(named & held) >= ABOUT * len(named)


def _summary_page(link: str, item: FeedItem) -> Fetched:
    """The feed's title and summary of an item, as the page held for its link: an item whose page cannot be
    read (403, a login wall) is quoted from what the feed says of it, and its page, once readable, replaces it."""
    title, summary = escape(item.title or item.feed), escape(item.summary)
    body = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{summary}</p>"
            "</article></body></html>")
    return Fetched(link, "text/html; charset=utf-8", body.encode())


def _new_item(state: BotState, link: str) -> bool:
    """Remember a feed item's link; False when it, or another form of it, was seen before."""
    return all([state.store.remember_item(key) for key in _item_keys(link)])  # a list: each one remembered


def _item_keys(link: str) -> list[str]:
    """What a feed item's link is remembered by: its `link_key`, and as written, as items seen before links
    were compared by their keys were remembered."""
    return [f"url:{key}" for key in dict.fromkeys((link_key(link), link))]


def _passing(error: ValueError) -> bool:
    """A failure the site may get over (down, overloaded, slow, unreachable): the item is unmarked and the
    next poll fetches it again. Any other refusal (not an article, 404, too large) stays marked as seen,
    so that the item is not fetched and refused again at every poll."""
    if not isinstance(error, FetchError):
        return False
    status = error.details.get("status")
    if error.code == "http_status":
        return isinstance(status, int) and (status >= 500 or status in {408, 429})
    return error.code in {"timeout", "too_slow", "connect", "host_unknown"}


def _content_key(added: Added) -> str:
    body = "\n".join(fold(p.text) for d in added.documents for p in d.paragraphs)
    return hashlib.sha256(body.encode()).hexdigest()


async def feeds_command(update: Update, context: Context) -> None:
    message, lang = message_of(update), await chat_settings.language_of(context.bot_data.state, update)
    if await refused(update, context):
        return
    state = context.bot_data.state
    args = (message.text or "").split()[1:]
    # "/feeds Add", "/feeds list", and an address without https:// as /add takes it: each got the usage line
    command = args[0].lower() if args else "list"
    url = with_scheme(args[1]) if len(args) == 2 else ""
    if command == "list" and len(args) <= 1:
        await reply(message, context, _feed_list(await asyncio.to_thread(state.store.feeds), state, lang))
    elif command == "add" and URL.match(url):
        # "⏳ Processing" was said of a feed waiting behind uploads, unlike a link or a file sent meanwhile
        status = await post_status(message, context, lang, url)
        added_by = update.effective_user.id if update.effective_user else message.chat_id
        key = await hold(state, status, {"kind": "feed", "lang": lang, "url": url, "added_by": added_by})
        queue_feed(state, status, key, lang, url, added_by)
    elif command == "remove" and len(args) == 2:
        url = await _feed_url(state, args[1] if args[1].isdigit() else with_scheme(args[1]))
        removed = await asyncio.to_thread(state.store.remove_feed, url)
        key = "feed_removed" if removed else "feed_unknown"
        await reply(message, context, text(lang, key, url=shown_url(url)))
    else:
        await reply(message, context, text(lang, "feeds_usage"))


async def _feed_url(state: BotState, given: str) -> str:
    """A URL, or a number from the /feeds list."""
    feeds = await asyncio.to_thread(state.store.feeds)
    if given.isdigit() and 1 <= int(given) <= len(feeds):
        return feeds[int(given) - 1].url
    # the feed as followed, though given in another form (a slash, www., http)
    return next((feed.url for feed in feeds if link_key(feed.url) == link_key(given)), given)


def _feed_list(feeds: list[Feed], state: BotState, lang: str) -> str:
    if not feeds:
        return text(lang, "feeds_empty")
    minutes = f"{state.config.feed_interval_minutes:g}"
    lines = [text(lang, "feeds_header", count=len(feeds), minutes=minutes)]
    for n, feed in enumerate(feeds, 1):
        line = text(lang, "feeds_line", n=n, url=shown_url(feed.url))
        lines.append(line + (text(lang, "feeds_failing", failures=feed.failures) if feed.failures else ""))
    return "\n".join(lines)


def queue_feed(state: BotState, status: StatusMessage, key: str, lang: str, url: str, added_by: int,
               resumed: bool = False) -> None:
    """Follow the feed in the queue; held (`key`) until its admin has been told how it ended. Waiting behind
    the jobs ahead of it past a stop's grace period, it was lost: not followed, its "⏳" left for good.
    `resumed`: taken up after a stop (bot/admins/uploads.py `keep_held`)."""
    release = releaser(state, key)

    async def run() -> None:
        # as `IndexingJob` ends: released once told, whichever way; kept held when cancelled by a stop, or
        # when Telegram could not be reached to tell how it ended
        try:
            await _follow(state, url, added_by, status, lang, resumed)
        except NetworkError:
            await asyncio.to_thread(release, False)
            raise
        except Exception as error:
            # a full disk, the state store out: said in one line, as an indexing job says it, not a "⏳" for good
            with contextlib.suppress(TelegramError):
                await edit(status, text(lang, "feed_refused", url=shown_url(url), reason=reason(lang, error)))
            await asyncio.to_thread(release, True)
            raise
        await asyncio.to_thread(release, True)

    state.queue.submit("feed", run)


async def _follow(state: BotState, url: str, added_by: int, status: StatusMessage, lang: str,
                  resumed: bool = False) -> None:
    """First poll of a new feed: only a feed that can be read is followed."""
    if any(link_key(feed.url) == link_key(url) for feed in await asyncio.to_thread(state.store.feeds)):
        # taken up again, it was followed by the run a stop cut off before its admin was told (its items are
        # indexed as the bot starts): "already followed, nothing changed" was said to the admin who added it
        said = text(lang, "feed_added", url=shown_url(url), minutes=f"{state.config.feed_interval_minutes:g}")
        await edit(status, said if resumed else text(lang, "feed_exists"))
        return
    originals = state.library.originals
    try:
        poll = await asyncio.to_thread(collect, url, state, originals, state.config.fetch)
    except ValueError as error:
        await edit(status, text(lang, "feed_refused", url=shown_url(url), reason=reason(lang, error)))
        return
    await asyncio.to_thread(state.store.add_feed, url, added_by)
    minutes = f"{state.config.feed_interval_minutes:g}"
    if not poll.added:
        await edit(status, text(lang, "feed_nothing_new", url=shown_url(url)))
        return
    followed = text(lang, "feed_added", url=shown_url(url), minutes=minutes)
    try:
        report = await asyncio.to_thread(state.library.reindex)
    except Exception as error:  # the items are stored: the next build picks them up
        log.exception("reindex after following %s failed", url)
        await edit(status, followed + "\n" + text(lang, "reindex_failed", error=reason(lang, error)))
        return
    await edit(status, followed + "\n" + added_text(poll.added, poll.rejected, report, lang))
    follows.after_indexing(state, status.get_bot(), new_documents(poll.added))


async def poll_feeds(context: Context) -> None:
    """The JobQueue's callback: one queued poll per followed feed."""
    state = context.bot_data.state
    for feed in await asyncio.to_thread(state.store.feeds):
        state.queue.submit("feed", functools.partial(_poll, state, context.bot, feed))


async def _poll(state: BotState, bot: Bot, feed: Feed) -> None:
    try:
        poll = await asyncio.to_thread(collect, feed.url, state, state.library.originals, state.config.fetch)
    except ValueError as error:
        await _failed(state, bot, feed, error)
        return
    await asyncio.to_thread(state.store.update_feed, feed.url, 0, False)
    if poll.added:
        report = await asyncio.to_thread(state.library.reindex)
        log.info("feed %s: %d new items indexed in %.1fs", feed.url, len(poll.added), report.seconds)
        follows.after_indexing(state, bot, new_documents(poll.added))


async def _failed(state: BotState, bot: Bot, feed: Feed, error: ValueError) -> None:
    failures = feed.failures + 1
    report = failures >= state.config.feed_failures_reported and not feed.reported
    log.warning("feed %s failed (%d in a row): %s", feed.url, failures, error)
    await asyncio.to_thread(state.store.update_feed, feed.url, failures, feed.reported or report)
    if not report:
        return
    for admin_id in sorted(state.config.admin_ids):
        # each admin in the language of their private chat: chosen in /settings, else their Telegram's
        lang = (await chat_settings.settings_of(state, admin_id)).unasked
        html = text(lang, "feed_failing", url=shown_url(feed.url), failures=failures, reason=reason(lang, error))
        with contextlib.suppress(TelegramError):  # an admin who never started the bot cannot be told
            await bot.send_message(admin_id, html)
