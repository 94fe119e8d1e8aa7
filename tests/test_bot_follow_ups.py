"""A follow-up that swaps one name or year into the question before it ("Còn Campuchia thì sao?") asks that
question again, headed by it, and quotes only what names the new name; anything else is searched as typed."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from retriever.query.followup import follow_up
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import ask, buttons
from tests.test_bot_several_questions import replies_to

BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"


@pytest.mark.parametrize(("message", "asked"), [
    ("Còn Campuchia thì sao?", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),
    ("thế còn Thái Lan?", "Đường biên giới Việt Nam - Thái Lan dài bao nhiêu km?"),
    ("What about Cambodia?", "Đường biên giới Việt Nam - Cambodia dài bao nhiêu km?"),
    ("con Campuchia thi sao?", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),  # typed without accents
    ("Thế còn Campuchia?", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),
    ("Còn Campuchia ạ?", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),
    # typed in lower case on a phone: searched as typed, it quoted what merely names Cambodia
    ("còn campuchia thì sao?", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),
    ("thế còn thái lan?", "Đường biên giới Việt Nam - Thái Lan dài bao nhiêu km?"),
    ("còn mấy ngày?", None), ("còn ai nữa?", None), ("còn bạn thì sao?", None), ("còn hôm nay?", None),
    # not a swap: a question of its own, the same name again, nothing to swap, or a topic without a name
    ("Còn bao nhiêu suất học bổng?", None), ("còn gì nữa không?", None), ("Còn Lào thì sao?", None),
    ("Còn năm 2023 thì sao?", None), ("vậy còn bóng đá nữ?", None), ("Campuchia", None),
    ("Còn SEA Games 2025?", None),  # a name and a number: a new subject, not a swap
    # without "còn" these are questions of their own; the first, capitalised word was swapped in
    ("Campuchia thì sao ạ?", None), ("Vậy thì sao?", None), ("Visa hết hạn thì sao?", None),
    ("Còn Hà Nội đẹp lắm.", None), ("What about Laos joining ASEAN?", None),
    # "thế"/"vậy" without "còn": a name asked "thì sao", or a year; else a question or a remark of its own
    ("Vậy Campuchia thì sao?", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),
    ("Thế Thái Lan thì thế nào?", "Đường biên giới Việt Nam - Thái Lan dài bao nhiêu km?"),
    ("Thế Vận Hội?", None), ("thế à?", None), ("vậy campuchia thì sao?", None), ("Vậy Lào?", None),
    # a greeting or thanks around it
    ("Còn Campuchia thì sao? cảm ơn nhé", "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"),
    ("bot ơi, còn Thái Lan thì sao ạ?", "Đường biên giới Việt Nam - Thái Lan dài bao nhiêu km?"),
])
def test_a_follow_up_swaps_the_last_name_of_the_question_before(message: str, asked: str | None) -> None:
    assert follow_up(BORDER, message) == asked


def test_a_year_swaps_the_last_year() -> None:
    before = "Lễ kỷ niệm 60 năm quan hệ ngoại giao tổ chức năm 2022 ở đâu?"
    assert follow_up(before, "Thế còn năm 2017?") == "Lễ kỷ niệm 60 năm quan hệ ngoại giao tổ chức năm 2017 ở đâu?"
    assert follow_up(before, "thế năm 2017?") == follow_up(before, "Vậy năm 2017 thì sao?") \
        == "Lễ kỷ niệm 60 năm quan hệ ngoại giao tổ chức năm 2017 ở đâu?"
    assert follow_up(BORDER, "Thế còn năm 2017?") is None  # "2.300 km" became "2017 km"
    assert follow_up("", "Còn Campuchia thì sao?") is None  # nothing asked before


@pytest.mark.asyncio
async def test_a_follow_up_in_a_private_chat_is_the_question_before_asked_again(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3401)
    chat = telegram.private_chat(user)
    _, first = await ask(telegram, chat, user, BORDER)
    assert "2.300 km" in first.result["text"]
    _, swapped = await ask(telegram, chat, user, "Còn Campuchia thì sao?")
    said = swapped.result["text"]
    # headed by what was searched; searched as typed it quoted a notice of scholarships in Cambodia, and
    # searched so it quoted the Vietnam-Laos paragraph under the question about Cambodia
    assert said.startswith("🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"), said
    assert "học bổng" not in said and "2.300 km" not in said and "Không tìm thấy" in said
    _, back = await ask(telegram, chat, user, "Thế còn Lào?")  # a follow-up of the follow-up
    assert back.result["text"].startswith(f"🔎 {BORDER}") and "2.300 km" in back.result["text"]


@pytest.mark.asyncio
async def test_a_follow_up_with_nothing_before_it_quotes_only_what_names_its_subject(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3409)
    chat = telegram.private_chat(user)
    for message, name in (("còn campuchia thì sao?", "campuchia"), ("thế còn thái lan?", "thái lan")):
        _, said = await ask(telegram, chat, user, message)
        shown = said.result["text"]
        # searched as typed, a novel's teaser and "Halloween: ứng xử thế nào cho đúng?" were quoted
        assert "Halloween" not in shown and "tiểu thuyết" not in shown, shown
        quotes = [block.split("\n")[0] for block in shown.split("\n\n") if "📰" in block]
        assert quotes and all(name in quote.lower() for quote in quotes), shown


@pytest.mark.asyncio
async def test_in_a_group_a_follow_up_leans_only_on_the_answer_it_replies_to(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1003402)
    user = telegram.user(3402)
    _, answer = await ask(telegram, group, user, f"/ask {BORDER}")
    _, said = await ask(telegram, group, user, "/ask Còn Campuchia thì sao?")
    # several people ask in a group: without a reply, whose question came before is not clear
    assert "Việt Nam - Campuchia" not in said.result["text"]
    other = telegram.user(3403)  # anyone replying to the answer: it is headed by the question it answered
    _, replied = await ask(telegram, group, other, "Còn Campuchia thì sao?", reply_to=answer.result)
    assert replied.result["text"].startswith("🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?")


@pytest.mark.asyncio
async def test_a_follow_up_replying_to_nothing_found_leans_on_the_question_it_found_nothing_for(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1003408)
    user = telegram.user(3408)
    cambodia = "Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"
    _, nothing = await ask(telegram, group, user, f"/ask {cambodia}")
    assert nothing.result["text"].startswith(f"🔎 {cambodia}") and "Không tìm thấy" in nothing.result["text"]
    # the reply to it was searched as typed ("Còn Lào thì sao?"): it had no question to lean on
    _, replied = await ask(telegram, group, telegram.user(3410), "Còn Lào thì sao?", reply_to=nothing.result)
    assert replied.result["text"].startswith(f"🔎 {BORDER}") and "2.300 km" in replied.result["text"]


@pytest.mark.asyncio
async def test_a_few_words_replying_to_someones_message_ask_about_that_message(
    bot: Application, telegram: FakeTelegram
) -> None:
    from tests.fake_telegram import BOT_USER

    group = telegram.group_chat(-1003404)
    alice, bob = telegram.user(3404), telegram.user(3405)
    claim = await telegram.send_text(group, alice, "Nghe nói đường biên giới Việt Nam - Lào dài 2.300 km")
    _, checked = await ask(telegram, group, bob, f"@{BOT_USER['username']} đúng không?", reply_to=claim)
    said = checked.result["text"]
    # searched as typed, "đúng không?" quoted a teaser headlined "Halloween: ứng xử thế nào cho đúng?"
    assert said.startswith("🔎 Nghe nói đường biên giới Việt Nam - Lào dài 2.300 km") and "2.300 km" in said
    _, own = await ask(telegram, group, bob, "/ask học bổng Lào?", reply_to=claim)
    assert "Nghe nói" not in own.result["text"]  # a question of its own, however short, is asked as typed
    private = await telegram.send_text(group, alice, "Mình là Alice, số điện thoại 0912 345 678, nhà ở ngõ 5")
    await ask(telegram, group, bob, "/ask có thật không?", reply_to=private)
    # someone else's message, found in nothing, went to the admins' list of unanswered questions
    assert not [q for q in bot.bot_data.state.store.unanswered(0.0, 50) if "Alice" in q.question]
    # nor does a 👎 keep it (in /gaps, for a year), nor a 🔔 (as the presser's follow)
    from tests.test_bot_feedback import press

    message = telegram.messages[(group["id"], checked.result["message_id"])]
    voted = await press(telegram, message, next(b for b in buttons(checked) if b.startswith("v:") and b.endswith(":0")),
                        bob)
    assert voted["text"]  # thanked, as for any vote
    assert not [q for q in bot.bot_data.state.store.downvoted(0.0, 50) if "Nghe nói" in q.question]
    bell = await press(telegram, message, next(b for b in buttons(checked) if b.startswith("f:")), bob)
    assert "lời của người khác" in bell["text"] and bell["show_alert"] is True


@pytest.mark.asyncio
async def test_a_follow_up_sent_together_with_its_question_leans_on_that_question(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3406)
    chat = telegram.private_chat(user)
    await ask(telegram, chat, user, "Hiệp ước Hữu nghị và Hợp tác Việt Nam - Lào ký năm nào?")
    since = telegram.mark()
    # a phone back online delivers both at once: they are handled side by side
    first = await telegram.send_text(chat, user, BORDER)
    follow = await telegram.send_text(chat, user, "Còn Campuchia thì sao?")
    await telegram.wait_reply(first, since)
    said = (await telegram.wait_reply(follow, since)).result["text"]
    # it leaned on the question before the border one, the treaty, which was the last answered
    assert said.startswith("🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"), said


@pytest.mark.asyncio
@pytest.mark.parametrize("doubt", ["đúng không?", "đúng k?", "thật hả?", "chính xác không?"])
async def test_asking_whether_the_bots_own_answer_is_right_is_told_where_the_quotes_come_from(
    bot: Application, telegram: FakeTelegram, doubt: str
) -> None:
    group = telegram.group_chat(-1003407)
    user = telegram.user(3407)
    _, answer = await ask(telegram, group, user, f"/ask {BORDER}")
    _, checked = await ask(telegram, group, user, doubt, reply_to=answer.result)
    said = checked.result["text"]
    # searched as typed, it quoted a teaser headlined "Halloween: ứng xử thế nào cho đúng?"
    assert "nguyên văn" in said and "Halloween" not in said and "🔎" not in said


@pytest.mark.asyncio
async def test_a_nod_under_an_answer_gets_no_reply_and_a_doubt_under_nothing_quoted_is_told_so(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1003408)
    user = telegram.user(3408)
    _, answer = await ask(telegram, group, user, f"/ask {BORDER}")
    _, none = await ask(telegram, group, user, "/ask Giá vé tàu Thống Nhất Hà Nội - Sài Gòn bao nhiêu?")
    assert "reply_markup" not in none.params or "🔎" not in none.result["text"]
    since = telegram.mark()
    # a 👍 or "." under the answer: the group's talk, no reply. Each got "the quotes are verbatim, open the
    # article to check them"
    replies = [await telegram.send_text(group, user, said, reply_to=answer.result) for said in ("👍", ".")]
    _, later = await ask(telegram, group, user, f"/ask {BORDER}")
    assert "2.300 km" in later.result["text"]
    answered = {c.params.get("reply_parameters", {}).get("message_id") for c in telegram.calls[since:]}
    assert not answered & {r["message_id"] for r in replies}
    # a doubt under a reply that quoted nothing is told so, not that its quotes are verbatim
    _, doubt = await ask(telegram, group, user, "đúng k", reply_to=none.result)
    assert doubt.result["text"].startswith("Câu trả lời ấy không trích đoạn nào")


@pytest.mark.asyncio
async def test_a_follow_up_in_the_same_message_leans_on_the_question_before_it(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3408)
    chat = telegram.private_chat(user)
    since = telegram.mark()
    message = await telegram.send_text(chat, user, f"{BORDER} Còn Campuchia thì sao?")
    first = await telegram.wait_reply(message, since)
    second = await telegram.wait_for(lambda c: c.method == "sendMessage" and c.error is None
                                     and c.params["text"] != first.params["text"] and "Campuchia" in c.params["text"],
                                     since)
    assert "2.300 km" in first.result["text"]
    # it was answered as typed, "🔎 Còn Campuchia thì sao?", with a notice of scholarships in Cambodia
    assert second.result["text"].startswith("🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?")
    assert "học bổng" not in second.result["text"]


@pytest.mark.asyncio
async def test_asking_in_a_private_chat_whether_the_answer_is_so_or_sure_is_a_doubt_not_a_question(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3411)
    chat = telegram.private_chat(user)
    await ask(telegram, chat, user, BORDER)
    for doubt in ("phải không?", "có phải không?", "chắc không?", "chắc chưa?", "bạn chắc chứ?", "chuẩn chưa?",
                  "đúng hông?", "ủa thật á?", "are you sure?", "nguồn đâu?"):
        _, checked = await ask(telegram, chat, user, doubt)
        said = checked.result["text"]
        # each was searched as typed: "🔎 chắc chưa?" over a teaser headlined "Halloween: … cho đúng?"
        assert "nguyên văn" in said and "🔎" not in said, (doubt, said)
    # nor is a doubt the question a follow-up leans on: "Còn Campuchia" was searched as typed after "chắc không?"
    _, swapped = await ask(telegram, chat, user, "Còn Campuchia thì sao?")
    assert swapped.result["text"].startswith("🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?")


@pytest.mark.asyncio
async def test_a_year_or_a_name_asked_after_the_or_vay_without_con_is_a_follow_up(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3412)
    chat = telegram.private_chat(user)
    before = "Lễ kỷ niệm 60 năm quan hệ ngoại giao tổ chức năm 2022 ở đâu?"
    await ask(telegram, chat, user, before)
    _, year = await ask(telegram, chat, user, "thế năm 2017?")
    # searched as typed ("🔎 thế năm 2017?"), and the next follow-up swapped its year into that instead
    asked = "🔎 Lễ kỷ niệm 60 năm quan hệ ngoại giao tổ chức năm 2017 ở đâu?"
    assert year.result["text"].startswith(asked), year.result["text"]
    _, again = await ask(telegram, chat, user, "Vậy năm 2023 thì sao?")
    assert again.result["text"].startswith(asked.replace("2017", "2023")), again.result["text"]
    await ask(telegram, chat, user, BORDER)
    _, name = await ask(telegram, chat, user, "Vậy Campuchia thì sao?")
    assert name.result["text"].startswith("🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?")


@pytest.mark.asyncio
async def test_a_follow_up_with_a_greeting_or_thanks_around_it_leans_on_the_question_before(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3413)
    chat = telegram.private_chat(user)
    cambodia = "🔎 Đường biên giới Việt Nam - Campuchia dài bao nhiêu km?"
    replies = await replies_to(telegram, chat, user, f"{BORDER} Còn Campuchia thì sao? cảm ơn nhé")
    # the thanks went with the follow-up, which was searched as typed and quoted a scholarship notice
    said = [reply.result["text"] for reply in replies]
    assert len(said) == 2 and said[1].startswith(cambodia), said
    await ask(telegram, chat, user, BORDER)
    _, said = await ask(telegram, chat, user, "chào bot, còn Thái Lan thì sao?")
    assert said.result["text"].startswith(cambodia.replace("Campuchia", "Thái Lan")), said.result["text"]
