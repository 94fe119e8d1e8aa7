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

    # so is a file sent with "/add@bot" as its caption (it got no reply at all)
    since = telegram.mark()
    sent = await telegram.send_document(group, admin, "hoi-an.txt", "Hội An\n\nPhố cổ Hội An.".encode(), f"/add@{BOT}")
    said = await telegram.wait_reply(sent, since)
    assert said.params["text"].startswith("Lệnh này chỉ dùng trong chat riêng với bot")

    # anyone else is told the command is for admins, in the language the group chose
    member = telegram.user(6502, "Thành viên")
    telegram.admins[group["id"]] = {member["id"]}
    _, menu = await ask(telegram, group, member, "/settings")
    assert (await press(telegram, menu.result, "s:l:en", member))["text"] == "Saved – language: 🇬🇧 English"
    _, refused = await ask(telegram, group, member, f"/add@{BOT} http://example.com/a")
    assert refused.result["text"] == "This command is for administrators only."
    _, english = await ask(telegram, group, admin, f"/remove@{BOT} Lào")
    assert english.result["text"].startswith("This command works only in a private chat with the bot")


async def test_a_bare_admin_command_in_a_group_from_a_member_may_be_another_bots(
    bot: Application, telegram: FakeTelegram
) -> None:
    from telegram import Update

    group, member = telegram.group_chat(-1006503), telegram.user(6503, "Thành viên")
    since = telegram.mark()
    for command in ("/stats", "/reindex"):  # each was told "for administrators only", meant for another bot
        message = telegram._message(group, member, None, None) | {
            "text": command, "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}]}
        await bot.process_update(Update.de_json(telegram.make_update("message", message), bot.bot))
    assert not [c for c in telegram.calls[since:] if c.method == "sendMessage"]
    _, addressed = await ask(telegram, group, member, f"/stats@{BOT}")
    assert "chỉ dành cho quản trị viên" in addressed.result["text"]
