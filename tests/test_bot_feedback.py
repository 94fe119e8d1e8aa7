"""Feedback through the fake Bot API: votes under answers, and /gaps telling admins what is missing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.admins.gaps import group
from bot.store import QuestionCount, SQLiteStateStore
from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask, buttons
from tests.test_bot_inline import rejected

PHO = "Cách nấu phở bò ngon tại nhà?"
PHO_AGAIN = "cách nấu phở bò ngon"
GOLD = "Giá vàng hôm nay bao nhiêu?"


async def press(telegram: FakeTelegram, message: dict, data: str, user: dict) -> dict:
    since = telegram.mark()
    query_id = await telegram.press(message, data, user)
    answer = await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id, since
    )
    return answer.params


def test_near_duplicate_questions_are_one_group() -> None:
    gaps = group([QuestionCount(PHO, 3, 10.0), QuestionCount(GOLD, 2, 20.0), QuestionCount(PHO_AGAIN, 1, 30.0)])
    assert [(g.question, g.count, g.variants) for g in gaps] == [(PHO, 4, (PHO_AGAIN,)), (GOLD, 2, ())]


@pytest.mark.asyncio
async def test_votes_and_unanswered_questions_reach_the_admins_gaps(
    start_bot: StartBot, telegram: FakeTelegram, tmp_path: Path
) -> None:
    store = SQLiteStateStore(tmp_path / "feedback.sqlite")
    admin = telegram.user(ADMIN_ID, "Admin")
    admin_chat = telegram.private_chat(admin)
    await start_bot(store=store)
    user = telegram.user(5001)
    chat = telegram.private_chat(user)
    group_chat = telegram.group_chat(-100500)
    for where, question in [(group_chat, f"/ask {PHO_AGAIN}"), (chat, PHO), (chat, GOLD)]:
        await ask(telegram, where, user, question)

    _, answer = await ask(telegram, chat, user, BORDER_QUESTION)
    votes = [d for d in buttons(answer) if d.startswith("v:")]
    assert len(votes) == 2 and all(len(d.encode()) <= 64 for d in votes)
    up, down = votes
    assert "👎" in (await press(telegram, answer.result, down, user))["text"]
    assert "👍" in (await press(telegram, answer.result, up, user))["text"]  # changed its mind
    changed = await press(telegram, answer.result, down, user)
    assert "Đã đổi" in changed["text"] and not changed.get("show_alert")
    stranger = await press(telegram, answer.result, up, telegram.user(5002))
    assert "hết hạn" in stranger["text"] and stranger["show_alert"] is True

    _, refused = await ask(telegram, chat, user, "/gaps")
    assert "quản trị" in refused.params["text"]
    # readers' private questions are never posted in a group, even for an admin's /gaps there
    telegram.admins[group_chat["id"]] = {admin["id"]}
    _, in_group = await ask(telegram, group_chat, admin, f"/gaps@{BOT_USER['username']}")
    assert "chat riêng" in in_group.params["text"] and PHO not in in_group.params["text"]
    _, report = await ask(telegram, admin_chat, admin, "/gaps 7")
    shown = report.result["text"]
    assert "2× " + PHO in shown and "+1 cách hỏi tương tự" in shown and "1× " + GOLD in shown
    assert "1× " + BORDER_QUESTION in shown.split("👎", 1)[1]

    since = telegram.mark()
    await telegram.send_text(admin_chat, admin, "/gaps csv")
    sent = await telegram.wait_for(lambda c: c.method == "sendDocument" and c.error is None, since)
    name, content = telegram.files[sent.result["document"]["file_id"]]
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert name.endswith(".csv") and len(rows) == 3
    assert (rows[0]["kind"], rows[0]["count"], rows[0]["question"], rows[0]["variants"]) == (
        "unanswered", "2", PHO, PHO_AGAIN
    )
    assert rows[2]["kind"] == "downvoted" and rows[2]["question"] == BORDER_QUESTION
    # privacy: questions and votes are kept without who asked (STORE_USER_IDS is off)
    kept = store._run("SELECT DISTINCT chat_type, user_id FROM unanswered ORDER BY chat_type")
    assert kept == [("private", None), ("supergroup", None)]
    assert store._run("SELECT COUNT(*) FROM votes WHERE user_id IS NOT NULL OR voter LIKE '%5001%'") == [(0,)]
    assert not rejected(telegram)


@pytest.mark.asyncio
async def test_the_same_vote_pressed_again_is_not_thanked_for_again(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot()
    group, lan, minh = telegram.group_chat(-100501), telegram.user(5003), telegram.user(5004, language_code="en")
    _, answer = await ask(telegram, group, lan, f"/ask {BORDER_QUESTION}")
    message = telegram.messages[(group["id"], answer.result["message_id"])]
    up, down = [d for d in buttons(answer) if d.startswith("v:")]
    said = [(await press(telegram, message, data, who))["text"] for data, who in
            [(down, lan), (down, lan), (down, minh), (up, lan), (up, lan)]]
    # was: "Thanks! Recorded 👎, the admins will look at this question." again, as if counted twice
    assert said == ["Cảm ơn bạn! Đã ghi nhận 👎, quản trị viên sẽ xem lại câu hỏi này.",
                    "Bạn đã chấm 👎 cho câu trả lời này rồi.",
                    "Thanks! Recorded 👎, the admins will look at this question.",  # another member's vote
                    "Đã đổi đánh giá thành 👍.", "Bạn đã chấm 👍 cho câu trả lời này rồi."]
