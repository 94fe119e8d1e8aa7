"""Wiring in one place: handlers, the error handler, rate limiting and start-up commands."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import admin, feedback, gaps, handlers, inline, settings_menu
from bot.batching import SearchBatcher
from bot.config import BotConfig
from bot.context import CONTEXT_TYPES, Context
from bot.flood import MessageRateLimiter
from bot.recent import RecentQueries
from bot.state import BotState
from bot.store import StateStore, StoreUnavailable
from bot.texts import TEXTS, language, text
from bot.web import WebConfig, WebServer, start_web
from retriever.errors import IndexUnavailableError

if TYPE_CHECKING:
    from retriever.library import Library

log = logging.getLogger(__name__)

# edited messages are never delivered: an edit should not trigger a second answer
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
PRUNE_EVERY = 3600.0  # seconds
PUBLIC_COMMANDS = ("start", "help", "ask", "sources", "settings")
ADMIN_COMMANDS = ("stats", "reindex", "gaps")


# every message the bot sends is HTML it escaped itself; quotes carry no links worth a preview
DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))


def build_application(config: BotConfig, library: Library, store: StateStore) -> Application:
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .defaults(DEFAULTS)
        .context_types(CONTEXT_TYPES)
        # waits out RetryAfter instead of failing, and keeps under Telegram's flood limits
        .rate_limiter(MessageRateLimiter(overall_max_rate=config.messages_per_second, max_retries=3))
        .concurrent_updates(True)
        .post_init(_post_init)
    )
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url)
    application = builder.build()
    application.bot_data.state = BotState(
        config=config,
        library=library,
        store=store,
        batcher=SearchBatcher(library.search_many),
        recent=RecentQueries(float(config.inline_cache_time)),
    )

    message = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    plain_text = filters.TEXT & ~filters.COMMAND
    application.add_handlers(
        [
            CommandHandler(["start", "help"], handlers.help_command, filters=message),
            CommandHandler("ask", handlers.ask_command, filters=message),
            CommandHandler("sources", handlers.sources_command, filters=message),
            CommandHandler("stats", admin.stats_command, filters=message),
            CommandHandler("reindex", admin.reindex_command, filters=message),
            CommandHandler("gaps", gaps.gaps_command, filters=message),
            CommandHandler("settings", settings_menu.settings_command, filters=message),
            MessageHandler(message & private & plain_text, handlers.private_question),
            MessageHandler(
                message & filters.ChatType.GROUPS & plain_text & handlers.AddressedToBot(),
                handlers.group_question,
            ),
            MessageHandler(message & filters.COMMAND, handlers.unknown_command),
            MessageHandler(message & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.not_text),
            CallbackQueryHandler(handlers.answer_button, pattern=r"^[ma]:[A-Za-z0-9_-]{1,16}:\d{1,3}$"),
            CallbackQueryHandler(feedback.vote_button, pattern=r"^v:[A-Za-z0-9_-]{1,16}:[01]$"),
            CallbackQueryHandler(settings_menu.settings_button, pattern=r"^s:[klmg]:[a-z0-9]{1,3}$"),
            CallbackQueryHandler(handlers.answer_button_unknown),
            InlineQueryHandler(inline.inline_query),
        ]
    )
    application.add_error_handler(error_handler)
    return application


def run_bot(config: BotConfig, library: Library, store: StateStore, web: WebConfig | None = None) -> None:
    """Serve until SIGINT/SIGTERM (blocking): long polling, or Telegram's webhook when `web.webhook_url` is
    set; `/healthz` and `/metrics` whenever `web` is given."""
    _keep_token_out_of_logs(config.token)
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
        server = start_web(application, web) if web is not None else None
        updater = application.updater
        try:
            if web is not None and web.webhook_url:
                # every replica registers the same URL: harmless, and any one of them may start first
                await application.bot.set_webhook(web.webhook_url, secret_token=web.secret,
                                                  allowed_updates=ALLOWED_UPDATES)
            elif updater is not None:
                await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            yield server
        finally:
            if server is not None:
                await server.stop()  # no new requests; the ones being answered finish first
            if updater is not None and updater.running:
                await updater.stop()
            await application.stop()


async def error_handler(update: object, context: Context) -> None:
    """The one place failures are logged; the user gets a short apology and the bot carries on."""
    error = context.error
    context.bot_data.state.metrics.errors.inc()
    if update is None and isinstance(error, NetworkError):
        # polling hiccups: PTB retries on its own, a traceback every time would only be noise
        log.warning("network error while polling: %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    unavailable = isinstance(error, StoreUnavailable | IndexUnavailableError)
    if unavailable:
        # the database went away: the bot keeps running and the pool reconnects when it is back
        log.warning("update %s: %s", update_id, error)
    else:
        log.error("unhandled error for update %s", update_id, exc_info=error)
    if isinstance(update, Update) and update.effective_message:
        reason = "unavailable" if unavailable else "apology"
        with contextlib.suppress(TelegramError):
            await update.effective_message.reply_text(text(language(update.effective_user), reason))


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
    if application.job_queue is not None:
        application.job_queue.run_repeating(_prune, interval=PRUNE_EVERY, first=PRUNE_EVERY, name="prune-state")
    log.info("bot @%s ready", bot.username)


async def _prune(context: Context) -> None:
    """Expired searches and old rate-limit events go: the store stays bounded however many users come."""
    state = context.bot_data.state
    await asyncio.to_thread(state.store.prune, time.time(), state.config.search_ttl)


class _RedactToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "<token>"), None
        return True


def _keep_token_out_of_logs(token: str) -> None:
    # httpx logs every request URL at INFO, and the Bot API puts the token in the URL
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_RedactToken(token))
