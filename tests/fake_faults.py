"""The fake Bot API's fault injection (mixed into FakeTelegram): delays and dropped connections around
processing, outages of one method, and the whole server gone for a while."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass
class Fault:
    """What happens to the next call of a method: delays around processing, or the connection dropped
    before the request is processed (not delivered) or after (delivered, but the bot never hears so)."""

    delay_before: float = 0.0
    delay_after: float = 0.0
    reset: str = ""  # "", "before" or "after"


class FaultsApi:
    """Uses FakeTelegram's clock, faults, calls, _down_until, _refusing, _back, _runner, _site, _listen()
    and _notify()."""

    def inject(self: Any, method: str, *faults: Fault) -> None:
        """The next calls of `method` meet these faults, one each."""
        self.faults.setdefault(method, []).extend(faults)

    def _down(self: Any, method: str) -> bool:
        return self.clock() < self._down_until.get(method, 0.0)

    def outage(self: Any, method: str, seconds: float) -> None:
        """`method` answers 502 (before processing anything) for the next `seconds`."""
        self._down_until[method] = self.clock() + seconds

    async def notify_pollers(self: Any) -> None:
        """Wake long polls now, so that an outage of getUpdates starting now meets the next poll."""
        await self._notify()

    async def refuse_connections(self: Any, seconds: float) -> None:
        """Stop listening (connections are refused) and close idle keep-alive connections, then listen
        again on the same port after `seconds` (in the background)."""
        assert self._runner is not None and self._site is not None and self._runner.server is not None
        self._refusing = True
        await self._site.stop()
        for connection in self._runner.server.connections:
            connection.force_close()  # the client sees EOF on idle keep-alive connections and drops them
        await self._notify()  # long polls answer now, so their connections close too

        async def come_back() -> None:
            await asyncio.sleep(seconds)
            self._refusing = False
            await self._listen()

        self._back = asyncio.create_task(come_back())

    async def _reset(self: Any, request: web.Request, call: Any, error: str | None) -> web.Response:
        if error:
            call.error = error
            self.calls.append(call)
        if request.transport is not None:
            request.transport.abort()  # RST: the client sees the connection drop, never an answer
        await self._notify()
        return web.Response(status=500)
