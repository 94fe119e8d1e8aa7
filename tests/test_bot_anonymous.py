"""Anonymous group admins and channels write through one shared Telegram account (GroupAnonymousBot,
Channel_Bot) with `sender_chat` saying whom they speak for: the bot tells them apart by that chat."""

from __future__ import annotations

import pytest

from tests.bot_fixtures import StartBot
from tests.fake_telegram import BOT_USER, Call, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, buttons
from tests.test_bot_inline import rejected

pytestmark = pytest.mark.asyncio
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


async def ask_as(telegram: FakeTelegram, chat: dict, sender: dict, sender_chat: dict, command: str) -> Call:
    """`command` sent in `chat` by `sender` on behalf of `sender_chat`; the bot's reply to it."""
    since = telegram.mark()
    message = telegram._message(chat, sender, None, None)
    message["sender_chat"] = sender_chat
    message["text"] = command
    message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.split()[0])}]
    await telegram.push("message", message)
    return await telegram.wait_reply(message, since)


async def test_anonymous_admins_of_different_groups_have_rate_limits_of_their_own(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot(rate_limit_per_minute=1)
    first, second = telegram.group_chat(-100801, "Một"), telegram.group_chat(-100802, "Hai")
    channel = {"id": -100803, "type": "channel", "title": "Kênh"}
    telegram.chats[channel["id"]] = channel

    answered = await ask_as(telegram, first, ANONYMOUS_ADMIN, first, f"/ask {BORDER_QUESTION}")
    assert "2.300 km" in answered.result["text"]
    # the same account, another group's admin: not the asker who just asked
    answered = await ask_as(telegram, second, ANONYMOUS_ADMIN, second, f"/ask {BORDER_QUESTION}")
    assert "2.300 km" in answered.result["text"]
    # a channel posting in the first group, through Channel_Bot: neither of them either
    answered = await ask_as(telegram, first, CHANNEL_BOT, channel, f"/ask {BORDER_QUESTION}")
    assert "2.300 km" in answered.result["text"]
    # the first group's admin again: over its own limit
    limited = await ask_as(telegram, first, ANONYMOUS_ADMIN, first, f"/ask {BORDER_QUESTION}")
    assert "Vui lòng thử lại sau" in limited.params["text"]
    assert not rejected(telegram)


async def test_anonymous_admin_opens_settings_and_a_channel_does_not(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    group = telegram.group_chat(-100804)
    channel = {"id": -100805, "type": "channel", "title": "Kênh"}
    telegram.chats[channel["id"]] = channel
    telegram.admins[group["id"]] = {6001}

    menu = await ask_as(telegram, group, ANONYMOUS_ADMIN, group, "/settings")
    assert "Cài đặt cho cuộc trò chuyện này" in menu.result["text"] and "s:k:1" in buttons(menu)
    # named to this bot: a bare /settings may be another bot's, and a non-admin gets no reply to it
    refused = await ask_as(telegram, group, CHANNEL_BOT, channel, f"/settings@{BOT_USER['username']}")
    assert "Chỉ quản trị viên" in refused.params["text"] and "reply_markup" not in refused.params
    assert not rejected(telegram)
