"""/settings through the fake Bot API: group admins only (getChatMember), applied to the next question."""

from __future__ import annotations

import pytest

from tests.bot_fixtures import StartBot
from tests.fake_faults import Fault
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, OFF_TOPIC, ask, buttons
from tests.test_bot_feedback import press
from tests.test_bot_inline import rejected

pytestmark = pytest.mark.asyncio
GROUP = -100700


async def test_group_admin_changes_settings_and_they_apply_at_once(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    admin, member = telegram.user(6001, "Chủ nhóm"), telegram.user(6002, "Thành viên")
    group = telegram.group_chat(GROUP)
    telegram.admins[GROUP] = {admin["id"]}

    # a bare /settings too: the command menu sends it so in a group with no other bot
    for sent in ("/settings", f"/settings@{BOT_USER['username']}"):
        _, refused = await ask(telegram, group, member, sent)
        assert "Chỉ quản trị viên" in refused.params["text"] and "reply_markup" not in refused.params
    _, menu = await ask(telegram, group, admin, "/settings")
    assert "Số kết quả mỗi câu trả lời: 3" in menu.result["text"]
    assert {"s:k:1", "s:l:en", "s:m:0", "s:g:5"} <= set(buttons(menu))

    stranger = await press(telegram, menu.result, "s:k:1", member)
    assert "Chỉ quản trị viên" in stranger["text"] and stranger["show_alert"] is True
    toasts = [(await press(telegram, menu.result, data, admin))["text"] for data in ("s:k:1", "s:l:en", "s:m:0")]
    # each names what it saved, in the language the chat has from then on
    assert toasts == ["Đã lưu – 1 kết quả mỗi câu trả lời", "Saved – language: 🇬🇧 English",
                      "Saved – answer when mentioned: off"]
    shown = telegram.messages[(GROUP, menu.result["message_id"])]["text"]
    assert "Results per answer: 1" in shown and "Answer when mentioned: off" in shown

    # one result per answer, in English, for everyone in the group
    # (a broad question: several paragraphs answer it, and each would fit on a page of three)
    _, answer = await ask(telegram, group, member, "/ask Quan hệ hợp tác Việt Nam - Lào")
    assert "Result 1 of" in answer.result["text"]
    assert [d for d in buttons(answer) if d.startswith("a:")] == [buttons(answer)[0]]

    # mentions no longer ask; /ask still does
    since = telegram.mark()
    mention = await telegram.send_text(group, member, f"@{BOT_USER['username']} {BORDER_QUESTION}")
    _, still = await ask(telegram, group, member, f"/ask {OFF_TOPIC}")
    assert "Nothing in the collection answers" in still.params["text"]
    later = telegram.calls[since:]
    assert len([c for c in later if c.method == "sendChatAction"]) == 1  # the /ask one: the mention began no search
    assert not [c for c in later if c.params.get("reply_parameters", {}).get("message_id") == mention["message_id"]]
    assert not rejected(telegram)


async def test_group_question_limit_and_private_settings(start_bot: StartBot, telegram: FakeTelegram) -> None:
    await start_bot()
    admin = telegram.user(6003)
    group = telegram.group_chat(GROUP - 1)
    telegram.admins[group["id"]] = {admin["id"]}
    _, menu = await ask(telegram, group, admin, "/settings")
    await press(telegram, menu.result, "s:g:5", admin)
    again = await press(telegram, menu.result, "s:g:5", admin)  # the same choice tapped again
    # it redrew the same message, and Telegram refused it as "message is not modified"
    assert again["text"] == "Đây đã là lựa chọn hiện tại." and not rejected(telegram)
    replies = [(await ask(telegram, group, telegram.user(6100 + i), f"/ask {OFF_TOPIC}"))[1] for i in range(6)]
    assert all("Không tìm thấy đoạn nào" in r.params["text"] for r in replies[:5])
    assert "Nhóm đã hỏi nhiều" in replies[5].params["text"]

    user = telegram.user(6004, language_code="en")
    chat = telegram.private_chat(user)
    _, mine = await ask(telegram, chat, user, "/settings")
    assert "Your settings" in mine.result["text"] and "s:m:0" not in buttons(mine)
    await press(telegram, mine.result, "s:l:vi", user)
    _, answer = await ask(telegram, chat, user, BORDER_QUESTION)
    assert "Bài 1" in str(answer.params["reply_markup"])  # Vietnamese buttons for an English-speaking user
    assert not rejected(telegram)


async def test_two_quick_taps_while_telegram_is_slow_keep_both_choices(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    admin = telegram.user(6005)
    group = telegram.group_chat(GROUP - 2)
    telegram.admins[group["id"]] = {admin["id"]}
    _, menu = await ask(telegram, group, admin, "/settings")
    # whichever tap's getChatMember comes first is answered a second late; the other one at once
    telegram.inject("getChatMember", Fault(delay_before=1.0))
    since = telegram.mark()
    taps = [await telegram.press(menu.result, data, admin) for data in ("s:l:en", "s:k:1")]
    for query_id in taps:
        answered = await telegram.wait_for(
            lambda c, q=query_id: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == q, since
        )
        assert answered.params["text"].startswith(("Đã lưu – ", "Saved – "))
    shown = telegram.messages[(group["id"], menu.result["message_id"])]["text"]
    assert "Results per answer: 1" in shown and "Language: 🇬🇧 English" in shown
    _, answer = await ask(telegram, group, admin, "/ask Quan hệ hợp tác Việt Nam - Lào")
    assert "Result 1 of" in answer.result["text"]
    assert not rejected(telegram)


async def test_language_goes_back_to_each_users_telegram_language(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    user = telegram.user(6006, language_code="en")
    chat = telegram.private_chat(user)
    _, menu = await ask(telegram, chat, user, "/settings")
    assert "s:l:tg" in buttons(menu)
    await press(telegram, menu.result, "s:l:vi", user)
    shown = telegram.messages[(chat["id"], menu.result["message_id"])]
    assert "Ngôn ngữ: 🇻🇳 Tiếng Việt" in shown["text"]
    labels = [b["text"] for row in shown["reply_markup"]["inline_keyboard"] for b in row]
    assert "🌐 Theo Telegram" in labels  # offered in the language chosen, too

    assert (await press(telegram, menu.result, "s:l:tg", user))["text"] == "Saved – language: 🌐 From Telegram"
    shown = telegram.messages[(chat["id"], menu.result["message_id"])]
    assert "Language: from Telegram (🇬🇧 English)" in shown["text"]
    labels = [b["text"] for row in shown["reply_markup"]["inline_keyboard"] for b in row]
    assert "• 🌐 From Telegram •" in labels
    _, answer = await ask(telegram, chat, user, BORDER_QUESTION)
    assert "Article 1" in str(answer.params["reply_markup"])  # English again, as the user's Telegram is
    assert not rejected(telegram)


async def test_a_group_that_becomes_a_supergroup_keeps_its_settings(bot, telegram: FakeTelegram) -> None:
    import time

    from telegram import Update

    store = bot.bot_data.state.store
    old, new = -4001, -1004001  # Telegram gives the supergroup a new chat id
    store.save_chat_settings(old, {"lang": "en", "top_k": 1})
    supergroup, member = telegram.group_chat(new), telegram.user(6101)
    moved = {"message_id": 1, "date": int(time.time()), "chat": supergroup, "from": member,
             "migrate_from_chat_id": old}
    await bot.process_update(Update.de_json(telegram.make_update("message", moved), bot.bot))
    assert store.chat_settings(new) == {"lang": "en", "top_k": 1} and not store.chat_settings(old)
    _, answer = await ask(telegram, supergroup, member, "/ask Quan hệ hợp tác Việt Nam - Lào")
    assert "Result 1 of" in answer.result["text"]  # in English, one a page, as the group had chosen


async def test_another_admins_tap_keeps_the_groups_menu_in_its_language(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    group = telegram.group_chat(GROUP - 1)
    lan, tom = telegram.user(6011, "Lan"), telegram.user(6012, "Tom", language_code="en")
    telegram.admins[group["id"]] = {lan["id"], tom["id"]}
    _, menu = await ask(telegram, group, lan, "/settings")
    toast = await press(telegram, menu.result, "s:k:2", tom)
    assert toast["text"] == "Saved – 2 results per answer"  # only Tom sees it: in his language
    # the menu is the whole group's: redrawn in Tom's English, the others could not read it
    shown = telegram.messages[(group["id"], menu.result["message_id"])]["text"]
    assert "Số kết quả mỗi câu trả lời: 2" in shown
    await press(telegram, menu.result, "s:x:0", tom)
    assert "Số kết quả mỗi câu trả lời: 2" in telegram.messages[(group["id"], menu.result["message_id"])]["text"]
    assert not rejected(telegram)
