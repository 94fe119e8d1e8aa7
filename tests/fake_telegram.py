"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end bot tests.

It speaks the real HTTP protocol PTB uses (form-encoded POSTs to /bot<token>/<method>), serves
updates by long polling, and rejects what Telegram rejects: malformed HTML, messages over 4096
UTF-16 units, callback data over 64 bytes, edits of unknown messages. Every call is recorded so
tests can wait for the bot's replies without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.botapi_spec import check_call, check_update
from tests.fake_channels import ChannelsApi
from tests.fake_faults import Fault, FaultsApi
from tests.fake_files import FilesApi, StoredFile
from tests.fake_readers import BOT_USER, ReadersApi
from tests.telegram_rules import TOKEN, ApiError, check_markup, parse_html, utf16_len

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
class FakeTelegram(ReadersApi, FilesApi, FaultsApi, ChannelsApi):
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

    @staticmethod
    def entities_of(text: str) -> list[dict]:
        return _entities_of(text)

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

    # -- what tests send ---------------------------------------------------------------------
    def user(self, user_id: int, first_name: str = "Lan", language_code: str = "vi") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def private_chat(self, user: dict) -> dict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[chat["id"]] = chat
        return chat

    def group_chat(self, chat_id: int, title: str = "Nhóm thử", forum: bool = False) -> dict:
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        if forum:
            chat["is_forum"] = True
        self.chats[chat_id] = chat
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def push(self, kind: str, payload: dict) -> dict:
        if self._allowed and kind not in self._allowed:
            return payload  # Telegram never delivers update types the bot did not ask for
        update = {"update_id": next(self._update_ids), kind: payload}
        check_update(update)  # only what Telegram could send
        self.pushed.append(update)
        self._updates.append(update)
        if self.webhook:
            self._deliver_later(update)
        await self._notify()
        return payload

    async def send_text(
        self, chat: dict, user: dict, text: str, reply_to: dict | None = None, thread_id: int | None = None
    ) -> dict:
        message = self._message(chat, user, thread_id, reply_to)
        message["text"] = text
        entities = _entities_of(text)
        if entities:
            message["entities"] = entities
        return await self.push("message", message)

    async def send_sticker(self, chat: dict, user: dict) -> dict:
        message = self._message(chat, user, None, None)
        message["sticker"] = {
            "file_id": "sticker1", "file_unique_id": "s1", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False,
        }  # fmt: skip
        return await self.push("message", message)

    async def edit_text(self, message: dict, text: str) -> dict:
        edited = dict(message, text=text, edit_date=int(time.time()))
        return await self.push("edited_message", edited)

    async def press(self, message: dict, data: str, user: dict) -> str:
        query_id = str(next(self._callback_ids))
        self._open_queries.add(query_id)
        stored = self.messages[(message["chat"]["id"], message["message_id"])]
        query = {"id": query_id, "from": user, "chat_instance": "ci", "message": stored, "data": data}
        await self.push("callback_query", query)
        return query_id

    def _message(self, chat: dict, user: dict, thread_id: int | None, reply_to: dict | None) -> dict:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    # -- webhook delivery ----------------------------------------------------------------------
    def _deliver_later(self, update: dict) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(update))
        self._delivering.add(task)
        task.add_done_callback(self._delivering.discard)

    async def _deliver(self, update: dict) -> None:
        """POST the update until the bot answers 200, as Telegram does (it retries anything else)."""
        while self.webhook and not self._closing:
            status = await self.post_webhook(update, self.webhook.get("secret_token"))
            self.deliveries.append((update["update_id"], status))
            await self._notify()
            if status == 200:
                self._updates = [u for u in self._updates if u is not update]
                await self._notify()
                return
            await asyncio.sleep(self.retry_delay)

    async def wait_deliveries(self, update_id: int, status: int, count: int, timeout: float = 15) -> None:
        """Until the bot answered `count` deliveries of the update with `status`."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(
                lambda: self.deliveries.count((update_id, status)) >= count), timeout)

    async def wait_delivered(self, update_id: int, timeout: float = 15) -> None:
        """Until the bot acknowledged the update with 200."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: (update_id, 200) in self.deliveries), timeout)

    async def wait_held(self, replica: str, timeout: float = 15) -> None:
        """Until a call from frozen `replica` is being held."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: any(c.replica == replica for c in self.held)),
                                   timeout)

    async def post_webhook(self, update: dict, secret: str | None, url: str | None = None) -> int:
        """One delivery attempt: the HTTP status, or 0 when the connection failed."""
        import aiohttp

        if self._client is None:
            self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        target = url or (self.webhook or {}).get("url", "")
        try:
            async with self._client.post(target, json=update, headers=headers) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return 0

    def make_update(self, kind: str, payload: dict) -> dict:
        """An update with a fresh id that is not queued (for posting to the webhook by hand)."""
        return {"update_id": next(self._update_ids), kind: payload}

    # -- Bot API methods ---------------------------------------------------------------------
    async def _api_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def _api_setWebhook(self, params: dict) -> bool:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if not str(params.get("url", "")).startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        first = self.webhook is None
        self.webhook = {"url": str(params["url"]), "secret_token": None if secret is None else str(secret)}
        if params.get("allowed_updates"):
            self._allowed = list(params["allowed_updates"])
        if first:
            for update in self._updates:  # what waited for a bot is delivered now
                self._deliver_later(update)
        return True

    async def _api_deleteWebhook(self, params: dict) -> bool:
        self.webhook = None
        return True

    async def _api_getWebhookInfo(self, params: dict) -> dict:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _api_close(self, params: dict) -> bool:
        return True

    async def _api_getUpdates(self, params: dict) -> list[dict]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if "allowed_updates" in params and params["allowed_updates"]:
            self._allowed = list(params["allowed_updates"])
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout and not (self._closing or self._refusing):
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(
                            lambda: bool(self._updates) or self._closing or self._refusing or self._down("getUpdates")
                        ),
                        timeout,
                    )
        return list(self._updates[: int(params.get("limit") or 100)])

    def _chat(self, params: dict) -> dict:
        chat = self.chats.get(int(params.get("chat_id", 0)))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _text(self, params: dict) -> str:
        raw = str(params.get("text", ""))
        shown = parse_html(raw) if str(params.get("parse_mode", "")).upper() == "HTML" else raw
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(shown.strip()) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return shown

    @staticmethod
    def _check_markup(params: dict) -> None:
        check_markup(params)

    async def _api_sendMessage(self, params: dict) -> dict:
        if int(params.get("chat_id", 0)) in self.unreachable:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        chat = self._chat(params)
        shown = self._text(params)
        self._check_markup(params)
        reply = params.get("reply_parameters") or {}
        if "reply_to_message_id" in params:
            reply = {"message_id": params["reply_to_message_id"]}
        replied = self.messages.get((chat["id"], reply.get("message_id", -1)))
        if reply and replied is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        thread = params.get("message_thread_id")
        if thread is not None and not chat.get("is_forum"):
            raise ApiError(400, "Bad Request: message thread not found")
        message = self._message(chat, BOT_USER, thread, replied)
        message["text"] = shown
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_editMessageText(self, params: dict) -> dict:
        chat = self._chat(params)
        message = self.messages.get((chat["id"], int(params.get("message_id", 0))))
        if message is None or message["from"]["id"] != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        shown = self._text(params)
        self._check_markup(params)
        if shown == message["text"] and params.get("reply_markup") == message.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        message["text"] = shown
        message["edit_date"] = int(time.time())
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_sendChatAction(self, params: dict) -> bool:
        self._chat(params)
        if params.get("action") not in {"typing", "upload_document", "find_location"}:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _api_answerCallbackQuery(self, params: dict) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    async def _api_setMyCommands(self, params: dict) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "chat" and int(scope["chat_id"]) not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        for command in params.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is too long")
        self.commands[_scope_key(scope, params.get("language_code", ""))] = list(params.get("commands", []))
        return True

    async def _api_getMyCommands(self, params: dict) -> list[dict]:
        scope = params.get("scope") or {"type": "default"}
        return self.commands.get(_scope_key(scope, params.get("language_code", "")), [])

    # -- faults (more in tests/fake_faults.py) -------------------------------------------
    def fail_next(self, method: str, status: int = 502, retry_after: int | None = None) -> None:
        description = "Injected: Bad Gateway" if retry_after is None else "Injected: Too Many Requests"
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self.failures.setdefault(method, []).append(Failure(status, description, parameters))


def _scope_key(scope: dict, language_code: str) -> str:
    return json.dumps(scope, sort_keys=True) + "|" + (language_code or "")


def _entities_of(text: str) -> list[dict]:
    """Entities the Telegram client would attach: a leading /command and @mentions (UTF-16 offsets)."""
    entities = []
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        start = utf16_len(text[: mention.start()])
        entities.append({"type": "mention", "offset": start, "length": utf16_len(mention.group())})
    return entities
