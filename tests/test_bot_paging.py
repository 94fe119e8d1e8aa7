"""Paging an answer, inline cards, follows in groups and photos with a question: what readers see."""

from __future__ import annotations

import io
import logging
import re
import time

import pytest
from PIL import Image
from telegram.ext import Application

from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import ask, buttons
from tests.test_bot_inline import rejected
from tests.test_security import is_expired, press

pytestmark = pytest.mark.asyncio

# one paragraph passes the gate on its own, two weaker ones wait behind "more"
ONE_FIRST = "Hiệp ước Hữu nghị và Hợp tác Việt Nam - Lào ký năm nào?"
BROAD = "Quan hệ hợp tác Việt Nam - Lào"  # several paragraphs answer it


def page_of(telegram: FakeTelegram, chat_id: int, message: dict) -> str:
    return telegram.messages[(chat_id, message["message_id"])]["text"]


async def test_more_results_open_when_the_first_page_shows_fewer_than_a_page(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(7101)
    _, reply = await ask(telegram, telegram.private_chat(user), user, ONE_FIRST)
    found = re.search(r"Kết quả 1 / (\d+)", reply.result["text"])
    assert found and int(found[1]) > 1  # one quote passes, the weaker ones wait behind "more results"
    [more] = [d for d in buttons(reply) if d.startswith("m:")]
    answered, _ = await press(telegram, reply.result, more, user)
    # it said the search had expired, seconds after the answer: the weaker results could never be read
    assert not is_expired(answered)
    assert re.search(rf"Kết quả 2–\d+ / {found[1]}", page_of(telegram, user["id"], reply.result))
    # the weaker ones are said to be, on the first page and where they start: they read as answers
    assert f"{int(found[1]) - 1} đoạn sau liên quan ít hơn" in reply.params["text"]
    later = page_of(telegram, user["id"], reply.result)
    assert later.index("các đoạn dưới đây liên quan ít hơn") < later.index("2. ")
    shown = telegram.messages[(user["id"], reply.result["message_id"])]
    await press(telegram, shown, more, user)  # a double tap: the page asked for is already shown
    assert not rejected(telegram)  # redrawn as it was, Telegram refused it: "message is not modified"


async def test_an_answers_pages_keep_their_size_when_the_setting_changes(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(7102)
    chat = telegram.private_chat(user)
    _, reply = await ask(telegram, chat, user, BROAD)
    first = reply.result["text"]
    assert "Kết quả 1–3 / " in first
    _, menu = await ask(telegram, chat, user, "/settings")
    await press(telegram, menu.result, "s:k:1", user)
    [more] = [d for d in buttons(reply) if d.startswith("m:")]
    answered, _ = await press(telegram, reply.result, more, user)
    # it paged by the new setting: "2–2", a quote already shown on the first page
    assert not is_expired(answered)
    assert "Kết quả 4–" in page_of(telegram, user["id"], reply.result)


async def test_forged_page_sizes_are_refused(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(7103)
    _, reply = await ask(telegram, telegram.private_chat(user), user, BROAD)
    key = buttons(reply)[0].split(":")[1]
    for forged in (f"m:{key}:1:0:3", f"m:{key}:1:99:3"):
        answered, sent = await press(telegram, reply.result, forged, user)
        assert is_expired(answered) and not sent, forged


async def test_inline_offers_only_the_quotes_a_chat_answer_shows_first(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(7104)
    _, reply = await ask(telegram, telegram.private_chat(user), user, ONE_FIRST)
    assert re.search(r"Kết quả 1 / [2-9]", reply.result["text"])
    answer = await telegram.wait_inline(await telegram.inline(user, ONE_FIRST))
    # a card picked is posted as the bot's quote: the two weaker paragraphs were offered as answers too
    assert len(answer.params["results"]) == 1 and not answer.params.get("next_offset")


async def test_following_in_a_group_points_to_the_private_chat(bot: Application, telegram: FakeTelegram) -> None:
    user, group = telegram.user(7105), telegram.group_chat(-7105)
    for command in ("/following", "/unfollow 1"):
        _, said = await ask(telegram, group, user, command)
        # it looked up the group's follows, never anyone's, and said there were none
        assert "chat riêng với bot" in said.params["text"] and "/following" in said.params["text"]


async def test_a_readers_photo_with_a_typed_question_is_answered(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(7106)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(picture, "JPEG")
    since = telegram.mark()
    message = await telegram.send_photo(telegram.private_chat(user), user, picture.getvalue(),
                                        caption="Đường biên giới Việt Nam - Lào dài bao nhiêu km?")
    reply = await telegram.wait_reply(message, since)
    # it was told to type the question it had typed
    assert "2.300 km" in reply.params["text"]


async def test_a_question_put_under_a_readers_photo_by_an_edit_is_answered(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(7109)
    chat = telegram.private_chat(user)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(picture, "JPEG")
    since = telegram.mark()
    message = await telegram.send_photo(chat, user, picture.getvalue())
    assert "chỉ hiểu câu hỏi bằng chữ" in (await telegram.wait_reply(message, since)).params["text"]
    # told to type the question, the reader typed it under the photo: no reply at all, as a typed edit got one
    since = telegram.mark()
    await telegram.push("edited_message", dict(message, caption="Đường biên giới Việt Nam - Lào dài bao nhiêu km?",
                                               edit_date=int(time.time())))
    assert "2.300 km" in (await telegram.wait_reply(message, since)).params["text"]
    since = telegram.mark()  # its "?" taken away, or thanks in its place: nothing new asked, as in a typed edit
    await telegram.push("edited_message", dict(message, caption="Đường biên giới Việt Nam - Lào dài bao nhiêu km",
                                               edit_date=int(time.time())))
    await telegram.push("edited_message", dict(message, caption="cảm ơn", edit_date=int(time.time())))
    later = await telegram.send_text(chat, user, "Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?")
    await telegram.wait_reply(later, since)
    assert len([c for c in telegram.calls[since:] if c.method == "sendMessage"]) == 1


async def test_a_readers_file_or_clip_with_a_question_under_it_is_answered(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(7109)
    chat = telegram.private_chat(user)
    question = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
    asked = await telegram.send_document(chat, user, "anh-chup.pdf", b"%PDF-1.4", caption=question)
    assert "2.300 km" in (await telegram.wait_reply(asked)).params["text"]  # was: only admins add files
    plain = await telegram.send_document(chat, user, "anh-2.pdf", b"%PDF-1.4", caption=question.rstrip("?"))
    assert "2.300 km" in (await telegram.wait_reply(plain)).params["text"]  # asked, though without its "?"
    # a caption that names the file is what an admin would title it with: the reader meant to add it
    titled = await telegram.send_document(chat, user, "qd.pdf", b"%PDF-1.4", caption="Quyết định 12/2024")
    assert "Chỉ quản trị viên mới thêm được" in (await telegram.wait_reply(titled)).params["text"]
    # an album of files with the question on the first: one answer, and no "only admins" for the others
    since = telegram.mark()
    album = [await telegram.send_document(chat, user, f"trang-{n}.pdf", b"%PDF-1.4", caption=question if n == 1
                                          else None, album="r1") for n in (1, 2, 3)]
    await telegram.wait_reply(album[0], since)
    _, after = await ask(telegram, chat, user, question)  # answered after whatever the album was told
    assert "2.300 km" in after.result["text"]
    replied = [c for c in telegram.calls[since:] if c.method == "sendMessage"]
    assert len(replied) == 2 and not any("Chỉ quản trị viên" in c.params["text"] for c in replied)
    clip = telegram._message(chat, user, None, None)
    clip["video"] = {"file_id": "v1", "file_unique_id": "v1", "width": 64, "height": 64, "duration": 3}
    clip["caption"] = question
    sent = await telegram.push("message", clip)
    assert "2.300 km" in (await telegram.wait_reply(sent)).params["text"]  # was: questions are typed
    # in a group, a file with the bot named under it, as a screenshot is: it got no reply
    group = telegram.group_chat(-7109)
    shared = await telegram.send_document(group, user, "bao-cao.pdf", b"%PDF-1.4",
                                          caption=f"@{BOT_USER['username']} {question}")
    assert "2.300 km" in (await telegram.wait_reply(shared)).params["text"]


async def test_a_readers_file_with_a_question_keeps_its_place_among_the_chats_answers(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(7110)
    chat = telegram.private_chat(user)
    since = telegram.mark()
    asked = await telegram.send_document(chat, user, "anh-chup.pdf", b"%PDF-1.4",
                                         caption="Đường biên giới Việt Nam - Lào dài bao nhiêu km?")
    thanks = await telegram.send_text(chat, user, "cảm ơn")
    await telegram.wait_reply(thanks, since)
    # the file's question waited on a store read before its place was kept: the thanks was answered first
    assert [c for c in telegram.calls[since:] if c.method == "sendMessage"
            and (c.params.get("reply_parameters") or {}).get("message_id") == asked["message_id"]]


@pytest.mark.parametrize(("caption", "said"), [
    ("/ask Đường biên giới Việt Nam - Lào dài bao nhiêu km?", "2.300 km"),  # "/ask" was searched with it
    (f"/ask@{BOT_USER['username']} Đường biên giới Việt Nam - Lào dài bao nhiêu km?", "2.300 km"),
    ("/help", "chỉ hiểu câu hỏi bằng chữ"),  # a command is no question: quotes were looked up for "help"
])
async def test_a_command_under_a_readers_photo_is_not_searched_as_its_words(
    bot: Application, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture, caption: str, said: str
) -> None:
    user = telegram.user(7107)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(picture, "JPEG")
    with caplog.at_level(logging.WARNING):
        message = await telegram.send_photo(telegram.private_chat(user), user, picture.getvalue(), caption=caption)
        reply = await telegram.wait_reply(message)
    assert said in reply.params["text"]
    assert not [r for r in caplog.records if "7107" in r.getMessage()]  # a reader's photo logged their id


async def test_a_photo_in_a_group_is_answered_when_its_caption_asks_the_bot(
    bot: Application, telegram: FakeTelegram
) -> None:
    user, group = telegram.user(7108), telegram.group_chat(-7108)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(picture, "JPEG")
    question = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
    for caption in (f"@{BOT_USER['username']} {question}", f"/ask {question}"):  # no reply at all, before
        message = await telegram.send_photo(group, user, picture.getvalue(), caption=caption)
        reply = await telegram.wait_reply(message)
        assert "2.300 km" in reply.params["text"], caption
    # the group's own talk under a photo is not the bot's: the next answer is to the question after it
    since = telegram.mark()
    await telegram.send_photo(group, user, picture.getvalue(), caption=question)
    later = await telegram.send_text(group, user, f"/ask {question}")
    await telegram.wait_reply(later, since)
    assert len([c for c in telegram.calls[since:] if c.method == "sendMessage"]) == 1


async def test_a_groups_answer_pages_in_the_language_it_was_written_in(
    bot: Application, telegram: FakeTelegram
) -> None:
    lan, john = telegram.user(7109), telegram.user(7110, "John", "en")
    group = telegram.group_chat(-7109)
    message = await telegram.send_text(group, lan, f"/ask {BROAD}")
    reply = await telegram.wait_reply(message)
    [more] = [d for d in buttons(reply) if d.startswith("m:")]
    since = telegram.mark()
    answered, _ = await press(telegram, reply.result, more, john)
    assert not is_expired(answered)
    [edited] = [c for c in telegram.calls[since:] if c.method == "editMessageText" and c.error is None]
    # the whole group's message was rewritten in English for everyone when John pressed
    assert "Kết quả" in edited.params["text"] and "Results" not in edited.params["text"]
