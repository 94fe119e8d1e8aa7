"""Telegram refusing the bot in a group: a closed topic or lost rights are one warning line and no apology
(it would be refused the same way), a group upgraded meanwhile gets its answer where it is now, and a
button that fails is told to whoever pressed it, never posted under the group's answer."""

from __future__ import annotations

import logging

import pytest

from tests.bot_fixtures import StartBot
from tests.fake_telegram import Failure, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, buttons
from tests.test_bot_paging import BROAD
from tests.test_faults import barrier

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("reason", ["Bad Request: TOPIC_CLOSED",
                                    "Bad Request: not enough rights to send text messages to the chat"])
async def test_a_group_that_refuses_the_answer_is_a_warning_without_an_apology(
    start_bot: StartBot, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture, reason: str
) -> None:
    await start_bot()
    group, user = telegram.group_chat(-7301, forum=True), telegram.user(7301)
    telegram.failures.setdefault("sendMessage", []).append(Failure(400, reason))
    with caplog.at_level(logging.WARNING):
        since = telegram.mark()
        await telegram.send_text(group, user, f"/ask {BORDER_QUESTION}", thread_id=3)
        await telegram.wait_for(lambda c: c.method == "sendMessage" and c.error is not None, since)
        await barrier(telegram, group, user)
    said = reason.split(": ")[1].lower()
    assert [r for r in caplog.records if said in r.getMessage().lower() and r.levelno == logging.WARNING]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not [c for c in telegram.sent() if "Xin lỗi" in c.params["text"]]


async def test_an_answer_to_a_group_upgraded_meanwhile_goes_to_the_supergroup(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    group, user = telegram.group_chat(-7302), telegram.user(7302)
    supergroup = telegram.group_chat(-1007302)
    telegram.failures.setdefault("sendMessage", []).append(Failure(
        400, "Bad Request: group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": supergroup["id"]}))
    since = telegram.mark()
    await telegram.send_text(group, user, f"/ask {BORDER_QUESTION}")
    answer = await telegram.wait_for(
        lambda c: c.method == "sendMessage" and c.error is None and int(c.params["chat_id"]) == supergroup["id"], since)
    assert "2.300 km" in answer.result["text"]


async def test_a_button_that_fails_in_a_group_is_told_to_the_presser_in_the_groups_language(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    application = await start_bot()
    group, user = telegram.group_chat(-7303), telegram.user(7303)
    application.bot_data.state.store.save_chat_settings(group["id"], {"lang": "en"})
    message = await telegram.send_text(group, user, f"/ask {BROAD}")
    reply = await telegram.wait_reply(message)
    [more] = [data for data in buttons(reply) if data.startswith("m:")]
    telegram.failures.setdefault("editMessageText", []).append(Failure(400, "Bad Request: message can't be edited"))
    since = telegram.mark()
    query_id = await telegram.press(reply.result, more, user)
    answered = await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id, since)
    await barrier(telegram, group, user)
    assert answered.params["show_alert"] is True and "Sorry, something went wrong" in answered.params["text"]
    assert not [c for c in telegram.calls[since:] if c.method == "sendMessage" and "Sorry" in c.params["text"]]
