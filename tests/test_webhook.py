"""Webhook mode in process: the secret guards the door, redeliveries are answered once, /healthz and /metrics
tell the truth, and two replicas sharing PostgreSQL serve each other's buttons, across a database outage."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.app import build_application, serving
from bot.config import BotConfig
from bot.store import SQLiteStateStore, StateStore, StoreUnavailable
from bot.store.postgres import PostgresStateStore
from bot.web.webhook import WebConfig
from tests.bot_fixtures import BotLibrary
from tests.fake_telegram import TOKEN, FakeTelegram, Fault
from tests.pg_fixtures import PgCluster, free_port
from tests.test_replicas import more_button

SECRET = "s3cret-For_Tests"
BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
BROAD = "Việt Nam và Lào có quan hệ như thế nào?"  # several paragraphs answer it: its answer has "more"


@pytest_asyncio.fixture
async def replicas(telegram: FakeTelegram, bot_library: BotLibrary) -> AsyncIterator[Callable]:
    """Start bot replicas in webhook mode on free ports; each call returns (application, base URL)."""
    stack = contextlib.AsyncExitStack()

    async def start(store: StateStore, lease: float = 5.0) -> tuple[Application, str]:
        port = free_port()
        config = BotConfig(token=TOKEN, admin_ids=frozenset(), api_base_url=telegram.base_url)
        application = build_application(config, bot_library.library, store)  # type: ignore[arg-type]
        web = WebConfig("127.0.0.1", port, f"http://127.0.0.1:{port}/tg/hook", SECRET, lease=lease)
        stack.callback(store.close)  # after the server stopped
        await stack.enter_async_context(serving(application, web))
        return application, f"http://127.0.0.1:{port}"

    async with stack:
        yield start


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def until_healthy(base: str, deadline: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline
    while (await get(f"{base}/healthz"))[0] != 200:
        assert loop.time() < give_up, "the bot did not recover after the database came back"
        await asyncio.sleep(0.2)


async def test_the_secret_guards_the_webhook_and_redeliveries_are_answered_once(
    telegram: FakeTelegram, replicas, tmp_path: Path
) -> None:
    _, base = await replicas(SQLiteStateStore(tmp_path / "state.sqlite"))
    assert telegram.webhook == {"url": f"{base}/tg/hook", "secret_token": SECRET}
    user = telegram.user(601)
    chat = telegram.private_chat(user)

    forged = telegram.make_update("message", telegram._message(chat, user, None, None) | {"text": BORDER})
    assert await telegram.post_webhook(forged, None) == 403
    assert await telegram.post_webhook(forged, "wrong") == 403
    assert telegram.sent() == []  # nothing was processed

    # bodies that are not updates: the sender's error (400), never a server error (500)
    async with aiohttp.ClientSession() as session:
        for body in ("[]", "null", '{"update_id":"x"}', '{"update_id":7,"message":5}', "{", '"x"',
                     '{"update_id":true}', '{"update_id":8,"message":{"chat":[]}}'):
            async with session.post(f"{base}/tg/hook", data=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET,
                                    "Content-Type": "application/json"}) as response:
                assert response.status == 400, body
    assert telegram.sent() == []

    question = await telegram.send_text(chat, user, BORDER)
    reply = await telegram.wait_reply(question, timeout=60)
    assert "2.300 km" in reply.params["text"]
    delivered = telegram.pushed[-1]
    await telegram.wait_delivered(delivered["update_id"])
    again = dict(delivered)
    assert await telegram.post_webhook(again, SECRET) == 200  # Telegram redelivers: acknowledged, not re-answered
    assert len([c for c in telegram.sent() if int(c.params["chat_id"]) == chat["id"]]) == 1

    status, body = await get(f"{base}/healthz")
    assert (status, body) == (200, "ok")
    status, metrics = await get(f"{base}/metrics")
    assert "tracuu_questions_total 1.0" in metrics and "tracuu_answers_total 1.0" in metrics
    assert "tracuu_answer_seconds_count 1.0" in metrics and "tracuu_index_passages " in metrics
    assert "tracuu_index_passages 0.0" not in metrics


async def test_an_answer_slower_than_the_lease_keeps_its_claim(
    telegram: FakeTelegram, replicas, tmp_path: Path
) -> None:
    """A live replica renews its claim while it answers: Telegram's redelivery of an update that is taking
    long (a loaded machine, an outage waited out) is turned away, not answered a second time."""
    await replicas(SQLiteStateStore(tmp_path / "state.sqlite"), lease=0.6)
    user = telegram.user(603)
    chat = telegram.private_chat(user)
    telegram.inject("sendMessage", Fault(delay_before=2.5))  # the answer takes four leases to send
    question = await telegram.send_text(chat, user, BORDER)
    update = telegram.pushed[-1]
    await asyncio.sleep(1.5)  # time itself is under test here: well past the lease, while still answering
    assert await telegram.post_webhook(dict(update), SECRET) == 503  # busy: the first claim is alive
    await telegram.wait_reply(question, timeout=60)
    await telegram.wait_delivered(update["update_id"])
    assert len([c for c in telegram.sent() if int(c.params["chat_id"]) == chat["id"]]) == 1


async def test_a_button_works_on_the_other_replica_and_the_bot_survives_a_database_outage(
    telegram: FakeTelegram, replicas, pg_cluster: PgCluster, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # a short pool timeout: while the database is down each store call gives up after it
    _, base_a = await replicas(PostgresStateStore(pg_url, timeout=1.0))
    _, base_b = await replicas(PostgresStateStore(pg_url, timeout=1.0))
    user = telegram.user(602)
    chat = telegram.private_chat(user)

    assert telegram.webhook is not None
    telegram.webhook["url"] = f"{base_a}/tg/hook"
    question = await telegram.send_text(chat, user, BROAD)
    answer = await telegram.wait_reply(question, timeout=60)
    more = more_button(answer)
    assert more

    telegram.webhook["url"] = f"{base_b}/tg/hook"  # the load balancer sends the press elsewhere
    mark = telegram.mark()
    shown = telegram.messages[(chat["id"], answer.result["message_id"])]
    await telegram.press(shown, more, user)
    edit = await telegram.wait_for(lambda c: c.method == "editMessageText" and c.error is None, mark, timeout=30)
    assert edit.params["text"] != answer.params["text"]  # the next page, not "expired"

    pg_cluster.stop()
    caplog.set_level(logging.INFO, logger="bot.web.webhook")
    try:
        for _ in range(3):  # a load balancer asks every few seconds: one line for the change, not one each
            status, body = await get(f"{base_b}/healthz")
            assert status == 503 and "database" in body
        mark = telegram.mark()
        during = await telegram.send_text(chat, user, BORDER)
        update_id = telegram.pushed[-1]["update_id"]
        # the update is refused with 503 (no apology with a 200 that would end Telegram's redeliveries)
        await telegram.wait_deliveries(update_id, 503, count=2, timeout=30)
        assert not [c for c in telegram.calls[mark:] if c.method == "sendMessage"]
    finally:
        pg_cluster.start()
    await until_healthy(base_b)  # recovered by itself
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("health:")]
    assert said == ["health: database unreachable", "health: ok again"], said
    # each redelivery handed back: one warning for the outage, no line a request
    handed_back = [r for r in caplog.records if "not processed now" in r.getMessage() and r.levelno >= logging.WARNING]
    assert len(handed_back) == 1 and not [r for r in caplog.records if "-> 503" in r.getMessage()]
    # Telegram's redelivery is answered, once, and nobody was told to try again
    reply = await telegram.wait_reply(during, mark, timeout=60)
    assert "2.300 km" in reply.params["text"]
    await telegram.wait_delivered(update_id, timeout=60)
    sent = [c for c in telegram.calls[mark:] if c.method == "sendMessage" and c.error is None]
    assert len(sent) == 1 and not any("thử lại sau ít phút" in c.params["text"] for c in sent)
    mark = telegram.mark()
    question = await telegram.send_text(chat, user, BORDER)
    reply = await telegram.wait_reply(question, mark, timeout=60)
    assert "2.300 km" in reply.params["text"]


class StoreDownOnce(SQLiteStateStore):
    """The store goes away for one rate-limit check: after the update was claimed, before anything was sent."""

    failed = False

    def take(self, bucket: str, limit: int, window: float, now: float) -> float:
        if not self.failed:
            self.failed = True
            raise StoreUnavailable("the database is unreachable: simulated")
        return super().take(bucket, limit, window, now)


async def test_an_update_that_met_a_store_outage_is_redelivered_and_answered_once(
    telegram: FakeTelegram, replicas, tmp_path: Path
) -> None:
    await replicas(StoreDownOnce(tmp_path / "state.sqlite"))
    user = telegram.user(604)
    chat = telegram.private_chat(user)
    mark = telegram.mark()
    question = await telegram.send_text(chat, user, BORDER)
    update_id = telegram.pushed[-1]["update_id"]
    reply = await telegram.wait_reply(question, mark, timeout=60)
    await telegram.wait_delivered(update_id)
    assert "2.300 km" in reply.params["text"] and (update_id, 503) in telegram.deliveries
    sent = [c for c in telegram.calls[mark:] if c.method == "sendMessage" and c.error is None]
    assert len(sent) == 1  # no apology, no second answer


def test_a_webhook_without_a_secret_is_refused_at_start() -> None:
    from tracuu.settings import load_settings

    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        load_settings(webhook_url="https://bot.example.org/hook")


def test_metrics_keep_the_index_size_and_say_it_is_unreadable_while_the_database_is_down() -> None:
    from bot.web.metrics import Metrics

    metrics = Metrics()
    assert "tracuu_index_documents 5.0" in metrics.render(lambda: (5, 66)).decode()
    down = metrics.render(lambda: None).decode()
    # sizes of 0 during an outage read as an emptied index on every dashboard
    assert "tracuu_index_documents 5.0" in down and "tracuu_index_passages 66.0" in down
    assert "tracuu_index_readable 0.0" in down
    assert "tracuu_index_readable 1.0" in metrics.render(lambda: (5, 66)).decode()


def test_metrics_carry_the_loaded_index_size_before_the_first_scrape(bot_library: BotLibrary, tmp_path: Path) -> None:
    """A replica started, then its database lost before Prometheus first asked: the index it loaded is
    still the size shown, not 0 documents."""
    config = BotConfig(token=TOKEN, admin_ids=frozenset(), api_base_url="http://127.0.0.1:9/bot")
    application = build_application(config, bot_library.library, SQLiteStateStore(tmp_path / "state.sqlite"))
    down = application.bot_data.state.metrics.render(lambda: None).decode()
    documents = bot_library.library.info().documents
    assert documents > 0 and f"tracuu_index_documents {float(documents)}" in down


class StoreDownAfterFirstAnswer(SQLiteStateStore):
    """The store goes away after the first of a message's two answers was sent, before the second is saved."""

    saved = 0

    def save_search(self, response, owner, now, theirs=False):  # type: ignore[no-untyped-def]
        self.saved += 1
        if self.saved == 2:
            raise StoreUnavailable("the database is unreachable: simulated")
        return super().save_search(response, owner, now, theirs)


async def test_an_update_that_met_a_store_outage_after_an_answer_went_out_is_not_answered_again(
    telegram: FakeTelegram, replicas, tmp_path: Path
) -> None:
    """Handed back to Telegram after its first answer was sent, the redelivery answered that question again."""
    await replicas(StoreDownAfterFirstAnswer(tmp_path / "state.sqlite"))
    user = telegram.user(605)
    chat = telegram.private_chat(user)
    mark = telegram.mark()
    await telegram.send_text(chat, user, f"{BORDER} Hiệp ước Hữu nghị và Hợp tác giữa Việt Nam và Lào "
                                         "được ký năm nào?")
    update_id = telegram.pushed[-1]["update_id"]
    await telegram.wait_delivered(update_id, timeout=60)
    later = await telegram.send_text(chat, user, "/help")  # answered after everything the question got
    help_reply = await telegram.wait_reply(later, mark, timeout=60)
    said = [c.params["text"] for c in telegram.calls[mark:telegram.calls.index(help_reply)]
            if c.method == "sendMessage" and c.error is None]
    assert len([s for s in said if "2.300 km" in s]) == 1, said
    # the second question: one clear line that the service is down for a moment, in the reader's language
    assert len(said) == 2 and "tạm gián đoạn" in said[1], said
