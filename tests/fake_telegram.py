"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end bot tests.

It speaks the real HTTP protocol PTB uses (form-encoded POSTs to /bot<token>/<method>), serves
updates by long polling, and rejects what Telegram rejects: malformed HTML, messages over 4096
UTF-16 units, callback data over 64 bytes, edits of unknown messages. Every call is recorded so
tests can wait for the bot's replies without sleeping.

This module holds the server, its state and what tests inspect; the rest is mixed in from beside it:
what users send (fake_users.py), updates and the webhook (fake_updates.py), messages and commands
(fake_messages.py), inline mode and documents (fake_readers.py), files (fake_files.py), channels
(fake_channels.py) and injected faults (fake_faults.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.botapi_spec import check_call
from tests.fake_channels import ChannelsApi
from tests.fake_faults import Fault, FaultsApi
from tests.fake_files import FilesApi, StoredFile
from tests.fake_messages import MessagesApi
from tests.fake_readers import BOT_USER, ReadersApi
from tests.fake_updates import UpdatesApi
from tests.fake_users import UsersApi
from tests.fake_users import _entities_of as _entities_of  # tests build a message's entities with it
from tests.telegram_rules import TOKEN, ApiError

STRING_PARAMS = {
    "text", "parse_mode", "callback_query_id", "language_code", "action", "url", "chat_id", "inline_query_id",
    "next_offset", "caption", "secret_token",
}  # fmt: skip
DOCUMENT_LIMIT = 50 * 1024 * 1024  # bytes a bot may upload


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None
    error: str | None = None
    replica: str = ""  # which bot process called: base_url_for(replica)


@dataclass
class Failure:
    status: int
    description: str
    parameters: dict | None = None


@dataclass
class FakeTelegram(ReadersApi, FilesApi, FaultsApi, ChannelsApi, UsersApi, MessagesApi, UpdatesApi):
    host: str = "127.0.0.1"
    calls: list[Call] = field(default_factory=list)
    chats: dict[int, dict] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict] = field(default_factory=dict)
    commands: dict[str, list[dict]] = field(default_factory=dict)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    inline_answers: dict[str, dict] = field(default_factory=dict)  # query id -> what the bot answered
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> (file name, content)
    admins: dict[int, set[int]] = field(default_factory=dict)  # chat id -> its administrators
    uploads: dict[str, StoredFile] = field(default_factory=dict)  # files users sent, by file_id
    downloads: list[str] = field(default_factory=list)  # file paths the bot downloaded
    # users who never pressed Start in a private chat with the bot, or blocked it: Telegram refuses (403)
    unreachable: set[int] = field(default_factory=set)
    clock: Callable[[], float] = time.monotonic  # what outages are timed by

    def __post_init__(self) -> None:
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._callback_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._inline_ids = itertools.count(1)
        self._open_inline: dict[str, float] = {}  # query id -> when it was delivered
        self._allowed: list[str] = []
        self._changed = asyncio.Condition()
        self._closing = False
        self._refusing = False
        self._back: asyncio.Task | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._down_until: dict[str, float] = {}
        self.outage_hits: dict[str, int] = {}  # calls answered 502 by an outage, per method
        self.port = 0
        # webhook mode (setWebhook): updates are POSTed to the bot instead of waiting for getUpdates
        self.webhook: dict[str, Any] | None = None
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status or 0 for no response)
        self.pushed: list[dict] = []  # every update, in order
        self.retry_delay = 0.3  # Telegram waits longer between redeliveries; tests need not
        self._delivering: set[asyncio.Task] = set()
        self._client: Any = None
        self._frozen: dict[str, asyncio.Event] = {}  # replica -> set when its held calls may go on
        self.held: list[Call] = []  # calls a frozen replica made (never applied)
        self._applying: dict[str, int] = {}  # replica -> its calls let through and not yet answered

    # -- server ------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=DOCUMENT_LIMIT + 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        app.router.add_post("/r/{replica}/bot{token}/{method}", self._handle)
        app.router.add_get("/r/{replica}/bot{token}/{method}", self._handle)
        app.router.add_get("/r/{replica}/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=1)
        await self._runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self._closing = True
        if self._back is not None:
            self._back.cancel()
        await self._notify()
        for task in list(self._delivering):
            task.cancel()
        await asyncio.gather(*self._delivering, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    def base_url_for(self, replica: str) -> str:
        """A base URL that tags every call with `replica` (Call.replica)."""
        return f"http://{self.host}:{self.port}/r/{replica}/bot"

    def freeze(self, replica: str) -> None:
        """Hold every call from `replica` unanswered (and unapplied) until `drop_frozen`."""
        self._frozen[replica] = asyncio.Event()

    def drop_frozen(self, replica: str) -> None:
        """The held calls fail with a network-like error and change nothing: that process is gone."""
        self._frozen.pop(replica).set()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        replica = request.match_info.get("replica", "")
        call = Call(method, params, replica=replica)
        if replica in self._frozen:
            self.held.append(call)
            await self._notify()
            await self._frozen[replica].wait()
            return web.json_response({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502)
        self._applying[replica] = self._applying.get(replica, 0) + 1
        try:
            return await self._apply(request, call, method, params)
        finally:
            self._applying[replica] -= 1
            await self._notify()

    def applying(self, replica: str) -> bool:
        """A call `replica` made before it was frozen is still being applied: it may yet be recorded."""
        return self._applying.get(replica, 0) > 0

    async def _apply(self, request: web.Request, call: Call, method: str, params: dict[str, Any]) -> web.Response:
        queued_faults = self.faults.get(method)
        fault = queued_faults.pop(0) if queued_faults else Fault()
        await asyncio.sleep(fault.delay_before)
        if fault.reset == "before":
            return await self._reset(request, call, "Injected: reset before processing")
        try:
            queued = self.failures.get(method)
            if queued:
                failure = queued.pop(0)
                raise ApiError(failure.status, failure.description, failure.parameters)
            if self._down(method):
                self.outage_hits[method] = self.outage_hits.get(method, 0) + 1
                raise ApiError(502, "Injected: Bad Gateway (outage)")
            check_call(method, params)  # as the published Bot API describes it
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            call.result = await handler(params)
        except ApiError as error:
            call.error = error.description
            body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            response = web.json_response(body, status=error.status)
        else:
            response = web.json_response({"ok": True, "result": call.result})
        await asyncio.sleep(fault.delay_after)
        if fault.reset == "after":  # processed (delivered), but the answer never reaches the bot
            self.calls.append(call)
            return await self._reset(request, call, None)
        if method != "getUpdates":
            self.calls.append(call)
            await self._notify()
        return response

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        raw: dict[str, Any] = dict(await request.post()) if request.can_read_body else {}
        raw.update(request.query)
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key in STRING_PARAMS or not isinstance(value, str):
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    # -- what tests inspect ------------------------------------------------------------------
    @property
    def errors(self) -> list[Call]:
        return [c for c in self.calls if c.error and not c.error.startswith("Injected")]

    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method and c.error is None]

    def mark(self) -> int:
        return len(self.calls)

    async def wait_for(self, predicate: Callable[[Call], bool], since: int = 0, timeout: float = 15) -> Call:
        def find() -> Call | None:
            return next((c for c in self.calls[since:] if predicate(c)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: find() is not None), timeout)
        found = find()
        assert found is not None
        return found

    async def wait_reply(self, message: dict, since: int = 0, timeout: float = 15) -> Call:
        """The bot's sendMessage that replies to `message`."""
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        return await self.wait_for(
            lambda c: (
                c.method == "sendMessage"
                and c.error is None
                and int(c.params["chat_id"]) == chat_id
                and (c.params.get("reply_parameters") or {}).get("message_id") == message_id
            ),
            since,
            timeout,
        )

    async def wait_held(self, replica: str, timeout: float = 15) -> None:
        """Until a call from frozen `replica` is being held."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: any(c.replica == replica for c in self.held)),
                                   timeout)

    # -- Bot API methods ---------------------------------------------------------------------
    async def _api_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def _api_close(self, params: dict) -> bool:
        return True

    # -- faults (more in tests/fake_faults.py) -------------------------------------------
    def fail_next(self, method: str, status: int = 502, retry_after: int | None = None) -> None:
        description = "Injected: Bad Gateway" if retry_after is None else "Injected: Too Many Requests"
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self.failures.setdefault(method, []).append(Failure(status, description, parameters))
