"""A chat that changes under the bot: a group upgraded while it is answered, a question edited, a post
forwarded into a group, a status message deleted in a forum topic, an answer in the comments under a channel's
post."""

from __future__ import annotations

import pytest

from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.fake_telegram import BOT_USER, Failure, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION
from tests.test_bot_paging import BROAD
from tests.test_faults import barrier

pytestmark = pytest.mark.asyncio
BOT = BOT_USER["username"]


def _buttons(message: dict) -> list[str]:
    return [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_an_answer_sent_to_the_upgraded_group_keeps_working_buttons(start_bot: StartBot,
                                                                          telegram: FakeTelegram) -> None:
    await start_bot()
    group, member = telegram.group_chat(-7302), telegram.user(7302)
    group["type"] = "group"
    supergroup = telegram.group_chat(-1007302)
    telegram.failures.setdefault("sendMessage", []).append(Failure(
        400, "Bad Request: group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": supergroup["id"]}))
    since = telegram.mark()
    await telegram.send_text(group, member, f"/ask {BROAD}")
    answer = await telegram.wait_for(lambda c: c.method == "sendMessage" and c.error is None
                                     and int(c.params["chat_id"]) == supergroup["id"], since)
    renewed = await telegram.wait_for(lambda c: c.method == "editMessageText" and c.error is None, since)
    shown = telegram.messages[(supergroup["id"], answer.result["message_id"])]
    [more] = [data for data in _buttons(renewed.params) if data.startswith("m:")]
    since = telegram.mark()
    pressed = await telegram.press(shown, more, telegram.user(7303, "Minh"))
    told = await telegram.wait_for(lambda c: c.method == "answerCallbackQuery"
                                   and c.params["callback_query_id"] == pressed, since)
    assert not told.params.get("text")  # no "this search has expired"
    await telegram.wait_for(lambda c: c.method == "editMessageText" and c.error is None, since)


async def test_an_edited_ask_in_a_private_chat_is_answered_again(start_bot: StartBot, telegram: FakeTelegram) -> None:
    await start_bot()
    reader = telegram.user(7330)
    chat = telegram.private_chat(reader)
    since = telegram.mark()
    asked = await telegram.send_text(chat, reader, "/ask Cách nấu phở bò ngon tại nhà?")
    await telegram.wait_reply(asked, since)
    since = telegram.mark()
    await telegram.edit_text(asked, f"/ask {BORDER_QUESTION}")
    again = await telegram.wait_reply(asked, since)
    assert "2.300 km" in again.params["text"]


async def test_a_command_forwarded_into_a_group_gets_no_reply(start_bot: StartBot, telegram: FakeTelegram) -> None:
    await start_bot()
    group, member = telegram.group_chat(-1007370), telegram.user(7370)
    channel = {"id": -1007371, "type": "channel", "title": "Kênh", "username": "kenhtin"}
    telegram.chats[channel["id"]] = channel
    since = telegram.mark()
    for words in (f"/ask@{BOT} Lào có bao nhiêu tỉnh?", f"/help@{BOT}", f"/settings@{BOT}", f"/nothing@{BOT}"):
        forwarded = {**telegram._message(group, member, None, None), "text": words,
                     "entities": telegram.entities_of(words),
                     "forward_origin": {"type": "user", "sender_user": telegram.user(7371, "Minh"), "date": 1}}
        await telegram.push("message", forwarded)
        copied = {**telegram._message(group, telegram.user(777000, "Telegram"), None, None), "text": words,
                  "entities": telegram.entities_of(words), "sender_chat": channel, "is_automatic_forward": True,
                  "forward_origin": {"type": "channel", "chat": channel, "message_id": 5, "date": 1}}
        await telegram.push("message", copied)
    await barrier(telegram, group, member)
    replies = [c for c in telegram.calls[since:] if c.method == "sendMessage" and c.error is None]
    assert len(replies) == 1  # the barrier's own /help


async def test_a_jobs_outcome_stays_in_its_forum_topic(start_bot: StartBot, telegram: FakeTelegram) -> None:
    await start_bot()
    admin = telegram.user(ADMIN_ID, "Admin")
    group = telegram.group_chat(-1007380, "Forum", forum=True)
    since = telegram.mark()
    asked = await telegram.send_text(group, admin, f"/reindex@{BOT}", thread_id=9)
    status = await telegram.wait_reply(asked, since)
    telegram.messages.pop((group["id"], status.result["message_id"]))  # the admin deleted the ⏳ status
    outcome = await telegram.wait_for(lambda c: c.method == "sendMessage" and c is not status and c.error is None
                                      and int(c.params["chat_id"]) == group["id"], since, timeout=60)
    assert outcome.params.get("message_thread_id") == 9


async def test_a_full_article_asked_for_in_a_channel_posts_comments_stays_in_them(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    group, member = telegram.group_chat(-1007390, "Thảo luận"), telegram.user(7390)  # a discussion group
    channel = {"id": -1007391, "type": "channel", "title": "Kênh tin"}
    post = {**telegram._message(group, telegram.user(777000, "Telegram"), None, None), "text": "Tin biên giới",
            "sender_chat": channel, "is_automatic_forward": True}  # the channel's post, copied in
    thread = post["message_id"]  # its comments: replies to it, in a thread that is no forum topic
    since = telegram.mark()
    asked = await telegram.send_text(group, member, f"/ask {BORDER_QUESTION}", reply_to=post, thread_id=thread)
    answer = await telegram.wait_reply(asked, since)
    assert answer.result.get("message_thread_id") == thread
    since = telegram.mark()
    query_id = await telegram.press(answer.result, next(d for d in _buttons(answer.result) if d.startswith("a:")),
                                    member)
    await telegram.wait_for(lambda c: c.method == "answerCallbackQuery"
                            and c.params["callback_query_id"] == query_id, since)
    parts = [c for c in telegram.calls[since:] if c.method == "sendMessage" and c.error is None]
    # sent without a reply, each part went to the group's own chat, under no post, where no one reading the
    # comments sees it
    assert parts and all(part.result.get("message_thread_id") == thread for part in parts)
