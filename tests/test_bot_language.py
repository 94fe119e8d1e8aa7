"""The language chosen in /settings is the one every reply uses, not only the answers: stickers, unknown
commands, 👍, /sources and the follow commands included."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.bot_fixtures import StartBot
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask, buttons
from tests.test_bot_feedback import press

pytestmark = pytest.mark.asyncio


async def test_every_reply_follows_the_language_chosen_in_settings(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(6401, "Lan", language_code="vi")  # Telegram in Vietnamese, the bot set to English
    chat = telegram.private_chat(user)
    _, menu = await ask(telegram, chat, user, "/settings")
    assert (await press(telegram, menu.result, "s:l:en", user))["text"] == "Saved – language: 🇬🇧 English"

    since = telegram.mark()
    sticker = await telegram.send_sticker(chat, user)
    assert (await telegram.wait_reply(sticker, since)).result["text"].startswith("I only understand questions")
    _, unknown = await ask(telegram, chat, user, "/nosuchcommand")
    assert unknown.result["text"].startswith("Unknown command.")
    _, sources = await ask(telegram, chat, user, "/sources")
    assert sources.result["text"].startswith("Articles in the collection")
    _, following = await ask(telegram, chat, user, "/following")
    assert following.result["text"].startswith("You follow nothing yet.")
    _, usage = await ask(telegram, chat, user, "/follow")
    assert usage.result["text"].startswith("Usage: /follow")

    _, answer = await ask(telegram, chat, user, BORDER_QUESTION)
    up = next(d for d in buttons(answer) if d.startswith("v:") and d.endswith(":1"))
    assert (await press(telegram, answer.result, up, user))["text"] == "Thanks! Recorded 👍"


async def test_a_group_set_to_english_is_told_in_english_that_follow_is_private(
    bot: Application, telegram: FakeTelegram
) -> None:
    admin = telegram.user(6402, "Chủ nhóm", language_code="vi")
    group = telegram.group_chat(-1006402)
    telegram.admins[group["id"]] = {admin["id"]}
    _, menu = await ask(telegram, group, admin, "/settings")
    assert (await press(telegram, menu.result, "s:l:en", admin))["text"] == "Saved – language: 🇬🇧 English"
    _, refused = await ask(telegram, group, admin, "/follow Hội An")
    assert refused.result["text"].startswith("Use /follow in a private chat")


async def test_a_groups_source_list_pages_in_the_language_it_was_written_in(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot(sources_per_page=2)
    group = telegram.group_chat(-1003420)
    lan, tom = telegram.user(3420), telegram.user(3421, "Tom", language_code="en")
    _, listed = await ask(telegram, group, lan, "/sources")
    assert "Trang 1/3" in listed.result["text"]
    since = telegram.mark()
    await telegram.press(listed.result, "src:1", tom)
    page = await telegram.wait_for(lambda c: c.method == "editMessageText" and c.error is None, since)
    # the list is the group's: an English member's ▶ turned it into English for everyone
    assert "Trang 2/3" in page.params["text"] and "đoạn" in page.params["text"]
    assert [b["text"] for row in page.params["reply_markup"]["inline_keyboard"] for b in row] == ["◀ Trước",
                                                                                                    "Trang sau ▶"]


async def test_the_greeting_in_a_group_is_in_its_language_when_set_else_in_its_adders(
    bot: Application, telegram: FakeTelegram
) -> None:
    from tests.fake_readers import BOT_USER

    lan, kate = telegram.user(6410, "Lan", language_code="vi"), telegram.user(6411, "Kate", language_code="en")
    english, other = telegram.group_chat(-100_6410), telegram.group_chat(-100_6411)
    bot.bot_data.state.store.save_chat_settings(english["id"], {"lang": "en"})  # set before the bot was removed
    since = telegram.mark()
    added = await telegram.push("message", {**telegram._message(english, lan, None, None),
                                            "new_chat_members": [BOT_USER]})  # added again, by a Vietnamese admin
    assert (await telegram.wait_reply(added, since)).result["text"].startswith("Hello, everyone!")
    added = await telegram.push("message", {**telegram._message(other, kate, None, None),
                                            "new_chat_members": [BOT_USER]})
    assert (await telegram.wait_reply(added, since)).result["text"].startswith("Hello, everyone!")
    added = await telegram.push("message", {**telegram._message(telegram.group_chat(-100_6412), lan, None, None),
                                            "new_chat_members": [BOT_USER]})
    assert (await telegram.wait_reply(added, since)).result["text"].startswith("Chào cả nhóm!")
