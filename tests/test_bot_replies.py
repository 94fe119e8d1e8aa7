"""What a message replying to another is taken for: a check of someone's words (all of them, the part
quoted, or none there to check), a card of the bot's own, talk to someone else, thanks past a limit."""

from __future__ import annotations

import time

import pytest

from tests.bot_fixtures import StartBot
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask
from tests.test_bot_feedback import press

pytestmark = pytest.mark.asyncio
BOT = f"@{BOT_USER['username']}"


def replied_to(telegram: FakeTelegram, since: int, message: dict) -> list[str]:
    return [c.params["text"] for c in telegram.calls[since:] if c.method == "sendMessage"
            and c.params.get("reply_parameters", {}).get("message_id") == message["message_id"]]


async def test_a_check_reads_the_part_quoted_and_says_when_there_are_no_words(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    group, lan, minh = telegram.group_chat(-1004501), telegram.user(4501), telegram.user(4502)
    sticker = await telegram.send_sticker(group, lan)
    checked = telegram._message(group, minh, None, sticker)
    checked.update(text=f"{BOT} đúng không?", entities=telegram.entities_of(f"{BOT} đúng không?"))
    said = await telegram.wait_reply(await telegram.push("message", checked))
    # searched as typed, it quoted a teaser headlined "Halloween: ứng xử thế nào cho đúng?"
    assert said.result["text"].startswith("Tin nhắn ấy không có chữ nào để tra")
    # "/ask" alone under it asks the same (it got the usage line)
    bare = telegram._message(group, minh, None, sticker)
    bare.update(text=f"/ask@{BOT[1:]}", entities=telegram.entities_of(f"/ask@{BOT[1:]}"))
    said = await telegram.wait_reply(await telegram.push("message", bare))
    assert said.result["text"].startswith("Tin nhắn ấy không có chữ nào để tra")
    chat = await telegram.send_text(group, lan, "Hôm nay trời đẹp quá. Nghe nói đường biên giới Việt Nam - Lào "
                                                "dài 5000 km. Mai mình đi học lại rồi.")
    part = telegram._message(group, minh, None, chat)
    part.update(text=f"{BOT} đúng không?", entities=telegram.entities_of(f"{BOT} đúng không?"),
                quote={"text": "đường biên giới Việt Nam - Lào dài 5000 km", "position": 21})
    answer = await telegram.wait_reply(await telegram.push("message", part))
    assert answer.result["text"].startswith("🔎 đường biên giới Việt Nam - Lào dài 5000 km")  # not the weather
    assert "2.300 km" in answer.result["text"]
    # a reply to a message in another chat, nothing of it quoted: Telegram sends none of its words
    elsewhere = telegram._message(telegram.private_chat(minh), minh, None, None)
    elsewhere.update(text="đúng không?", external_reply={
        "origin": {"type": "user", "date": chat["date"], "sender_user": lan}})
    said = await telegram.wait_reply(await telegram.push("message", elsewhere))
    assert said.result["text"].startswith("Bot không xem được tin nhắn ở cuộc trò chuyện khác")


async def test_cards_of_the_bots_own_and_talk_to_others_are_no_questions(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    lan = telegram.user(4503, language_code="en")
    chat = telegram.private_chat(lan)
    since = telegram.mark()
    card = telegram._message(chat, lan, None, None)
    card.update(text=f"🔎 {BORDER_QUESTION}\n\nHai nước có chung đường biên giới dài hơn 2.300 km.",
                via_bot=BOT_USER)  # an inline card picked in the bot's own chat: it was answered again
    card = await telegram.push("message", card)
    _, later = await ask(telegram, chat, lan, BORDER_QUESTION)
    assert not replied_to(telegram, since, card) and "2.300 km" in later.result["text"]

    group, minh = telegram.group_chat(-1004503), telegram.user(4504)
    _, answer = await ask(telegram, group, minh, f"/ask {BORDER_QUESTION}")
    since = telegram.mark()
    aside = await telegram.send_text(group, minh, "@BinhNguyen xem cái này", reply_to=answer.result)
    _, later = await ask(telegram, group, minh, f"/ask {BORDER_QUESTION}")
    assert not replied_to(telegram, since, aside)  # said to Binh: it got "nothing found"
    _, sourced = await ask(telegram, group, minh, "Theo @baochinhphu thì biên giới Việt Nam Lào dài bao nhiêu km?",
                           reply_to=answer.result)
    assert "2.300 km" in sourced.result["text"]  # a question naming someone is still a question
    # a card that quoted nothing, checked: told so, not that its quotes are verbatim
    empty = telegram._message(group, lan, None, None)
    empty.update(text="🔎 Giá vé tàu Thống Nhất?\n\nNothing in the collection answers that question.",
                 via_bot=BOT_USER)
    empty = await telegram.push("message", empty)
    _, doubt = await ask(telegram, group, minh, f"{BOT} is this true?", reply_to=empty)
    assert doubt.result["text"].startswith("Câu trả lời ấy không trích đoạn nào")


async def test_thanks_past_the_limit_and_a_busy_groups_limit_are_said_once(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    application = await start_bot(rate_limit_per_minute=1)
    group, lan = telegram.group_chat(-1004505), telegram.user(4505)
    _, answer = await ask(telegram, group, lan, f"/ask {BORDER_QUESTION}")
    since = telegram.mark()
    thanks = await telegram.send_text(group, lan, "cảm ơn bot nhé", reply_to=answer.result)
    _, next_one = await ask(telegram, group, telegram.user(4506), f"/ask {BORDER_QUESTION}")
    assert not replied_to(telegram, since, thanks)  # it was told to slow down

    other = telegram.group_chat(-1004507)
    application.bot_data.state.store.save_chat_settings(other["id"], {"group_limit": 5})
    since = telegram.mark()
    for n in range(8):  # eight members at once
        await telegram.send_text(other, telegram.user(4510 + n), f"/ask {BORDER_QUESTION}")
    # answered after them, in their order: a question over the limit, done at once, let it overtake the answers
    await ask(telegram, other, telegram.user(4520), "/ask cảm ơn")
    said = [c.result["text"] for c in telegram.calls[since:] if c.method == "sendMessage" and c.result]
    assert sum("2.300 km" in text for text in said) == 5  # the group's five a minute
    assert sum("Nhóm đã hỏi nhiều" in text for text in said) == 1  # the other three were told once


async def test_the_limits_are_spent_in_the_order_asked(start_bot: StartBot, telegram: FakeTelegram) -> None:
    application = await start_bot(rate_limit_per_minute=2)
    store = application.bot_data.state.store
    take, slow = store.take, {"ask:", "chat:"}

    def slow_first(bucket: str, limit: int, window: float, now: float) -> float:
        # the store slow to count the first question against each limit
        if (kind := bucket.split(":")[0] + ":") in slow:
            slow.discard(kind)
            time.sleep(0.3)
        return take(bucket, limit, window, now)

    store.take = slow_first  # type: ignore[method-assign]
    lan = telegram.user(4533)
    chat = telegram.private_chat(lan)
    since = telegram.mark()
    asked = [await telegram.send_text(chat, lan, said) for said in (BORDER_QUESTION, "xin chào", "cảm ơn")]
    await telegram.wait_reply(asked[2], since)
    said = [replied_to(telegram, since, message) for message in asked]
    # counted as each store call finished: the first question was the one too many, and the others answered
    assert "2.300 km" in said[0][0] and "hỏi hơi nhanh" in said[2][0]

    group = telegram.group_chat(-1004533)
    store.save_chat_settings(group["id"], {"group_limit": 5})
    since = telegram.mark()
    asked = [await telegram.send_text(group, telegram.user(4534 + n), f"/ask {BORDER_QUESTION}") for n in range(6)]
    await telegram.wait_reply(asked[5], since)
    said = [replied_to(telegram, since, message) for message in asked]
    assert "2.300 km" in said[0][0] and "Nhóm đã hỏi nhiều" in said[5][0]


async def test_mentions_in_a_group_are_answered_in_the_order_asked(start_bot: StartBot, telegram: FakeTelegram) -> None:
    application = await start_bot()
    store = application.bot_data.state.store
    read, slow = store.chat_settings, [True]

    def slow_first(chat_id: int) -> dict[str, object]:  # the store slow to answer the first member's question
        if slow and slow.pop():
            time.sleep(0.3)
        return read(chat_id)

    store.chat_settings = slow_first  # type: ignore[method-assign]
    group = telegram.group_chat(-1004530)
    since = telegram.mark()
    asked = await telegram.send_text(group, telegram.user(4531), f"{BOT} {BORDER_QUESTION}")
    hello = await telegram.send_text(group, telegram.user(4532), f"{BOT} xin chào")
    await telegram.wait_reply(hello, since)
    # the group's settings were read before the order was kept: the greeting asked later was answered first
    assert replied_to(telegram, since, asked)


async def test_what_only_the_presser_sees_is_in_their_language(start_bot: StartBot, telegram: FakeTelegram) -> None:
    application = await start_bot()
    group, lan, kate = telegram.group_chat(-1004530), telegram.user(4530), telegram.user(4531, language_code="en")
    telegram.private_chat(kate)
    _, answer = await ask(telegram, group, lan, f"/ask {BORDER_QUESTION}")
    message = telegram.messages[(group["id"], answer.result["message_id"])]
    vote = next(b["callback_data"] for row in answer.params["reply_markup"]["inline_keyboard"] for b in row
                if b["callback_data"].startswith("v:"))
    assert (await press(telegram, message, vote, kate))["text"].startswith("Thanks")  # the answer stays Vietnamese
    application.bot_data.state.store.save_chat_settings(group["id"], {"lang": "vi"})
    bell = next(b["callback_data"] for row in answer.params["reply_markup"]["inline_keyboard"] for b in row
                if b["callback_data"].startswith("f:"))
    since = telegram.mark()
    await press(telegram, message, bell, kate)
    told = [c for c in telegram.calls[since:] if c.method == "sendMessage" and int(c.params["chat_id"]) == kate["id"]]
    assert told and told[0].params["text"].startswith("🔔 Following")  # was Vietnamese, the group's language


async def test_a_doubt_typed_after_an_answer_in_a_private_chat_is_about_that_answer(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    lan = telegram.user(4540)
    chat = telegram.private_chat(lan)
    _, nothing_yet = await ask(telegram, chat, lan, "đúng không?")  # nothing asked before: what to check
    assert nothing_yet.result["text"].startswith("Để kiểm tra một tin nhắn, hãy trả lời")
    await ask(telegram, chat, lan, BORDER_QUESTION)
    _, doubt = await ask(telegram, chat, lan, "đúng không?")  # not a reply: it quoted a teaser "… cho đúng?"
    assert "nguyên văn" in doubt.result["text"] and "Halloween" not in doubt.result["text"]
    await ask(telegram, chat, lan, "Giá vé tàu Thống Nhất Hà Nội - Sài Gòn bao nhiêu?")
    _, doubt = await ask(telegram, chat, lan, "sai rồi")
    assert doubt.result["text"].startswith("Câu trả lời ấy không trích đoạn nào")
    since = telegram.mark()
    await telegram.send_text(chat, lan, BORDER_QUESTION)
    typed = await telegram.send_text(chat, lan, "đúng không?")  # at once, while the question is searched
    doubt = await telegram.wait_reply(typed, since)
    assert "nguyên văn" in doubt.result["text"] and "không trích đoạn nào" not in doubt.result["text"]


async def test_the_help_card_picked_inline_in_a_group_is_not_a_question(
    start_bot: StartBot, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.telegram_rules import parse_html

    monkeypatch.setitem(BOT_USER, "can_read_all_group_messages", True)  # mentions reach the bot: help names it
    await start_bot(inline_pause=0.01)
    group, lan = telegram.group_chat(-1004530), telegram.user(4530)
    [hint] = (await telegram.wait_inline(await telegram.inline(lan, ""))).params["results"]
    shown = parse_html(hint["input_message_content"]["message_text"])
    assert BOT in shown
    since = telegram.mark()
    card = telegram._message(group, lan, None, None)
    card.update(text=shown, entities=telegram.entities_of(shown), via_bot=BOT_USER)
    card = await telegram.push("message", card)
    # answered after the card: the Sender sends to a chat in order, and the search of the help text went first
    _, later = await ask(telegram, group, lan, f"{BOT} {BORDER_QUESTION}")
    assert "2.300 km" in later.result["text"]
    assert not replied_to(telegram, since, card)  # it quoted an unrelated paragraph under the help


async def test_a_sticker_or_a_mistyped_command_after_a_question_is_told_after_its_answer(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    application = await start_bot()
    store = application.bot_data.state.store
    save = store.save_search

    def slow_save(*args: object) -> str:  # the store slow to keep the answer: it is still to be sent
        time.sleep(0.3)
        return save(*args)  # type: ignore[arg-type]

    store.save_search = slow_save  # type: ignore[method-assign]
    lan = telegram.user(4550)
    chat, group = telegram.private_chat(lan), telegram.group_chat(-1004550)
    for where, asked, mistyped in ((chat, BORDER_QUESTION, "/nosuch"),
                                   (group, f"/ask {BORDER_QUESTION}", f"/nosuch{BOT}")):
        since = telegram.mark()
        question = await telegram.send_text(where, lan, asked)
        said = [question]
        if where is chat:  # a 👍 sticker, sent while the answer is searched
            said.append(await telegram.send_sticker(where, lan))
        said.append(await telegram.send_text(where, lan, mistyped))
        await telegram.wait_reply(said[-1], since)
        await telegram.wait_reply(question, since)
        order = [c.params["reply_parameters"]["message_id"] for c in telegram.calls[since:]
                 if c.method == "sendMessage" and c.result]
        # told that questions are typed, and that there is no such command, before the question was answered
        assert order == [message["message_id"] for message in said], where["type"]
