"""`tracuu serve`: the Telegram bot, built from the settings (library, state store, webhook/health server)."""

from __future__ import annotations

import argparse
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from retriever.errors import TraCuuError, UnreachableError
from retriever.explain import explain
from tracuu import messages
from tracuu.configured import open_library, settings_for
from tracuu.settings import Settings

if TYPE_CHECKING:
    from bot.store import StateStore
    from bot.web.webhook import WebConfig
    from retriever.library import Library

log = logging.getLogger(__name__)


def serve(args: argparse.Namespace) -> int:
    from telegram.error import BadRequest, InvalidToken, NetworkError

    from bot.app import run_bot
    from bot.config import DEFAULT_EXAMPLES, BotConfig, validate_token
    from bot.delivery.sender import DeliveryPolicy
    from bot.web.webhook import ListenError, WebhookRefused
    from retriever.collection import ZipLimits
    from retriever.ingest.web import FetchLimits
    from tracuu.redact import add_secret
    from tracuu.urls import api_base_url

    settings = settings_for(args)
    api_url = api_base_url(settings.telegram_api_base_url)
    # the token as validated: spaces or a line break pasted around it in .env would break every URL
    token = settings.telegram_bot_token.strip()
    # before anything can fail: PTB names the token in URLs and in its InvalidToken message
    add_secret(token)
    try:
        validate_token(token)
    except ValueError as error:
        raise TraCuuError(str(error)) from error
    listening = web_config(settings)
    if listening is not None:
        _can_listen(settings, listening.host, listening.port)
    _token_accepted(token, api_url)
    store = open_state_store(settings)  # first: a database that is down fails in a second, not after the model
    try:
        library, _ = open_library(settings, fold_apart=True)
    except BaseException:
        store.close()
        raise
    config = BotConfig(
        token=token,
        admin_ids=settings.admin_ids,
        top_k=settings.top_k,
        examples=answered_examples(library, settings.example_questions, DEFAULT_EXAMPLES),
        api_base_url=api_url,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        messages_per_second=settings.telegram_messages_per_second,
        fetch=FetchLimits(
            timeout=settings.fetch_timeout_seconds,
            max_bytes=int(settings.max_fetch_mb * 1024 * 1024),
            allow_private=settings.allow_private_urls,
        ),
        zip_limits=ZipLimits(max_files=settings.max_zip_files, max_bytes=int(settings.max_zip_mb * 1024 * 1024)),
        feed_interval_minutes=settings.feed_interval_minutes,
        buttons_per_minute=settings.button_presses_per_minute,
        delivery=DeliveryPolicy(
            read_timeout=settings.telegram_read_timeout, deadline=settings.telegram_delivery_deadline
        ),
        store_user_ids=settings.store_user_ids,
        removed_keep_seconds=settings.removed_keep_hours * 3600,
        user_id_secret=settings.user_id_secret,
        follow_daily_limit=settings.follow_daily_limit,
        follows_per_reader=settings.follows_per_reader,
    )
    if not settings.admin_ids:  # the bot answers, but its collection can only grow from the command line
        log.warning("ADMIN_IDS is empty: nobody can add or remove articles through the bot or run /reindex; set "
                    "ADMIN_IDS to the admins' numeric Telegram user ids")
    try:
        run_bot(config, library, store, web_config(settings))
    except InvalidToken as error:  # well formed, but revoked or never issued: its message would show the token
        log.debug("Telegram rejected the token", exc_info=True)  # -v: the traceback, masked like every log line
        # PTB says InvalidToken for a 404 too; Telegram's is for a malformed token, which cannot get this far
        if api_url and _not_found(error):
            raise TraCuuError(messages.API_URL_NOT_FOUND.format(url=api_url)) from error
        raise TraCuuError(messages.TOKEN_REJECTED) from error
    except WebhookRefused as error:
        raise TraCuuError(messages.WEBHOOK_REFUSED.format(url=settings.webhook_url, reason=error)) from error
    except ListenError as error:
        raise TraCuuError(listen_failure(settings, error.cause)) from error
    except BadRequest as error:  # before NetworkError, its base class to PTB: a refusal, not the network
        raise TraCuuError(messages.TELEGRAM_REFUSED.format(reason=error.message)) from error
    except NetworkError as error:  # refused, timed out, or retried past the deadline (bot/sender.py)
        where = api_url or "https://api.telegram.org"
        raise UnreachableError(messages.TELEGRAM_UNREACHABLE.format(url=where)) from error
    finally:
        store.close()
        library.close()
    return 0


def _token_accepted(token: str, api_url: str) -> None:
    """Telegram is asked once whether it knows the token before the index is built or updated: a revoked
    token was said only after minutes of encoding. Telegram out of reach is for the start itself to retry."""
    import asyncio

    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    async def ask() -> None:
        async with Bot(token, base_url=api_url or "https://api.telegram.org/bot") as bot:
            await bot.get_me(read_timeout=10, connect_timeout=10)

    try:
        asyncio.run(ask())
    except InvalidToken as error:
        log.debug("Telegram rejected the token", exc_info=True)
        if api_url and _not_found(error):
            raise TraCuuError(messages.API_URL_NOT_FOUND.format(url=api_url)) from error
        raise TraCuuError(messages.TOKEN_REJECTED) from error
    except (TelegramError, OSError):
        log.debug("getMe before the build failed; the start retries it", exc_info=True)


def web_config(settings: Settings) -> WebConfig | None:
    """The webhook (and /healthz, /metrics) server, or only /healthz and /metrics when polling with
    HEALTH_LISTEN, or None."""
    from bot.web.webhook import WebConfig
    from tracuu.settings import split_host_port

    if settings.webhook_url:
        host, port = split_host_port(settings.webhook_listen)
        return WebConfig(host, port, settings.webhook_url, settings.webhook_secret, settings.update_lease_seconds)
    if settings.health_listen:
        return WebConfig(*split_host_port(settings.health_listen))
    return None


def _can_listen(settings: Settings, host: str, port: int) -> None:
    """An address the web server cannot listen on is said before the model is loaded and the bot started:
    found only when the server started, its one line came after a dozen lines of a start and a stop."""
    import socket

    try:
        for family, kind, proto, _, address in socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                                    flags=socket.AI_PASSIVE):
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server sets it
                probe.bind(address)
    except OSError as error:
        raise TraCuuError(listen_failure(settings, error)) from error


def _not_found(error: BaseException | None) -> bool:
    """The server answered 404: PTB's first InvalidToken says so, the one it raises from it only blames the token."""
    while error is not None:
        if "not found" in str(error).lower():
            return True
        error = error.__cause__
    return False


def listen_failure(settings: Settings, cause: OSError) -> str:
    """Why the web server could not listen, naming the setting that gave the address."""
    import errno
    import socket

    name, address = ("WEBHOOK_LISTEN", settings.webhook_listen) if settings.webhook_url else (
        "HEALTH_LISTEN", settings.health_listen)
    if cause.errno == errno.EADDRINUSE:
        return messages.LISTEN_IN_USE.format(name=name, address=address)
    if isinstance(cause, socket.gaierror) or cause.errno == errno.EADDRNOTAVAIL:  # a name or address it lacks
        return messages.LISTEN_NOT_HERE.format(name=name, address=address)
    if cause.errno in (errno.EACCES, errno.EPERM):
        return messages.LISTEN_DENIED.format(name=name, address=address)
    return messages.LISTEN_FAILED.format(name=name, address=address, reason=explain(cause))


def open_state_store(settings: Settings) -> StateStore:
    """SQLite beside the local index; with INDEX_BACKEND=postgres, the database every replica shares."""
    from bot.store import SQLiteStateStore, StoreUnavailable

    if settings.index_backend == "postgres":
        from bot.store.postgres import PostgresStateStore

        try:
            return PostgresStateStore(settings.database_url)
        except StoreUnavailable as error:
            raise (UnreachableError if error.transient else TraCuuError)(str(error)) from error
    path = Path(settings.state_path) if settings.state_path else settings.index_dir / "bot-state.sqlite"
    if path.is_dir():
        raise TraCuuError(messages.STATE_PATH_IS_A_FOLDER.format(path=path))
    try:
        return SQLiteStateStore(path)
    except (sqlite3.Error, OSError) as error:  # its folder, too, may be missing, read-only or a file
        raise TraCuuError(messages.STATE_UNREADABLE.format(path=path, reason=explain(error))) from error


def answered_examples(library: Library, given: tuple[str, ...], defaults: tuple[str, ...]) -> tuple[str, ...]:
    """The example questions readers are shown (/start, /help, "nothing found"): `given` (EXAMPLE_QUESTIONS)
    as the operator wrote them, each the collection does not answer said in the log; else those of
    `defaults` (about the bundled news) that this collection answers; else its newest articles' titles. An
    operator's own collection was offered "Đường biên giới Việt Nam - Lào dài bao nhiêu km?", and a reader
    who asked it was told nothing answers it."""
    def answered(question: str) -> bool:
        try:
            return not library.search(question, 3).abstained
        except TraCuuError:
            return False

    if given:
        for question in given:
            if not answered(question):
                log.warning("EXAMPLE_QUESTIONS: nothing in the collection answers %r, and readers are shown it",
                            question)
        return given
    kept = tuple(question for question in defaults if answered(question))
    if kept:
        return kept
    newest = sorted(library.articles(), key=lambda article: article.date, reverse=True)
    titles = tuple(dict.fromkeys(article.title for article in newest if article.title))[:3]
    if titles:
        log.warning("EXAMPLE_QUESTIONS is empty and this collection answers none of the default examples: "
                    "readers are shown its newest titles instead; set EXAMPLE_QUESTIONS to questions it answers")
    return titles or defaults
