"""How the fake Bot API's updates reach the bot: queued for its long polling (getUpdates), or POSTed to its
webhook until it answers 200, as Telegram retries them (mixed into FakeTelegram)."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

from tests.botapi_spec import check_update
from tests.telegram_rules import ApiError


class UpdatesApi:
    """push(), getUpdates and webhook mode; uses FakeTelegram's update queue and ids, webhook, deliveries,
    retry_delay, _notify() and the condition tests wait on."""

    async def push(self: Any, kind: str, payload: dict) -> dict:
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

    async def _api_getUpdates(self: Any, params: dict) -> list[dict]:
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

    # -- webhook delivery ----------------------------------------------------------------------
    def _deliver_later(self: Any, update: dict) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(update))
        self._delivering.add(task)
        task.add_done_callback(self._delivering.discard)

    async def _deliver(self: Any, update: dict) -> None:
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

    async def wait_deliveries(self: Any, update_id: int, status: int, count: int, timeout: float = 15) -> None:
        """Until the bot answered `count` deliveries of the update with `status`."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(
                lambda: self.deliveries.count((update_id, status)) >= count), timeout)

    async def wait_delivered(self: Any, update_id: int, timeout: float = 15) -> None:
        """Until the bot acknowledged the update with 200."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: (update_id, 200) in self.deliveries), timeout)

    async def post_webhook(self: Any, update: dict, secret: str | None, url: str | None = None) -> int:
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

    def make_update(self: Any, kind: str, payload: dict) -> dict:
        """An update with a fresh id that is not queued (for posting to the webhook by hand)."""
        return {"update_id": next(self._update_ids), kind: payload}

    async def _api_setWebhook(self: Any, params: dict) -> bool:
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

    async def _api_deleteWebhook(self: Any, params: dict) -> bool:
        self.webhook = None
        return True

    async def _api_getWebhookInfo(self: Any, params: dict) -> dict:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}
