"""The one Sender: every call the bot makes to Telegram (except long polling) goes through here.

It delivers each message at most once and survives outages. A failure is retried only when the request
cannot have reached Telegram's processing: the connection was never made (refused, connect/pool
timeout), Telegram answered 5xx, or 429 (waited out for its `retry_after`, past the deadline when
Telegram names a wait of up to `longest_flood_wait`: an answer ten minutes late still answers the
question, and Telegram said when it will take it). A failure after the request
was sent (read timeout, connection reset or closed before the answer) may mean the message *was*
delivered, and Telegram has no idempotency key to ask: resending risks a duplicate answer, so it is not
resent; a long read timeout makes that case rare instead. Retries back off exponentially until a
deadline, and messages to one chat leave one at a time, so a recovered outage delivers them in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import httpx
from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

# answers: worth waiting out an outage for. Anything else (spinner answers, commands) is best-effort and
# gets a short deadline: a spinner answered a minute late is useless
MESSAGES = frozenset({"sendMessage", "editMessageText", "sendDocument", "editMessageReplyMarkup"})
# "typing…": sent once, never retried; a retry after a 429 or an outage would show it after the answer it announces
ONCE = frozenset({"sendChatAction"})
# asked once, at the start: `tracuu serve` says in one line that Telegram cannot be reached, and four lines of
# retries with httpx's exception names before it told an operator nothing more
STARTING = frozenset({"getMe"})
# no byte of the request reached the server: resending cannot duplicate anything
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass
class Said:
    """Whether a message (an answer, an edit, a file) may have reached Telegram while one update was handled."""

    anything: bool = False


# the update being handled where someone asked (`recording`): handlers run in the task that processes the
# update, and the tasks they start inherit it
_SAID: ContextVar[Said | None] = ContextVar("tracuu_said", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Said]:
    """What the code run inside the block says. A webhook update may be handed back to Telegram, to be delivered
    and answered again, only while nothing was said: its redelivery would say it a second time."""
    said = Said()
    token = _SAID.set(said)
    try:
        yield said
    finally:
        _SAID.reset(token)


def said_anything() -> bool:
    """Whether the update being handled (within `recording`) has had a message reach Telegram, or maybe."""
    said = _SAID.get()
    return said is not None and said.anything


def _said() -> None:
    said = _SAID.get()
    if said is not None:
        said.anything = True


@dataclass(frozen=True)
class DeliveryPolicy:
    # long: a slow Telegram answer is waited for rather than given up on and (possibly) duplicated
    read_timeout: float = 60.0
    connect_timeout: float = 5.0
    # how long an answer may keep retrying through an outage (refused connections, 5xx, 429)
    deadline: float = 120.0
    other_deadline: float = 5.0  # callback answers, set_my_commands
    # answers wait out a 429's retry_after beyond the deadline, up to this much in all; longer (a flood
    # ban of hours) the answer is given up and logged
    longest_flood_wait: float = 600.0
    first_delay: float = 0.5
    max_delay: float = 10.0


class DeliveryFailed(NetworkError):
    """A message could not be delivered before the deadline (it was certainly not delivered)."""


class DeliveringRequest(HTTPXRequest):
    """HTTPXRequest that retries what cannot have been delivered, in order per chat."""

    def __init__(
        self,
        policy: DeliveryPolicy,
        connection_pool_size: int = 256,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_unconfirmed: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(
            connection_pool_size=connection_pool_size,
            read_timeout=policy.read_timeout,
            write_timeout=policy.read_timeout,
            media_write_timeout=policy.read_timeout,
            connect_timeout=policy.connect_timeout,
            pool_timeout=policy.deadline,
        )
        self._policy = policy
        self.on_unconfirmed = on_unconfirmed  # counted in /metrics: each is an answer delivered or lost
        # the clock the deadline and the backoff run on: a test puts a minute's outage in milliseconds
        self._monotonic, self._sleep = monotonic, sleep
        self._chat_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._chat_users: defaultdict[str, int] = defaultdict(int)

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: object
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        if endpoint in MESSAGES:
            return await self._message(endpoint, url, method, request_data, timeouts)
        if endpoint in ONCE:
            return await super().do_request(url, method, request_data, **timeouts)  # type: ignore[arg-type]
        return await self._deliver(endpoint, url, method, request_data, self._policy.other_deadline, timeouts, 0.0)

    async def _message(
        self, endpoint: str, url: str, method: str, request_data: RequestData | None, timeouts: dict[str, object]
    ) -> tuple[int, bytes]:
        try:
            code, payload = await self._in_order(endpoint, url, method, request_data, timeouts)
        except DeliveryFailed:
            raise  # certainly not delivered
        except NetworkError:
            _said()  # may have been delivered
            raise
        if code < 300:
            _said()
        return code, payload

    async def _in_order(
        self, endpoint: str, url: str, method: str, request_data: RequestData | None, timeouts: dict[str, object]
    ) -> tuple[int, bytes]:
        parameters = request_data.parameters if request_data else {}
        flood = self._policy.longest_flood_wait
        chat = str(parameters.get("chat_id") or parameters.get("inline_message_id") or "")
        if not chat:
            return await self._deliver(endpoint, url, method, request_data, self._policy.deadline, timeouts, flood)
        # one message at a time per chat: what waits out an outage is not overtaken by what comes after
        self._chat_users[chat] += 1
        try:
            async with self._chat_locks[chat]:
                return await self._deliver(endpoint, url, method, request_data, self._policy.deadline, timeouts, flood)
        finally:
            self._chat_users[chat] -= 1
            if not self._chat_users[chat]:  # the last one out: the lock table stays as small as the traffic
                del self._chat_users[chat], self._chat_locks[chat]

    async def _deliver(
        self,
        endpoint: str,
        url: str,
        method: str,
        request_data: RequestData | None,
        deadline: float,
        timeouts: dict[str, object],
        flood_wait: float,
    ) -> tuple[int, bytes]:
        give_up = self._monotonic() + deadline
        delay = self._policy.first_delay
        attempt = 0
        while True:
            attempt += 1
            try:
                code, payload = await super().do_request(url, method, request_data, **timeouts)  # type: ignore[arg-type]
            except NetworkError as error:
                if not isinstance(error.__cause__, NEVER_SENT):
                    # sent, maybe processed: at most once (see the module docstring)
                    log.warning("%s may have reached Telegram (%s): not resent", endpoint, error)
                    self.on_unconfirmed()
                    raise
                wait, reason = delay, f"not sent: {error}"
            else:
                retry = _retry_after(code, payload)
                if retry is None:
                    return code, payload
                wait, reason = max(retry, delay if code >= 500 else 0.0), f"HTTP {code}"
                if code == 429 and wait <= flood_wait:  # Telegram's own word on when: not an outage
                    give_up, flood_wait = give_up + wait, flood_wait - wait
            quiet = endpoint in STARTING
            if self._monotonic() + wait > give_up:
                log.log(logging.DEBUG if quiet else logging.ERROR, "%s not delivered after %d attempts (%s): giving up",
                        endpoint, attempt, reason)
                raise DeliveryFailed(f"{endpoint} not delivered within {deadline:.0f}s ({reason})")
            log.log(logging.DEBUG if quiet else logging.WARNING, "%s failed (%s), attempt %d, retrying in %.1fs",
                    endpoint, reason, attempt, wait)
            await self._sleep(wait)
            delay = min(delay * 2, self._policy.max_delay)


def _retry_after(code: int, payload: bytes) -> float | None:
    """Seconds to wait before resending, or None when the answer is final (success or our mistake)."""
    if code >= 500:
        return 0.0
    if code != 429:
        return None
    try:
        return float(json.loads(payload)["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return 1.0
