"""What a message asks, as a reader sends it: a mention of the bot typed in a private chat, a forwarded
chain message longer than a question may be, "@bot đúng không?" under a message that states nothing, a
sound of puzzlement."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask

pytestmark = pytest.mark.asyncio


async def test_a_mention_typed_in_a_private_chat_is_not_part_of_the_question(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3951)
    chat = telegram.private_chat(user)
    _, said = await ask(telegram, chat, user, f"@{BOT_USER['username']} {BORDER_QUESTION}")
    assert said.result["text"].startswith(f"🔎 {BORDER_QUESTION}"), said.result["text"]  # "🔎 @bot Đường…"
    assert "2.300 km" in said.result["text"]
    _, called = await ask(telegram, chat, user, f"@{BOT_USER['username']}")
    assert called.result["text"].startswith("Chào bạn!"), called.result["text"]  # not "Cách dùng: /ask …"


async def test_a_forwarded_chain_message_is_checked_by_its_first_part_not_refused_as_too_long(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3952)
    chat = telegram.private_chat(user)
    chain = "Nghe nói đường biên giới Việt Nam - Lào dài 2.300 km. " + "Hãy chia sẻ ngay cho mọi người biết! " * 40
    since = telegram.mark()
    forwarded = await telegram.push("message", {
        **telegram._message(chat, user, None, None), "text": chain,
        "forward_origin": {"type": "user", "sender_user": telegram.user(3953, "Minh"), "date": 1_700_000_000},
    })
    said = (await telegram.wait_reply(forwarded, since)).params["text"]
    # the reader did not write it, and was told "Câu hỏi quá dài (1533 ký tự)"
    assert "quá dài" not in said and "2.300 km" in said, said


async def test_asking_the_bot_to_check_a_thanks_or_a_nod_is_told_there_is_nothing_to_check(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1003954)
    alice, bob = telegram.user(3954), telegram.user(3955)
    for said, asked in (("cảm ơn", "/ask"), ("ok", f"@{BOT_USER['username']} đúng không?"), ("😂😂", "/ask")):
        claim = await telegram.send_text(group, alice, said)
        _, reply = await ask(telegram, group, bob, asked, reply_to=claim)
        # no reply at all, or "Không có gì! Cứ hỏi tiếp nhé." as if the asker had thanked the bot
        assert reply.params["text"].startswith("Tin nhắn ấy chỉ là lời chào, lời cảm ơn"), (said, reply.params["text"])


async def test_a_sound_of_puzzlement_gets_a_nod_not_quotes(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(3956)
    chat = telegram.private_chat(user)
    for sound in ("hả?", "ủa", "ơ kìa"):
        _, said = await ask(telegram, chat, user, sound)
        assert said.result["text"].startswith("👍"), said.result["text"]  # "hả?" was quoted Hà Nội's paragraphs


async def test_asking_the_bot_to_check_a_link_is_told_to_paste_its_words(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1003957)
    alice, bob = telegram.user(3957), telegram.user(3958)
    for link in ("https://fake.news/abc-2024", "fake.news/bien-gioi-lao"):
        claim = await telegram.send_text(group, alice, link)
        _, reply = await ask(telegram, group, bob, f"@{BOT_USER['username']} đúng không?", reply_to=claim)
        # the address's letters were searched, and a Vietnamese reader was told to ask in Vietnamese
        assert reply.params["text"].startswith("Bot không mở đường liên kết"), reply.params["text"]
    amount = await telegram.send_text(group, alice, "Lương 1.000.000/tháng")
    _, reply = await ask(telegram, group, bob, f"@{BOT_USER['username']} đúng không?", reply_to=amount)
    assert not reply.params["text"].startswith("Bot không mở"), reply.params["text"]  # an amount, no link


async def test_a_question_typed_after_a_pasted_paragraph_is_what_is_searched(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3957)
    chat = telegram.private_chat(user)
    pasted = ("Sáng 2/9, tại Hà Nội đã diễn ra nhiều hoạt động kỷ niệm. Các đại biểu ôn lại truyền thống tốt đẹp giữa"
              " hai dân tộc, khẳng định quyết tâm vun đắp mối quan hệ hữu nghị vĩ đại, đoàn kết đặc biệt và hợp tác"
              " toàn diện. Nhiều ý kiến nhấn mạnh vai trò của ngoại giao trong suốt chặng đường lịch sử. ")
    for asked in ("Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?",
                  "Vậy cho mình hỏi Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?"):
        _, said = await ask(telegram, chat, user, pasted + asked)
        first = said.result["text"].split("\n\n")[1]
        # searched with the paragraph, the first quotes were of other celebrations, none with the date
        assert "05/09/1962" in first, said.result["text"]
