"""Telegram misbehaving: every question answered once, never twice, in order, through 429s, 5xx, slow
answers, dropped connections and outages. Timeouts are scaled down (DeliveryPolicy) to keep this fast."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from telegram import Bot
from telegram.ext import Application

from bot.delivery.sender import DeliveringRequest, DeliveryFailed, DeliveryPolicy
from tests.bot_fixtures import ADMIN_ID, BotLibrary, StartBot
from tests.fake_telegram import TOKEN, Call, Failure, FakeTelegram, Fault
from tests.test_bot_e2e import BORDER_QUESTION, OFF_TOPIC

pytestmark = pytest.mark.asyncio

# the production defaults scaled down about 60×: a 1 s read timeout, a 4 s outage deadline
FAST = DeliveryPolicy(
    read_timeout=1.0, connect_timeout=0.5, deadline=4.0, other_deadline=1.0, first_delay=0.05, max_delay=0.4
)
QUESTIONS = [BORDER_QUESTION, OFF_TOPIC, "Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?"]


@pytest.fixture
async def fast_bot(start_bot: StartBot) -> Application:
    return await start_bot(delivery=FAST)


def replies_to(telegram: FakeTelegram, message: dict) -> list[Call]:
    """Every reply Telegram processed for `message` (delivered, whether or not the bot heard back)."""
    return [
        c
        for c in telegram.calls
        if c.method == "sendMessage"
        and c.error is None
        and (c.params.get("reply_parameters") or {}).get("message_id") == message["message_id"]
        and int(c.params["chat_id"]) == message["chat"]["id"]
    ]


async def barrier(telegram: FakeTelegram, chat: dict, user: dict) -> None:
    """A later question in the same chat answered: the Sender sends one message per chat at a time, so
    any resend of an earlier answer would have gone out before this one."""
    message = await telegram.send_text(chat, user, "/help")
    await telegram.wait_reply(message)


async def test_429_is_waited_out_and_answered_once(fast_bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(4001)
    chat = telegram.private_chat(user)
    telegram.fail_next("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    message = await telegram.send_text(chat, user, BORDER_QUESTION)
    reply = await telegram.wait_reply(message)
    assert time.monotonic() - started >= 1.0
    assert "2.300 km" in reply.result["text"]
    await barrier(telegram, chat, user)
    assert len(replies_to(telegram, message)) == 1


async def test_5xx_before_processing_is_retried_and_answered_once(
    fast_bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(4002)
    chat = telegram.private_chat(user)
    for status in (500, 502, 503):
        telegram.fail_next("sendMessage", status)
    message = await telegram.send_text(chat, user, BORDER_QUESTION)
    await telegram.wait_reply(message)
    await barrier(telegram, chat, user)
    assert len(replies_to(telegram, message)) == 1


@pytest.mark.parametrize(
    "fault",
    [
        Fault(delay_before=0.3),  # slow, within the read timeout
        Fault(delay_before=1.5),  # slower than the read timeout: processed after the bot gave up waiting
        Fault(delay_after=1.5),  # processed at once, the answer is slow to come back
        Fault(reset="after"),  # processed, then the connection drops
    ],
    ids=["slow", "slower-than-timeout", "slow-answer", "reset-after"],
)
async def test_a_send_that_may_have_been_delivered_is_never_repeated(
    fast_bot: Application, telegram: FakeTelegram, fault: Fault, caplog: pytest.LogCaptureFixture
) -> None:
    user = telegram.user(4003)
    chat = telegram.private_chat(user)
    telegram.inject("sendMessage", fault)
    with caplog.at_level(logging.WARNING):
        message = await telegram.send_text(chat, user, BORDER_QUESTION)
        await telegram.wait_reply(message)
        await barrier(telegram, chat, user)
    assert len(replies_to(telegram, message)) == 1
    assert not [r for r in caplog.records if "unhandled error" in r.getMessage()]
    assert not [c for c in telegram.sent() if "Xin lỗi" in c.params["text"]]  # no apology as a 2nd message


async def test_a_reset_before_processing_is_not_resent_blindly(
    fast_bot: Application, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot cannot tell a drop before processing from one after: at most once, and it says so."""
    user = telegram.user(4004)
    chat = telegram.private_chat(user)
    telegram.inject("sendMessage", Fault(reset="before"))
    with caplog.at_level(logging.WARNING, logger="bot"):
        message = await telegram.send_text(chat, user, BORDER_QUESTION)
        await telegram.wait_for(lambda c: c.error == "Injected: reset before processing")
        await barrier(telegram, chat, user)
    assert replies_to(telegram, message) == []
    assert any("may have reached Telegram" in r.getMessage() for r in caplog.records)
    # the operator sees it too: one send whose fate is unknown
    metrics = fast_bot.bot_data.state.metrics.render(lambda: (0, 0)).decode()
    assert "tracuu_sends_unconfirmed_total 1.0" in metrics


async def test_an_outage_delivers_every_answer_once_and_in_order(
    fast_bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(4005)
    chat = telegram.private_chat(user)
    telegram.outage("sendMessage", 2.0)
    messages = []
    for question in QUESTIONS * 2:  # asked in a burst: searched concurrently, finished in any order
        messages.append(await telegram.send_text(chat, user, question))
    for message in messages:
        await telegram.wait_reply(message, timeout=10)
    delivered = [replies_to(telegram, m) for m in messages]
    assert [len(d) for d in delivered] == [1] * len(messages)
    order = [telegram.calls.index(d[0]) for d in delivered]
    assert order == sorted(order)  # the chat gets its answers in the order it asked


async def test_refused_connections_and_a_polling_outage_lose_nothing(
    fast_bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(4006)
    chat = telegram.private_chat(user)
    telegram.outage("sendMessage", 0.5)
    first = await telegram.send_text(chat, user, BORDER_QUESTION)
    await telegram.wait_for(lambda c: (c.error or "").endswith("(outage)"))
    # now nothing gets through at all: not the answer's retries, not getUpdates
    await telegram.refuse_connections(1.5)
    second = await telegram.send_text(chat, user, OFF_TOPIC)  # arrives while the bot cannot poll
    await telegram.wait_reply(second, timeout=10)
    assert len(replies_to(telegram, first)) == 1 and len(replies_to(telegram, second)) == 1
    assert telegram.calls.index(replies_to(telegram, first)[0]) < telegram.calls.index(
        replies_to(telegram, second)[0]
    )


async def test_a_get_updates_outage_delays_questions_but_loses_none(
    fast_bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(4009)
    chat = telegram.private_chat(user)
    telegram.outage("getUpdates", 1.0)
    await telegram.notify_pollers()  # the long poll in flight answers, the next ones meet the outage
    messages = [await telegram.send_text(chat, user, q) for q in QUESTIONS[:2]]
    for message in messages:
        await telegram.wait_reply(message, timeout=15)
    assert [len(replies_to(telegram, m)) for m in messages] == [1, 1]
    assert telegram.outage_hits["getUpdates"] >= 1


async def test_past_the_deadline_an_answer_is_dropped_and_logged_once(
    start_bot: StartBot, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot(delivery=DeliveryPolicy(read_timeout=1.0, deadline=0.5, first_delay=0.1, max_delay=0.1))
    user = telegram.user(4007)
    chat = telegram.private_chat(user)
    telegram.outage("sendMessage", 60.0)
    with caplog.at_level(logging.WARNING, logger="bot"):
        message = await telegram.send_text(chat, user, BORDER_QUESTION)
        await telegram.wait_for(lambda c: (c.error or "").endswith("(outage)"))
        later = await telegram.send_text(chat, user, OFF_TOPIC)
        # the later answer tries only once the first gave up (one message per chat at a time)
        await telegram.wait_for(
            lambda c: (c.error or "").endswith("(outage)")
            and c.params["reply_parameters"]["message_id"] == later["message_id"]
        )
        telegram.outage("sendMessage", 0)
        await telegram.wait_reply(later, timeout=10)  # the bot carries on after the outage
    assert replies_to(telegram, message) == []
    assert len([r for r in caplog.records if "giving up" in r.getMessage()]) == 1
    assert not [r for r in caplog.records if "unhandled error" in r.getMessage()]


class StaleLibrary:
    """The real library, as Library.open leaves it when updating the index failed (full disk)."""

    stale = "OSError: [Errno 28] No space left on device"

    def __init__(self, real: object) -> None:
        self._real = real

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


async def test_a_stale_index_is_reported_to_the_admins_and_still_answers(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    await start_bot(library=StaleLibrary(bot_library.library))
    report = await telegram.wait_for(
        lambda c: c.method == "sendMessage" and c.error is None and int(c.params["chat_id"]) == ADMIN_ID
    )
    assert "chỉ mục cũ" in report.params["text"] and "No space left" in report.params["text"]
    user = telegram.user(4008)
    message = await telegram.send_text(telegram.private_chat(user), user, BORDER_QUESTION)
    assert "2.300 km" in (await telegram.wait_reply(message)).result["text"]


class VirtualTime:
    """Time that passes only when the Sender sleeps: a production-length outage in milliseconds. One chat's
    messages leave one at a time, so there is a single sleeper and the sum of its sleeps is the elapsed time."""

    def __init__(self) -> None:
        self.elapsed = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.elapsed

    async def sleep(self, seconds: float) -> None:
        self.elapsed += seconds
        await asyncio.sleep(0)


async def test_production_settings_survive_a_70_second_outage(telegram: FakeTelegram) -> None:
    """The shipped DeliveryPolicy (not the scaled one): answers written during a 70 s `sendMessage`
    outage all arrive once each, in order, after it."""
    clock = VirtualTime()
    telegram.clock = clock.monotonic
    user = telegram.user(4010)
    chat = telegram.private_chat(user)
    request = DeliveringRequest(DeliveryPolicy(), monotonic=clock.monotonic, sleep=clock.sleep)
    telegram.outage("sendMessage", 70.0)
    async with Bot(TOKEN, base_url=telegram.base_url, request=request) as bot:
        texts = [f"trả lời {i}" for i in range(5)]
        sends = [asyncio.create_task(bot.send_message(chat["id"], text)) for text in texts]
        await asyncio.gather(*sends)
    assert clock.elapsed >= 70.0
    assert telegram.outage_hits["sendMessage"] > 3
    assert [call.params["text"] for call in telegram.sent()] == texts


@pytest.mark.parametrize(("retry_after", "delivered"), [(300, True), (3600, False)], ids=["5 min", "an hour"])
async def test_a_long_429_is_waited_out_up_to_ten_minutes(
    telegram: FakeTelegram, retry_after: int, delivered: bool
) -> None:
    """Past the 120 s outage deadline, a 429 still names when Telegram takes the answer: five minutes
    late is still an answer; an hour's flood ban gives it up."""
    clock = VirtualTime()
    user = telegram.user(4012)
    request = DeliveringRequest(DeliveryPolicy(), monotonic=clock.monotonic, sleep=clock.sleep)
    telegram.fail_next("sendMessage", 429, retry_after=retry_after)
    async with Bot(TOKEN, base_url=telegram.base_url, request=request) as bot:
        if delivered:
            await bot.send_message(telegram.private_chat(user)["id"], "trả lời")
        else:
            with pytest.raises(DeliveryFailed):
                await bot.send_message(telegram.private_chat(user)["id"], "trả lời")
    assert [call.params["text"] for call in telegram.sent()] == (["trả lời"] if delivered else [])
    assert clock.elapsed >= (retry_after if delivered else 0)


async def test_a_user_who_blocked_the_bot_is_a_quiet_warning_without_an_apology(
    start_bot: StartBot, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot()
    user = telegram.user(4010)
    chat = telegram.private_chat(user)
    telegram.failures.setdefault("sendMessage", []).append(Failure(403, "Forbidden: bot was blocked by the user"))
    with caplog.at_level(logging.WARNING):
        since = telegram.mark()
        await telegram.send_text(chat, user, BORDER_QUESTION)
        await telegram.wait_for(lambda c: c.method == "sendMessage" and c.error is not None, since)
        await barrier(telegram, chat, user)  # the user unblocked the bot and asks again
    assert [r for r in caplog.records if "blocked by the user" in r.getMessage() and r.levelno == logging.WARNING]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not [c for c in telegram.sent() if "Xin lỗi" in c.params["text"]]
    assert not bot.bot_data.state.metrics.registry.get_sample_value("tracuu_errors_total")


@pytest.mark.parametrize("slow", [False, True], ids=["429", "slow"])
async def test_typing_never_delays_the_answer(
    start_bot: StartBot, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture, slow: bool
) -> None:
    await start_bot()
    user = telegram.user(4011)
    chat = telegram.private_chat(user)
    if slow:
        telegram.inject("sendChatAction", Fault(delay_before=5.0))
    else:
        telegram.fail_next("sendChatAction", 429, retry_after=4)
    with caplog.at_level(logging.WARNING):
        message = await telegram.send_text(chat, user, BORDER_QUESTION)
        reply = await telegram.wait_reply(message, timeout=3.0)  # well before "typing…" is done with
    assert "2.300 km" in reply.params["text"]
    assert len([c for c in telegram.calls if c.method == "sendChatAction"]) <= 1  # never retried
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "sendChatAction" in r.getMessage()]


async def _untold(start_bot: StartBot, telegram: FakeTelegram, library: object, name: str) -> Application:
    """An admin's upload run to its end while its status message cannot be edited (the faults set before)."""
    from tests.collection_fixtures import ARTICLE

    application = await start_bot(library=library, delivery=FAST)
    admin = telegram.user(ADMIN_ID, "Admin")
    since = telegram.mark()
    sent = await telegram.send_document(telegram.private_chat(admin), admin, name,
                                        ARTICLE.replace("Phố cổ".encode(), f"{name} Phố cổ".encode()))
    status = (await telegram.wait_reply(sent, since)).result
    # the last word tried: "✅ Đã thêm …"
    await telegram.wait_for(lambda c: c.method == "editMessageText" and "✅" in c.params["text"]
                            and c.params["message_id"] == status["message_id"], since)
    await application.bot_data.state.queue.idle()
    return application


async def test_an_upload_whose_last_word_cannot_be_delivered_stays_held_to_be_told(
    start_bot: StartBot, telegram: FakeTelegram, library: object
) -> None:
    telegram.outage("editMessageText", 60.0)  # the status can be sent, never edited
    application = await _untold(start_bot, telegram, library, "giu-lai.txt")
    # released, nothing was left to tell its admin, whose "⏳" stayed for good: held, and no longer renewed
    # here, it is taken again once its lease lapses (`keep_held`), and its admin told then
    assert not application.bot_data.state.held
    held = application.bot_data.state.store.take_held(time.time() + 3600, 1.0)
    assert [upload.key for upload in held], "the upload was released though its admin was never told"


async def test_an_upload_whose_admin_blocked_the_bot_is_released_not_run_again(
    start_bot: StartBot, telegram: FakeTelegram, library: object
) -> None:
    # Telegram's answer, not an outage: run again at every lapse of its lease, it would be refused again
    telegram.failures["editMessageText"] = [Failure(403, "Forbidden: bot was blocked by the user")] * 50
    application = await _untold(start_bot, telegram, library, "chan-bot.txt")
    assert not application.bot_data.state.store.take_held(time.time() + 3600, 1.0)


async def test_an_upload_while_the_state_store_is_out_is_added_and_told(
    start_bot: StartBot, telegram: FakeTelegram, library: object, tmp_path: object
) -> None:
    from pathlib import Path

    from bot.store import SQLiteStateStore, StoreUnavailable
    from tests.collection_fixtures import ARTICLE, final_of, upload

    class DiskFull(SQLiteStateStore):
        """Every write fails, and so does reading a chat's settings (disk full, database locked)."""

        def chat_settings(self, chat_id: int) -> dict[str, object]:
            raise StoreUnavailable("the bot's state file cannot be used: database or disk is full")

        def hold_upload(self, key: str, record: str, raw: bytes, now: float) -> None:
            raise StoreUnavailable("the bot's state file cannot be used: database or disk is full")

    await start_bot(library=library, store=DiskFull(Path(str(tmp_path)) / "state.sqlite"))
    status = await upload(telegram, "kho-day.txt", ARTICLE.replace("Phố cổ".encode(), "Kho đầy Phố cổ".encode()))
    # it was "Xin lỗi, hệ thống đang tạm gián đoạn…", naming nothing, and the file was not read
    assert "kho-day.txt" in status.params["text"], status.params["text"]
    assert (await final_of(telegram, status)).startswith("✅")


@pytest.mark.parametrize("store_fails", [False, True], ids=["answer", "apology"])
async def test_a_question_deleted_before_its_reply_still_gets_it(
    start_bot: StartBot, telegram: FakeTelegram, tmp_path: object, store_fails: bool
) -> None:
    """In a group the reply quotes its question: deleted meanwhile, Telegram refuses a quote of it ("message to
    be replied not found"), and the apology for a store outage was that refusal, swallowed: no word at all."""
    from pathlib import Path

    from bot.store import SQLiteStateStore, StoreUnavailable

    class StoreDown(SQLiteStateStore):
        def take(self, bucket: str, limit: int, window: float, now: float) -> float:
            if store_fails:
                raise StoreUnavailable("the bot's state file cannot be used: database is locked")
            return super().take(bucket, limit, window, now)

    await start_bot(store=StoreDown(Path(str(tmp_path)) / "state.sqlite"))
    user = telegram.user(4013, language_code="en")
    group = telegram.group_chat(-100400013)
    since = telegram.mark()
    question = await telegram.send_text(group, user, f"/ask {BORDER_QUESTION}")
    del telegram.messages[(group["id"], question["message_id"])]  # its asker deleted it at once
    said = await telegram.wait_for(lambda c: c.method == "sendMessage" and int(c.params["chat_id"]) == group["id"],
                                   since)
    assert said.error is None, said.error
    if store_fails:
        assert said.params["text"] == "Sorry, the service is briefly unavailable. Please try again shortly."
    else:
        assert "2.300 km" in said.params["text"]


@pytest.mark.parametrize("refusal", [
    "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"i\"",
    "Bad Request: message is too long",
], ids=["html", "too-long"])
async def test_an_answer_telegram_refuses_as_html_still_delivers_its_quotes(
    fast_bot: Application, telegram: FakeTelegram, refusal: str
) -> None:
    """Telegram refusing the answer's HTML made the reader's quotes an apology; its words go out as plain text."""
    user = telegram.user(4014)
    chat = telegram.private_chat(user)
    telegram.failures["sendMessage"] = [Failure(400, refusal)]
    message = await telegram.send_text(chat, user, BORDER_QUESTION)
    reply = await telegram.wait_reply(message)
    assert [c.error for c in telegram.calls if c.method == "sendMessage"] == [refusal, None]
    assert "2.300 km" in reply.result["text"] and "<i>" not in reply.params["text"]
    assert "parse_mode" not in reply.params and reply.params.get("reply_markup")  # its buttons kept
    assert not [c for c in telegram.sent() if "Xin lỗi" in c.params["text"]]


@pytest.mark.parametrize("fault", ["429", "reset-after"])
@pytest.mark.parametrize(("command", "press"), [("/sources", "src:1"), ("/remove Lào", "rm:cancel")],
                         ids=["sources", "remove"])
async def test_a_press_whose_spinner_cannot_be_stopped_still_does_its_work(
    start_bot: StartBot, telegram: FakeTelegram, fault: str, command: str, press: str
) -> None:
    """The spinner's answer came first, and its failure (a long 429, a dropped connection) was the press's end:
    the list was never paged, an admin's choice never carried out."""
    from tests.test_bot_e2e import ask, buttons

    await start_bot(delivery=FAST, sources_per_page=3)
    admin = telegram.user(ADMIN_ID, "Admin")
    _, listed = await ask(telegram, telegram.private_chat(admin), admin, command)
    assert press in buttons(listed)
    if fault == "429":
        telegram.fail_next("answerCallbackQuery", 429, retry_after=30)
    else:
        telegram.inject("answerCallbackQuery", Fault(reset="after"))
    since = telegram.mark()
    await telegram.press(listed.result, press, admin)
    edit = await telegram.wait_for(lambda c: c.method == "editMessageText", since, timeout=5)
    assert edit.error is None and edit.params["text"] != listed.params["text"]


async def test_an_update_polled_again_after_a_restart_is_not_answered_again(
    start_bot: StartBot, telegram: FakeTelegram, tmp_path: object
) -> None:
    """Telegram never heard that the update was taken (the poll that confirms it failed, then the bot was
    restarted): it hands it out again, and it was answered a second time."""
    from pathlib import Path

    from bot.store import SQLiteStateStore
    from tests.bot_fixtures import stop_bot

    path = Path(str(tmp_path)) / "durable.sqlite"
    store = SQLiteStateStore(path)
    first = await start_bot(store=store)
    user = telegram.user(4015)
    chat = telegram.private_chat(user)
    question = await telegram.send_text(chat, user, BORDER_QUESTION)
    await telegram.wait_reply(question)
    await stop_bot(first)
    store.close()

    telegram._updates.append(telegram.pushed[-1])  # as if the offset that confirmed it never reached Telegram
    await start_bot(store=SQLiteStateStore(path))
    later = await telegram.send_text(chat, user, OFF_TOPIC)  # answered after anything asked before it
    await telegram.wait_reply(later)
    assert len(replies_to(telegram, question)) == 1
