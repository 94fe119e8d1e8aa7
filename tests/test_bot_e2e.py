"""End to end: the real bot and the real library, over HTTP, against the fake Bot API server."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

import pytest
from telegram.ext import Application

from retriever.errors import IndexCorruptError
from retriever.models import BuildProgress
from tests.bot_fixtures import ADMIN_ID, BotLibrary, StartBot
from tests.fake_telegram import BOT_USER, Call, FakeTelegram

pytestmark = pytest.mark.asyncio

BORDER_QUESTION = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
BORDER_TITLE = "Ngoại giao đóng góp to lớn cho quan hệ hữu nghị vĩ đại Lào - Việt Nam"
OFF_TOPIC = "Cách nấu phở bò ngon tại nhà?"
BOT_NAME = BOT_USER["username"]


async def ask(
    telegram: FakeTelegram, chat: dict, user: dict, text: str, **kwargs: object
) -> tuple[dict, Call]:
    since = telegram.mark()
    message = await telegram.send_text(chat, user, text, **kwargs)
    return message, await telegram.wait_reply(message, since)


def buttons(call: Call) -> list[str]:
    return [b["callback_data"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row]


async def test_private_question_is_answered_with_the_quote_and_its_source(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(1001)
    chat = telegram.private_chat(user)
    _, reply = await ask(telegram, chat, user, BORDER_QUESTION)

    html = reply.params["text"]
    assert "2.300 km" in reply.result["text"]
    assert BORDER_TITLE in reply.result["text"]
    assert "<blockquote" in html and "<b>" in html
    assert reply.params["parse_mode"] == "HTML"
    typing = [c for c in telegram.sent("sendChatAction") if int(c.params["chat_id"]) == chat["id"]]
    assert typing and typing[0].params["action"] == "typing"
    assert telegram.calls.index(typing[0]) < telegram.calls.index(reply)
    assert all(len(d.encode()) <= 64 for d in buttons(reply))


async def test_commands_are_registered_at_start_up(bot: Application, telegram: FakeTelegram) -> None:
    default = [c["command"] for c in telegram.commands['{"type": "default"}|']]
    assert default == ["start", "help", "ask", "sources", "settings", "follow", "following", "unfollow"]
    assert telegram.commands['{"type": "default"}|en'][2]["description"] == "Ask a question"
    admin = telegram.commands[f'{{"chat_id": {ADMIN_ID}, "type": "chat"}}|']
    assert {"stats", "reindex"} <= {c["command"] for c in admin}


async def test_more_results_then_full_article_then_expired_button(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(1002)
    chat = telegram.private_chat(user)
    _, reply = await ask(telegram, chat, user, "Quan hệ hợp tác Việt Nam - Lào")
    answer = reply.result
    more = next(d for d in buttons(reply) if d.startswith("m:"))

    since = telegram.mark()
    query_id = await telegram.press(answer, more, user)
    edit = await telegram.wait_for(lambda c: c.method == "editMessageText" and c.error is None, since)
    assert int(edit.params["message_id"]) == answer["message_id"]
    assert "Kết quả 4–" in edit.params["text"]
    await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id
    )

    article_button = next(d for d in buttons(edit) if d.startswith("a:"))
    since = telegram.mark()
    query_id = await telegram.press(
        telegram.messages[(chat["id"], answer["message_id"])], article_button, user
    )
    await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id
    )
    parts = [c for c in telegram.calls[since:] if c.method == "sendMessage" and c.error is None]
    assert parts and parts[0].params["text"].startswith("<b>")
    since = telegram.mark()  # pressed again (a double tap, or another member in a group): not sent twice
    query_id = await telegram.press(
        telegram.messages[(chat["id"], answer["message_id"])], article_button, user
    )
    told = await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id
    )
    assert "đã được gửi" in told.params["text"]
    assert not [c for c in telegram.calls[since:] if c.method == "sendMessage"]

    since = telegram.mark()
    query_id = await telegram.press(answer, "m:ffff:1", user)
    expired = await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)
    assert "hết hạn" in expired.params["text"] and expired.params["show_alert"] is True


async def test_off_topic_question_quotes_nothing(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(1003)
    _, reply = await ask(telegram, telegram.private_chat(user), user, OFF_TOPIC)
    assert "Không tìm thấy đoạn nào" in reply.params["text"]
    assert "<blockquote" not in reply.params["text"]


async def test_html_in_the_question_is_escaped(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(1004)
    question = "Đường biên giới Việt Nam & Lào dài bao nhiêu <b>km</b>? <script>"
    _, reply = await ask(telegram, telegram.private_chat(user), user, question)
    assert "Việt Nam &amp; Lào dài bao nhiêu &lt;b&gt;km&lt;/b&gt;? &lt;script&gt;" in reply.params["text"]
    assert question in reply.result["text"]  # shown to the user exactly as typed


async def test_very_long_question_is_refused_politely(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(1005)
    _, reply = await ask(telegram, telegram.private_chat(user), user, "biên giới " * 400)
    assert "quá dài" in reply.params["text"]


async def test_other_input_gets_hints_and_an_edited_question_is_answered_again(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(1006, language_code="en-GB")
    chat = telegram.private_chat(user)
    since = telegram.mark()
    sticker = await telegram.send_sticker(chat, user)
    assert "only understand questions" in (await telegram.wait_reply(sticker, since)).params["text"]
    _, unknown = await ask(telegram, chat, user, "/frobnicate")
    assert "/help" in unknown.params["text"]
    question, first = await ask(telegram, chat, user, "Đường biên giới Việt Nam - Lào dài bao nhiêu dặm?")
    since = telegram.mark()
    await telegram.edit_text(question, BORDER_QUESTION)
    again = await telegram.wait_reply(question, since)  # the corrected question, answered under it
    assert again is not first and BORDER_QUESTION in again.params["text"] and "2.300 km" in again.params["text"]
    await telegram.edit_text(question, f"{BORDER_QUESTION} ")  # nothing changed: each got a second answer
    await telegram.edit_text(question, BORDER_QUESTION.rstrip("?"))  # only its "?" taken away
    await ask(telegram, chat, user, "Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?")  # searched as long
    await telegram.edit_text(question, "cảm ơn")  # thanks under the answer is no new question
    _, help_reply = await ask(telegram, chat, user, "/help")
    assert "In groups" in help_reply.params["text"]
    replies = [
        c
        for c in telegram.sent()
        if c.params.get("reply_parameters", {}).get("message_id") == question["message_id"]
    ]
    assert replies == [first, again]


async def test_a_gif_is_no_file_to_add(bot: Application, telegram: FakeTelegram) -> None:
    reader, admin = telegram.user(1010, language_code="en"), telegram.user(ADMIN_ID, "Admin", "en")
    for user in (reader, admin):
        chat = telegram.private_chat(user)
        since = telegram.mark()
        gif = await telegram.send_animation(chat, user)
        # was told only admins add files (a reader), or that "giphy.mp4" is no file type it reads (an admin)
        assert "only understand questions" in (await telegram.wait_reply(gif, since)).params["text"]
        since = telegram.mark()
        gif = await telegram.send_animation(chat, user, caption=BORDER_QUESTION)
        assert "2.300 km" in (await telegram.wait_reply(gif, since)).params["text"]
    since = telegram.mark()  # an admin forwards a channel's GIF: a post without words, not an unreadable file
    channel = {"id": -1001011, "type": "channel", "title": "Kênh tin"}
    gif = await telegram.send_animation(telegram.private_chat(admin), admin,
                                        forward_origin={"type": "channel", "chat": channel, "message_id": 3, "date": 1})
    assert "has no text" in (await telegram.wait_reply(gif, since)).params["text"]


async def test_group_chatter_is_ignored_and_addressed_questions_are_replies(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(1007)
    group = telegram.group_chat(-100123)
    since = telegram.mark()
    chatter = [
        await telegram.send_text(group, user, "Chào cả nhà, hôm nay trời đẹp quá"),
        await telegram.send_text(group, user, "/ask@OtherBot câu hỏi cho bot khác"),
        await telegram.send_text(group, user, "/frobnicate"),
    ]
    asked, reply = await ask(telegram, group, user, f"/ask@{BOT_NAME} {BORDER_QUESTION}")
    assert "2.300 km" in reply.result["text"]
    _, usage = await ask(telegram, group, user, "/ask")
    assert "/ask" in usage.params["text"]
    _, follow_up = await ask(telegram, group, user, "Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?",
                             reply_to=reply.result)  # fmt: skip
    assert "1962" in follow_up.result["text"]
    chatter_ids = {m["message_id"] for m in chatter}
    answered = {c.params.get("reply_parameters", {}).get("message_id") for c in telegram.calls[since:]}
    assert not chatter_ids & answered


async def test_mention_in_a_forum_topic_is_answered_in_that_topic(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(1008)
    forum = telegram.group_chat(-100456, forum=True)
    _, reply = await ask(telegram, forum, user, f"@{BOT_NAME} {BORDER_QUESTION}", thread_id=42)
    assert int(reply.params["message_thread_id"]) == 42
    assert "2.300 km" in reply.result["text"]


async def test_rate_limit_per_user(start_bot: StartBot, telegram: FakeTelegram) -> None:
    from telegram import Update

    application = await start_bot(rate_limit_per_minute=2)
    user = telegram.user(1009)
    chat = telegram.private_chat(user)
    for _ in range(2):
        await ask(telegram, chat, user, OFF_TOPIC)
    _, limited = await ask(telegram, chat, user, OFF_TOPIC)
    assert "thử lại sau" in limited.params["text"]
    # over the limit, thanks and over-long messages got a reply each, and so did every question, a notice
    since = telegram.mark()
    for words in ("cảm ơn", "x " * 2000, OFF_TOPIC, OFF_TOPIC):
        message = telegram._message(chat, user, None, None) | {"text": words}
        await application.process_update(Update.de_json(telegram.make_update("message", message), application.bot))
    assert not [c for c in telegram.calls[since:] if c.method == "sendMessage"]


async def test_many_users_at_once_and_transient_telegram_errors(
    bot: Application, telegram: FakeTelegram
) -> None:
    telegram.fail_next("sendMessage", 502)
    telegram.fail_next("sendMessage", 429, retry_after=1)
    users = [telegram.user(2000 + i) for i in range(6)]
    replies = await asyncio.gather(
        *(ask(telegram, telegram.private_chat(u), u, BORDER_QUESTION) for u in users)
    )
    assert all("2.300 km" in reply.result["text"] for _, reply in replies)


class FlakyLibrary:
    """The real library, except that the first search blows up."""

    def __init__(self, real: object) -> None:
        self._real = real
        self.failed = False

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def search_many(self, questions: list[str], k: int) -> object:
        if not self.failed:
            self.failed = True
            raise RuntimeError("simulated failure")
        return self._real.search_many(questions, k)


async def test_a_handler_error_is_logged_once_and_the_bot_keeps_answering(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot(library=FlakyLibrary(bot_library.library))
    user = telegram.user(1010)
    chat = telegram.private_chat(user)
    since = telegram.mark()
    with caplog.at_level(logging.ERROR, logger="bot"):
        await telegram.send_text(chat, user, BORDER_QUESTION)
        thanks = await telegram.send_text(chat, user, "cảm ơn")  # at once, while the question fails
        await telegram.wait_reply(thanks, since)
    said = [c.params["text"] for c in telegram.calls[since:] if c.method == "sendMessage" and c.error is None]
    # the apology first: sent after the thanks was answered, and quoting nothing, it read as said of the thanks
    assert len(said) == 2 and "Xin lỗi" in said[0]
    assert len([r for r in caplog.records if "unhandled error" in r.getMessage()]) == 1
    _, reply = await ask(telegram, chat, user, BORDER_QUESTION)
    assert "2.300 km" in reply.result["text"]


async def test_sources_and_admin_stats(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(1011)
    _, sources = await ask(telegram, telegram.private_chat(user), user, "/sources")
    assert BORDER_TITLE in sources.result["text"] and "đoạn" in sources.result["text"]
    _, refused = await ask(telegram, telegram.private_chat(user), user, "/stats")
    assert "quản trị" in refused.params["text"]
    admin = telegram.user(ADMIN_ID, "Admin")
    _, stats = await ask(telegram, telegram.chats[ADMIN_ID], admin, "/stats")
    assert "Bài báo:" in stats.params["text"] and "p50" in stats.params["text"]


async def test_non_admin_reindex_is_refused(
    bot: Application, telegram: FakeTelegram, bot_library: BotLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    user = telegram.user(1012)
    with caplog.at_level(logging.WARNING, logger="bot"):
        _, refused = await ask(telegram, telegram.private_chat(user), user, "/reindex")
    assert "quản trị" in refused.params["text"]
    assert not bot_library.library.reindexing
    said = [r.getMessage() for r in caplog.records]
    assert "refused /reindex from someone not in ADMIN_IDS, in a private chat" in said
    assert not [line for line in said if "1012" in line]  # no reader's id, kept without their consent
    assert not telegram.sent("editMessageText")


class FailingReindex(FlakyLibrary):
    def search_many(self, questions: list[str], k: int) -> object:
        return self._real.search_many(questions, k)

    def reindex(self, progress: object = None, wait: bool = False) -> object:
        raise IndexCorruptError("disk full while writing vectors\nsecond line")


async def test_a_failed_reindex_reports_one_line_and_keeps_the_old_index(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    await start_bot(library=FailingReindex(bot_library.library))
    _, status = await ask(telegram, chat, admin, "/reindex")
    final = await telegram.wait_for(
        lambda c: c.method == "editMessageText" and int(c.params["message_id"]) == status.result["message_id"]
    )
    assert (
        "thất bại" in final.params["text"]
        and "disk full while writing vectors" in final.params["text"]
        and "IndexCorruptError" not in final.params["text"]  # said in words, without the exception's name
    )
    assert "second line" not in final.params["text"]
    _, reply = await ask(telegram, chat, admin, BORDER_QUESTION)
    assert "2.300 km" in reply.result["text"]


NEW_ARTICLE = "\n\n".join(
    [
        "Đà Lạt tổ chức Festival Hoa lần thứ 10",
        "Ngày 20/12/2024",
        "Festival Hoa Đà Lạt lần thứ 10 diễn ra từ ngày 21 đến 25 tháng 12 năm 2024 với hơn 100 hoạt động "
        "văn hóa, du lịch và trưng bày hoa tại nhiều điểm trong thành phố.",
        "Ban tổ chức cho biết năm nay có hơn 500 nghìn chậu hoa được sắp đặt dọc bờ hồ Xuân Hương, "
        "thu hút đông đảo du khách trong và ngoài nước đến tham quan.",
        "Theo: Báo Lâm Đồng",
    ]
)


class GatedLibrary(FlakyLibrary):
    """The real library whose reindex waits for the test, so it is provably still running."""

    def __init__(self, real: object) -> None:
        super().__init__(real)
        self.entered = threading.Event()
        self.gate = threading.Event()

    def search_many(self, questions: list[str], k: int) -> object:
        return self._real.search_many(questions, k)

    def reindex(self, progress: Callable[[BuildProgress], None] | None = None, wait: bool = False) -> object:
        def gated(event: BuildProgress) -> None:
            # the real build holds the library's reindex lock while it waits here
            if not self.entered.is_set():
                self.entered.set()
                self.gate.wait(30)
            if progress is not None:
                progress(event)

        return self._real.reindex(gated, wait=wait)


async def test_admin_reindex_picks_up_a_new_article_while_questions_are_answered(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    library = GatedLibrary(bot_library.library)
    admin = telegram.user(ADMIN_ID, "Admin")
    admin_chat = telegram.private_chat(admin)
    await start_bot(library=library, progress_interval=0.2)
    (bot_library.data_dir / "900_festival_hoa.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    _, status = await ask(telegram, admin_chat, admin, "/reindex")
    assert "Bắt đầu" in status.params["text"]
    assert await asyncio.to_thread(library.entered.wait, 10)

    user = telegram.user(1013)
    chat = telegram.private_chat(user)
    _, during = await ask(telegram, chat, user, BORDER_QUESTION)
    assert "2.300 km" in during.result["text"]
    _, busy = await ask(telegram, admin_chat, admin, "/reindex")
    assert "Đang cập nhật chỉ mục rồi" in busy.params["text"]

    library.gate.set()
    final = await telegram.wait_for(
        lambda c: c.method == "editMessageText" and "Đã cập nhật" in c.params["text"], timeout=60
    )
    assert int(final.params["message_id"]) == status.result["message_id"]
    assert "thêm 1" in final.params["text"]
    _, reply = await ask(telegram, chat, user, "Festival Hoa Đà Lạt lần thứ 10 diễn ra khi nào?")
    assert "21 đến 25 tháng 12 năm 2024" in reply.result["text"]


async def test_two_reindex_commands_sent_together_start_one_build(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    await start_bot(library=bot_library.library)
    first = await telegram.send_text(chat, admin, "/reindex")
    second = await telegram.send_text(chat, admin, "/reindex")
    said = [(await telegram.wait_reply(message)).params["text"] for message in (first, second)]
    # both were accepted while the first one's status was being sent, and both ran
    assert sorted("Bắt đầu" in line for line in said) == [False, True]
    assert any("Đang cập nhật chỉ mục rồi" in line for line in said)
    await telegram.wait_for(lambda c: c.method == "editMessageText" and "✅" in c.params["text"], timeout=60)
