"""The bot's HTTP side (tornado, which python-telegram-bot[webhooks] brings): Telegram's webhook, `/healthz`
and Prometheus `/metrics` on one port.

A webhook update is processed before the request is answered, so a replica that dies mid-answer leaves the
request failed: nginx passes it to another replica, or Telegram redelivers it. The shared store lets only one
replica process an update ("claim"), and lets another take over when the claimer died (the claim's lease)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.delivery.sender import recording
from bot.state import BotState
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class ListenError(Exception):
    """The web server could not listen on `host:port` (`cause`: the OSError: in use, not this machine's...)."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        super().__init__(f"cannot listen on {host}:{port}: {cause}")
        self.cause = cause


class WebhookRefused(Exception):
    """Telegram answered setWebhook with 400: the URL is not one it will deliver to. The message is its reason."""


@dataclass(frozen=True)
class WebConfig:
    host: str
    port: int
    webhook_url: str = ""  # empty: /healthz and /metrics only (polling mode)
    secret: str = ""
    # a claim older than this whose replica never finished it is taken over (that replica died)
    lease: float = 15.0

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url).path or "/"


class InFlight:
    """Webhook requests being answered: a stopping replica lets them finish before closing connections."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def enter(self) -> None:
        self.count += 1
        self._idle.clear()

    def leave(self) -> None:
        self.count -= 1
        if not self.count:
            self._idle.set()

    async def drained(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout)


@dataclass(frozen=True)
class WebServer:
    server: HTTPServer
    in_flight: InFlight

    async def stop(self, grace: float) -> None:
        """No new requests; the answers in flight finish (up to `grace` seconds), then connections close."""
        self.server.stop()
        await self.in_flight.drained(grace)
        await self.server.close_all_connections()


class _Base(RequestHandler):
    def initialize(self, bot_application: Application, web: WebConfig, in_flight: InFlight) -> None:
        self.application_ = bot_application
        self.web = web
        self.in_flight = in_flight

    @property
    def state(self) -> BotState:
        return self.application_.bot_data.state


class WebhookHandler(_Base):
    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.web.secret.encode()):
            self.send_error(403)  # nothing is read, nothing processed
            return
        update = self._update()
        if update is None:
            self.send_error(400)  # not an update: nothing to redeliver
            return
        store, state = self.state.store, self.state
        try:
            claim = await asyncio.to_thread(store.claim_update, update.update_id, time.time(), self.web.lease)
        except StoreUnavailable as error:
            # without the store the update can be neither deduplicated nor answered: Telegram keeps it and
            # delivers it again (every few seconds, each replica in turn): said once an outage, not each time
            level = logging.DEBUG if state.store_down.is_set() else logging.WARNING
            state.store_down.set()
            log.log(level, "update %s not processed now (%s): Telegram keeps it and delivers it again until the "
                    "database is back", update.update_id, error)
            self._again()
            return
        if state.store_down.is_set():
            state.store_down.clear()
            log.info("the database is reachable again: the updates Telegram kept are answered")
        if claim == "busy":
            # another replica is answering it right now; should it die, Telegram's redelivery finds us
            self._again()
            return
        if claim == "process":
            self.in_flight.enter()
            renewing = asyncio.create_task(self._renew(update.update_id))
            state.webhook_updates.add(update.update_id)
            try:
                with recording():  # whether anything was said: only an update that said nothing is handed back
                    await self.application_.process_update(update)
                if update.update_id in state.deferred:
                    # a dependency was down before anything was sent (bot.failures.error_handler): not done, so the
                    # redelivery, here or on another replica once the claim's lease ran out, answers it once
                    self._again()
                    return
                await asyncio.to_thread(store.finish_update, update.update_id)
            except StoreUnavailable:
                log.warning("update %s answered but not marked done: the database is unreachable", update.update_id)
            finally:
                state.webhook_updates.discard(update.update_id)
                state.deferred.discard(update.update_id)
                renewing.cancel()
                self.in_flight.leave()
        self.finish()

    def _update(self) -> Update | None:
        """The body as an Update, or None for anything else (a list, null, a non-integer id, a message that
        is not an object...): a bad body is the sender's error, never a server error."""
        try:
            payload = json.loads(self.request.body)
            if not isinstance(payload, dict) or type(payload.get("update_id")) is not int:
                return None
            return Update.de_json(payload, self.application_.bot)
        except Exception:  # noqa: BLE001 - PTB raises whatever a malformed field makes its parsers raise
            return None

    def _again(self) -> None:
        """503: Telegram (or the load balancer) delivers the update again later. Said by the handler
        itself where it matters: not a failure to log by request."""
        self.set_header("Retry-After", str(int(self.web.lease)))
        self.deliberate = True
        self.send_error(503)

    async def _renew(self, update_id: int) -> None:
        """Keep the claim fresh while answering: only a replica that died loses its update to another one.
        Without it a live replica slower than the lease (a loaded machine, a long outage waited out) had its
        update taken over by Telegram's redelivery, and the question was answered twice."""
        while True:
            await asyncio.sleep(self.web.lease / 3)
            with contextlib.suppress(StoreUnavailable):
                await asyncio.to_thread(self.state.store.renew_update, update_id, time.time())


class HealthHandler(_Base):
    async def get(self) -> None:
        problems = []
        try:
            self.state.library.info()
        except Exception as error:  # any failure to describe the index means it is not serving
            problems.append(f"index: {error}")
        if not await asyncio.to_thread(self.state.store.ping):
            problems.append("database unreachable")
        said = "; ".join(problems)
        if said != self.state.health.get("said", ""):
            # a line when health changes, not at every check (a load balancer asks every few seconds)
            log.log(logging.WARNING if said else logging.INFO, "health: %s", said or "ok again")
            self.state.health["said"] = said
        self.set_status(503 if problems else 200)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(said or "ok")


class MetricsHandler(_Base):
    async def get(self) -> None:
        # read now, from the database with PostgreSQL: another replica may have changed the collection
        counts: tuple[int, int] | None
        try:
            counts = await asyncio.to_thread(self.state.library.counts)
        except Exception:  # the database is down: said by tracuu_index_readable, not by sizes of 0
            counts = None

        self.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.finish(self.state.metrics.render(lambda: counts))


def start_web(application: Application, web: WebConfig) -> WebServer:
    """Listen on web.host:web.port on the running event loop; the caller stops the returned server."""
    routes: list = [(r"/healthz", HealthHandler), (r"/metrics", MetricsHandler)]
    if web.webhook_url:
        routes.insert(0, (web.webhook_path, WebhookHandler))
    in_flight = InFlight()
    args = {"bot_application": application, "web": web, "in_flight": in_flight}
    server = HTTPServer(WebApplication([(path, handler, args) for path, handler in routes], log_function=_quiet))
    try:
        server.listen(web.port, web.host)
    except OSError as error:  # the caller knows which setting named the address
        raise ListenError(web.host, web.port, error) from error
    log.info("listening on %s:%d (%s)", web.host, web.port, "webhook" if web.webhook_url else "health, metrics")
    return WebServer(server, in_flight)


def _quiet(handler: RequestHandler) -> None:
    # tornado logs every request; only failures are worth a line (the webhook path carries no token)
    # health says its own changes, and a webhook update handed back to Telegram was said by its handler
    if handler.get_status() >= 500 and handler.request.path != "/healthz" and not getattr(handler, "deliberate", False):
        log.warning("%s %s -> %d", handler.request.method, handler.request.path, handler.get_status())
