"""Wiring in one place: handlers, the error handler, rate limiting and start-up commands."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator
from html import escape
from typing import TYPE_CHECKING

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import chat_settings
from bot.admins import channels, collection, feeds, gaps, held, photos, removal, uploads
from bot.admins import commands as admin
from bot.config import BotConfig
from bot.context import CONTEXT_TYPES, Context
from bot.delivery import replayed
from bot.delivery.batching import SearchBatcher
from bot.delivery.flood import MessageRateLimiter
from bot.delivery.sender import DeliveringRequest
from bot.failures import error_handler
from bot.readers import answers, buttons, captions, commands, feedback, follows, inline, settings_menu
from bot.readers.recent import RecentQueries
from bot.state import BotState
from bot.store import StateStore
from bot.store.pseudonyms import PseudonymousStore, Pseudonyms
from bot.texts import TEXTS, text
from bot.web.metrics import Metrics
from bot.web.webhook import WebConfig, WebhookRefused, WebServer, start_web

if TYPE_CHECKING:
    from retriever.library import Library

log = logging.getLogger(__name__)

# an edited question in a private chat is answered as the question it now is: a reader who corrects a
# typo after a "nothing found" expects the corrected question answered (edits were ignored, and the old
# answer stayed under the new words). A channel's edited posts replace the post's passages
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY,
                   Update.CHANNEL_POST, Update.EDITED_CHANNEL_POST]
PRUNE_EVERY = 3600.0  # seconds
STOP_WAIT = 20.0  # a stop waits this long for the answers and indexing under way (compose grace: 30 s)
NEWS_WAIT = 5.0  # then for the followers' news it started (STOP_WAIT + NEWS_WAIT within that grace period)
PUBLIC_COMMANDS = ("start", "help", "ask", "sources", "settings", "follow", "following", "unfollow")
ADMIN_COMMANDS = ("stats", "reindex", "gaps", "add", "remove", "feeds", "channels")


# every message the bot sends is HTML it escaped itself; quotes carry no links worth a preview. A reply whose
# message was deleted meanwhile goes out unquoted (Telegram refuses it otherwise: "message to be replied not
# found"): an apology or a file quoting a question in a group was lost with it
DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                    allow_sending_without_reply=True)


def build_application(config: BotConfig, library: Library, store: StateStore) -> Application:
    metrics = Metrics()
    # the size loaded at start, before any scrape: a database down before the first scrape read as 0 documents
    loaded = library.info()
    metrics.sized(loaded.documents, loaded.passages)
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .defaults(DEFAULTS)
        .context_types(CONTEXT_TYPES)
        # waits out RetryAfter instead of failing, and keeps under Telegram's flood limits
        .rate_limiter(MessageRateLimiter(overall_max_rate=config.messages_per_second, max_retries=0))
        # the one Sender: retries what cannot have been delivered, waits out 429s and outages (bot/delivery/sender.py)
        .request(DeliveringRequest(config.delivery, on_unconfirmed=metrics.unconfirmed.inc))
        .concurrent_updates(True)
        .post_init(_post_init)
    )
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url)
        # files come from /file/bot<token>/<path> beside the API's /bot<token>/<method>
        if config.api_base_url.endswith("/bot"):
            builder = builder.base_file_url(config.api_base_url[: -len("bot")] + "file/bot")
    application = builder.build()
    # the state never sees a Telegram user id: the store is handed keyed hashes (bot/store/pseudonyms.py)
    pseudonyms = Pseudonyms.from_settings(config.user_id_secret, config.token)
    if not isinstance(store, PseudonymousStore):
        store = PseudonymousStore(store, pseudonyms)
    application.bot_data.state = BotState(
        config=config,
        library=library,
        store=store,
        pseudonyms=pseudonyms,
        metrics=metrics,
        batcher=SearchBatcher(library.search_many),
        recent=RecentQueries(float(config.inline_cache_time)),
    )

    message = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    plain_text = filters.TEXT & ~filters.COMMAND
    # in a group, a forwarded message is what someone said elsewhere, and a channel's post copied into its
    # discussion group (`is_automatic_forward`) is the channel speaking: neither is a member's command
    said_here = message & ~(filters.ChatType.GROUPS & (filters.FORWARDED | filters.IS_AUTOMATIC_FORWARD))
    application.add_handlers(
        [
            CommandHandler("start", commands.start_command, filters=said_here),
            CommandHandler("help", commands.help_command, filters=said_here),
            # "/ask …" edited in a private chat is asked again, as an edited question is
            CommandHandler("ask", answers.ask_command,
                           filters=said_here | (filters.UpdateType.EDITED_MESSAGE & private)),
            CommandHandler("sources", collection.sources_command, filters=said_here),
            CommandHandler("stats", admin.stats_command, filters=said_here),
            CommandHandler("reindex", admin.reindex_command, filters=said_here),
            # readers' unanswered questions, some asked in private: shown to an admin in private only
            CommandHandler("gaps", gaps.gaps_command, filters=said_here & private),
            CommandHandler("settings", settings_menu.settings_command, filters=said_here),
            CommandHandler("follow", follows.follow_command, filters=said_here),
            CommandHandler("following", follows.following_command, filters=said_here),
            CommandHandler("unfollow", follows.unfollow_command, filters=said_here),
            CommandHandler("add", collection.add_command, filters=said_here & private),
            CommandHandler("remove", removal.remove_command, filters=said_here & private),
            CommandHandler("feeds", feeds.feeds_command, filters=said_here & private),
            CommandHandler("channels", channels.channels_command, filters=said_here & private),
            # the same commands in a group: said to work in a private chat, not "no such command"
            CommandHandler(tuple(sorted(admin.PRIVATE_ONLY)), admin.private_only,
                           filters=said_here & ~private),
            MessageHandler(filters.UpdateType.CHANNEL_POSTS, channels.channel_post),
            MessageHandler(message & filters.StatusUpdate.MIGRATE, chat_settings.chat_migrated),
            MessageHandler(message & filters.ChatType.GROUPS
                           & (filters.StatusUpdate.NEW_CHAT_MEMBERS | filters.StatusUpdate.CHAT_CREATED),
                           chat_settings.joined),
            # an admin's forward of a channel post adds it; anyone else's is asked about like any message
            MessageHandler(message & private & channels.ForwardedFromChannel() & filters.User(config.admin_ids),
                           channels.forwarded_post),
            # a bare link in a private chat (or several, nothing else) is something to add, not a question
            MessageHandler(message & private & plain_text & filters.Regex(collection.LINKS), collection.link_message),
            # a GIF comes as a document too (an .mp4 that old clients show as a file): it is no file to add, and
            # goes with the stickers and clips below
            MessageHandler(message & private & filters.Document.ALL & ~filters.ANIMATION, uploads.upload),
            MessageHandler(message & private & filters.PHOTO, photos.photo),
            # a screenshot, a file or a clip in a group, with "@bot …?" or "/ask …" under it
            MessageHandler(said_here & filters.ChatType.GROUPS & filters.CAPTION
                           & (filters.PHOTO | filters.Document.ALL | filters.VIDEO | filters.ANIMATION
                              | filters.VOICE | filters.AUDIO), photos.group_photo),
            MessageHandler(message & private & plain_text, answers.private_question),
            # in groups an edit stays unanswered: the bot answers there only what is addressed to it, when it is
            MessageHandler(filters.UpdateType.EDITED_MESSAGE & private & plain_text
                           & ~filters.Regex(collection.LINKS), answers.private_question),
            # a channel's post copied into its discussion group (`is_automatic_forward`) is the channel speaking,
            # not a member asking, even when it names the bot; so is any message a member forwards (the bot's own
            # /help, someone's post that named it): what it says was written to others
            MessageHandler(
                message & filters.ChatType.GROUPS & plain_text & ~filters.IS_AUTOMATIC_FORWARD & ~filters.FORWARDED
                & answers.AddressedToBot(),
                answers.group_question,
            ),
            MessageHandler(filters.UpdateType.EDITED_MESSAGE & private & filters.CAPTION, captions.edited_caption),
            MessageHandler(said_here & filters.COMMAND, commands.unknown_command),
            MessageHandler(message & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, captions.media_message),
            CallbackQueryHandler(buttons.answer_button, pattern=r"^a:[A-Za-z0-9_-]{1,16}:\d{1,3}$"),
            # "m:<key>:<page>:<results per page>:<shown first>" (buttons from before carry neither)
            CallbackQueryHandler(buttons.answer_button, pattern=r"^m:[A-Za-z0-9_-]{1,16}:\d{1,3}(:\d{1,2}:\d{1,2})?$"),
            CallbackQueryHandler(feedback.vote_button, pattern=r"^v:[A-Za-z0-9_-]{1,16}:[01]$"),
            CallbackQueryHandler(settings_menu.settings_button, pattern=r"^s:[klmgx]:[a-z0-9]{1,3}$"),
            CallbackQueryHandler(removal.remove_button, pattern=r"^rm:(\d{1,16}|cancel)$"),
            CallbackQueryHandler(removal.page_button, pattern=r"^rmp:\d{1,3}:[^:]{0,58}$"),
            CallbackQueryHandler(removal.undo_button, pattern=r"^rmu:[0-9a-f]{12}$"),
            CallbackQueryHandler(collection.sources_button, pattern=r"^src:\d{1,5}$"),
            CallbackQueryHandler(follows.follow_pressed, pattern=r"^f:[A-Za-z0-9_-]{1,16}$"),
            CallbackQueryHandler(commands.answer_button_unknown),
            InlineQueryHandler(inline.inline_query),
        ]
    )
    # polled updates handed out again after a restart are not answered again (bot/delivery/replayed.py)
    application.add_handler(TypeHandler(Update, replayed.claim), group=-1)
    application.add_handler(TypeHandler(Update, replayed.finish), group=1)
    application.add_error_handler(error_handler)
    return application


def run_bot(config: BotConfig, library: Library, store: StateStore, web: WebConfig | None = None) -> None:
    """Serve until SIGINT/SIGTERM (blocking): long polling, or Telegram's webhook when `web.webhook_url` is
    set; `/healthz` and `/metrics` whenever `web` is given."""
    # httpx logs every request URL at INFO, and the Bot API puts the token in the URL
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(_serve(build_application(config, library, store), web))


async def _serve(application: Application, web: WebConfig | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    async with serving(application, web):
        await stop.wait()
        log.info("stopping")


@contextlib.asynccontextmanager
async def serving(application: Application, web: WebConfig | None) -> AsyncIterator[WebServer | None]:
    """The bot running (polling, or the webhook when `web.webhook_url` is set) for the duration of the block."""
    async with application:  # initialize ... shutdown
        await _post_init(application)
        await application.start()
        server: WebServer | None = None
        updater = application.updater
        try:  # from here on the application is running: whatever fails, it is stopped before it is shut down
            server = start_web(application, web) if web is not None else None
            if web is not None and web.webhook_url:
                await _register_webhook(application, web)
            elif updater is not None:
                await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            yield server
        finally:
            # the answers in flight and the indexing run side by side, so they share STOP_WAIT: one wait each
            # would add up past a service manager's grace period (an answer waiting on a slow Telegram alone
            # could take all of it), and SIGKILL would cut the stop short without a word
            give_up = asyncio.get_running_loop().time() + STOP_WAIT
            if server is not None:
                await server.stop(STOP_WAIT)  # no new requests; the ones being answered finish first
            if updater is not None and updater.running:
                await updater.stop()
            # an upload being indexed ends with its admin told, within a service manager's grace period
            left = max(give_up - asyncio.get_running_loop().time(), 0.0)
            await application.bot_data.state.queue.drain(left)
            await application.stop()
            # what the indexing just added is news for its followers: sent before the connection to Telegram
            # closes with the application (the updates and jobs that could start more are done now)
            await follows.drain(NEWS_WAIT)


async def _register_webhook(application: Application, web: WebConfig) -> None:
    try:
        # every replica registers the same URL: harmless, and any one of them may start first
        await application.bot.set_webhook(web.webhook_url, secret_token=web.secret, allowed_updates=ALLOWED_UPDATES)
    except BadRequest as error:  # a BadRequest is a NetworkError to PTB, but nothing a retry or a network fixes
        raise WebhookRefused(error.message) from error


def _commands(lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, text(lang, f"cmd_{name}")) for name in names]


async def _post_init(application: Application) -> None:
    bot = application.bot
    state: BotState = application.bot_data.state
    for lang in TEXTS:
        code = "" if lang == "vi" else lang
        await bot.set_my_commands(_commands(lang, PUBLIC_COMMANDS), language_code=code or None)
    for admin_id in sorted(state.config.admin_ids):
        try:
            for lang in TEXTS:
                code = "" if lang == "vi" else lang
                await bot.set_my_commands(
                    _commands(lang, PUBLIC_COMMANDS + ADMIN_COMMANDS),
                    scope=BotCommandScopeChat(admin_id),
                    language_code=code or None,
                )
        except TelegramError as error:
            # typically "chat not found": the admin has not started the bot yet
            log.warning("could not set admin commands for %s: %s", admin_id, error)
    if state.library.stale:
        await _report_stale(application, state)
    if application.job_queue is not None:
        application.job_queue.run_repeating(_prune, interval=PRUNE_EVERY, first=PRUNE_EVERY, name="prune-state")
        # at once: uploads a replica that stopped held wait for no one. A second from now, not 0: the scheduler
        # starts after this, and a start already past put the first run a whole interval later
        application.job_queue.run_repeating(uploads.keep_held, interval=held.RENEW_EVERY, first=1.0,
                                            name="held-uploads")
        every = state.config.feed_interval_minutes * 60
        application.job_queue.run_repeating(feeds.poll_feeds, interval=every, first=every, name="poll-feeds")
    log.info("bot @%s ready", bot.username)


async def _report_stale(application: Application, state: BotState) -> None:
    """The update that failed at start-up (read-only folder, full disk) is news for the admins."""
    reason = escape((state.library.stale or "")[:300])
    for admin_id in sorted(state.config.admin_ids):
        lang = (await chat_settings.settings_of(state, admin_id)).unasked
        try:
            await application.bot.send_message(admin_id, text(lang, "index_stale", error=reason))
        except TelegramError as error:
            log.warning("could not tell admin %s that the index is stale: %s", admin_id, error)


async def _prune(context: Context) -> None:
    """Expired searches and old rate-limit events go: the store stays bounded however many users come."""
    state = context.bot_data.state
    await asyncio.to_thread(state.store.prune, time.time(), state.config.search_ttl)
