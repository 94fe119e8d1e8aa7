"""A message that asks two things gets an answer to each, in the order asked, each headed by its question."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.fake_telegram import Call, FakeTelegram

pytestmark = pytest.mark.asyncio

BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
TREATY = "Hiệp ước Hữu nghị và Hợp tác giữa Việt Nam và Lào được ký năm nào?"


async def replies_to(telegram: FakeTelegram, chat: dict, user: dict, text: str) -> list[Call]:
    """Every reply to `text`: a question asked after it is answered after all of them (answers to a chat
    keep the order of its questions), so its reply closes the list without waiting on a clock."""
    since = telegram.mark()
    message = await telegram.send_text(chat, user, text)
    closing = await telegram.send_text(chat, user, "Thủ đô của Lào là gì?")
    last = await telegram.wait_reply(closing, since)
    asked = message["message_id"]
    return [c for c in telegram.calls[since : telegram.calls.index(last)]
            if c.method == "sendMessage" and c.error is None
            and (c.params.get("reply_parameters") or {}).get("message_id") == asked]


async def test_two_questions_in_one_message_get_an_answer_each(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(3301)
    chat = telegram.private_chat(user)
    first, second = await replies_to(telegram, chat, user, f"{BORDER} {TREATY}")
    assert BORDER in first.result["text"] and "2.300 km" in first.result["text"]
    assert TREATY in second.result["text"] and "1977" in second.result["text"]
    assert TREATY not in first.result["text"] and BORDER not in second.result["text"]


async def test_the_question_that_nothing_answers_is_named(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(3302)
    chat = telegram.private_chat(user)
    off_topic = "Cách nấu phở bò ngon tại nhà như thế nào?"
    first, second = await replies_to(telegram, chat, user, f"{BORDER} {off_topic}")
    assert "2.300 km" in first.result["text"]
    assert off_topic in second.result["text"] and "2.300 km" not in second.result["text"]


async def test_a_remark_beside_a_question_is_one_question(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(3303)
    chat = telegram.private_chat(user)
    [only] = await replies_to(telegram, chat, user, f"Thật à? {BORDER}")
    assert "2.300 km" in only.result["text"]
