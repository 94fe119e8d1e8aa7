"""Small talk ("cảm ơn", "ok", "xin chào", "bạn là ai?") gets one short line, never quotes: searched, it would be
answered with paragraphs that have nothing to do with it."""

from __future__ import annotations

import unicodedata

import pytest
from telegram.ext import Application

from bot.readers.smalltalk import Talk, small_talk
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask

BOT = BOT_USER["username"]
THANKS_VI, THANKS_EN = "Không có gì! Cứ hỏi tiếp nhé.", "You're welcome! Ask away."


@pytest.mark.parametrize(
    ("message", "talk"),
    [
        ("cảm ơn", Talk.THANKS), ("cảm ơn bot", Talk.THANKS), ("Cảm ơn bạn nhiều ạ!", Talk.THANKS),
        ("cam on ban nhe", Talk.THANKS), ("thanks", Talk.THANKS), ("Thank you so much 🙏", Talk.THANKS),
        (f"@{BOT} cám ơn nhé", Talk.THANKS), ("hay quá, cảm ơn", Talk.THANKS),
        ("ok", Talk.ACK), ("hay quá", Talk.ACK), ("tuyệt vời!", Talk.ACK), ("Được rồi", Talk.ACK),
        ("xin chào", Talk.HELLO), ("chào bot", Talk.HELLO), ("hello", Talk.HELLO), ("bạn là ai?", Talk.HELLO),
        ("ban la ai", Talk.HELLO), ("Who are you?", Talk.HELLO),
        # questions and words to look up are searched
        ("Hun Many là ai?", None), ("Chào bạn, cho hỏi Hun Many là ai?", None), ("Lào", None), ("ai", None),
        ("đá", None), ("cảm ơn ai", None), ("?!", None), ("giá vàng hôm nay", None),
        # as phones type it: "ad" is the admin, "bn" the reader's "bạn"; "test" was Telex for "tét" and quoted
        ("cảm ơn ad", Talk.THANKS), ("cam on bn nhieu nha", Talk.THANKS), ("tks ad", Talk.THANKS),
        ("ok ad", Talk.ACK), ("oki", Talk.ACK), ("hahaha", Talk.ACK), ("👍", Talk.ACK), ("❤️", Talk.ACK),
        ("test", Talk.HELLO), ("bot ơi", Talk.HELLO), ("ad oi", Talk.HELLO), ("alo ad", Talk.HELLO),
        ("bot", Talk.HELLO), ("hi", Talk.HELLO), ("Hà", None), ("ha", None),
        # a sound of puzzlement, typed with its marks ("hả?" was quoted paragraphs on Hà Nội)
        ("hả?", Talk.ACK), ("Ủa", Talk.ACK), ("ơ kìa", Talk.ACK), ("à?", Talk.ACK),
        ("ủa, biên giới dài bao nhiêu?", None),
        # words that are also fillers, alone and calling no one, are words to look up: Britain, the UK
        ("Anh", None), ("UK", None), ("K+", None), ("B", None), ("Thế", None), ("🤔", None), ("🙏", Talk.THANKS),
        # "là gì" beside other words is a reader's question, not one about the bot
        ("Cảm ơn là gì?", None), ("Hay quá là gì?", None), ("Ok là gì", None), ("chào bạn, bạn là ai", Talk.HELLO),
        ("Cho em hỏi ạ", Talk.HELLO),  # nothing asked yet: the introduction says how
        ("hỏi", Talk.HELLO), ("em hỏi", Talk.HELLO), ("cho tôi hỏi", Talk.HELLO), ("Cho cháu hỏi với ạ", Talk.HELLO),
        ("câu hỏi?", Talk.HELLO), ("ask", Talk.HELLO),
        ("help", Talk.HELLO), ("giup voi", Talk.HELLO),  # a command typed without its slash
        ("hỏi về biên giới", None), ("Ask about the border", None), ("giúp đỡ Lào", None),
    ],
)
def test_small_talk_is_recognised_only_when_it_is_the_whole_message(message: str, talk: Talk | None) -> None:
    assert small_talk(message) is talk


@pytest.mark.asyncio
async def test_small_talk_in_a_private_chat_gets_one_line_in_the_readers_language(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(6601)
    chat = telegram.private_chat(user)
    for message in ("cảm ơn", "cảm ơn bot", "thanks", "ok", "hay quá", "xin chào", "bạn là ai?"):
        _, said = await ask(telegram, chat, user, message)
        assert "reply_markup" not in said.params, message  # no quotes, no buttons
        assert len(said.result["text"].splitlines()) == 1, message
    _, thanks = await ask(telegram, chat, user, "cảm ơn bạn nhiều")
    assert thanks.result["text"] == THANKS_VI
    _, intro = await ask(telegram, chat, user, "chào bot")
    assert intro.result["text"].startswith("Chào bạn! Mình là Tra Cứu") and "/help" in intro.result["text"]

    english = telegram.user(6602, language_code="en")
    _, said = await ask(telegram, telegram.private_chat(english), english, "Thanks!")
    assert said.result["text"] == THANKS_EN


@pytest.mark.asyncio
async def test_thanks_in_a_group_gets_no_reply_and_who_are_you_an_introduction(
    bot: Application, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(-1006603)
    user = telegram.user(6603)
    _, answer = await ask(telegram, group, user, f"/ask {BORDER_QUESTION}")
    since = telegram.mark()
    thanks = await telegram.send_text(group, user, "cảm ơn bot", reply_to=answer.result)
    _, intro = await ask(telegram, group, user, "bạn là ai?", reply_to=answer.result)
    assert intro.result["text"].startswith("Chào bạn! Mình là Tra Cứu") and "reply_markup" not in intro.params
    _, again = await ask(telegram, group, user, f"/ask {BORDER_QUESTION}")  # answered after the thanks' turn
    assert "2.300 km" in again.result["text"]
    later = telegram.calls[since:]
    assert not [c for c in later if c.params.get("reply_parameters", {}).get("message_id") == thanks["message_id"]]
    assert len([c for c in later if c.method == "sendChatAction"]) == 1  # the /ask's: the thanks began no search
    _, told = await ask(telegram, group, user, "/ask cảm ơn")  # a command is always answered
    assert told.result["text"] == THANKS_VI


@pytest.mark.asyncio
async def test_a_call_with_nothing_asked_is_introduced_and_tags_alone_have_no_words(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(6604)
    chat = telegram.private_chat(user)
    for call in ("cả nhà ơi", "ad ơi"):  # told "there are no words in that message to look up"
        _, intro = await ask(telegram, chat, user, call)
        assert intro.result["text"].startswith("Chào bạn! Mình là Tra Cứu"), call
    _, tags = await ask(telegram, chat, user, "<b></b>")  # searched as "b b", it quoted a weather report
    assert tags.result["text"].startswith("Tin nhắn này không có chữ nào") and "reply_markup" not in tags.params
    # a question typed in decomposed form is as long as it shows: it was refused as over the limit
    long = "Theo bài báo mình vừa đọc về hợp tác giữa hai nước láng giềng, " * 14 + BORDER_QUESTION
    assert len(long) < 1000 < len(unicodedata.normalize("NFD", long))
    _, said = await ask(telegram, chat, user, unicodedata.normalize("NFD", long))
    assert "quá dài" not in said.result["text"]
