"""Admin commands that work only in a private chat, sent in a group: the sender is told where they work."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import ask
from tests.test_bot_feedback import press

pytestmark = pytest.mark.asyncio
BOT = BOT_USER["username"]


async def test_private_admin_commands_in_a_group_say_to_use_a_private_chat(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1006501)
    admin = telegram.user(ADMIN_ID, "Admin")
    for command in (f"/add@{BOT} http://example.com/a", f"/remove@{BOT} Lào", f"/feeds@{BOT}", f"/channels@{BOT}"):
        _, said = await ask(telegram, group, admin, command)
        assert said.result["text"] == (
            f"Lệnh này chỉ dùng trong chat riêng với bot: hãy mở chat với @{BOT} và gửi lệnh ở đó."
        ), command

    # anyone else is told the command is for admins, in the language the group chose
    member = telegram.user(6502, "Thành viên")
    telegram.admins[group["id"]] = {member["id"]}
    _, menu = await ask(telegram, group, member, "/settings")
    assert (await press(telegram, menu.result, "s:l:en", member))["text"] == "Saved."
    _, refused = await ask(telegram, group, member, f"/add@{BOT} http://example.com/a")
    assert refused.result["text"] == "This command is for administrators only."
    _, english = await ask(telegram, group, admin, f"/remove@{BOT} Lào")
    assert english.result["text"].startswith("This command works only in a private chat with the bot")
