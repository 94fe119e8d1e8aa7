"""A hostile user's view: forged and foreign buttons, floods from one button, the token in any output."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.store import SQLiteStateStore
from retriever.models import Article, ArticleInfo
from tests.bot_fixtures import BotLibrary, StartBot, stop_bot
from tests.conftest import ROOT, SeedDirs
from tests.fake_telegram import Call, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask, buttons

pytestmark = pytest.mark.asyncio

QUESTION = "Quan hệ hợp tác Việt Nam - Lào"


async def press(telegram: FakeTelegram, message: dict, data: str, user: dict) -> tuple[Call, list[Call]]:
    """Press a button; the callback answer, and whatever else the bot called meanwhile."""
    since = telegram.mark()
    query_id = await telegram.press(message, data, user)
    answered = await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id, since
    )
    return answered, [c for c in telegram.calls[since:] if c is not answered and c.error is None]


def is_expired(answered: Call) -> bool:
    return "hết hạn" in answered.params.get("text", "") and answered.params["show_alert"] is True


def key_of(reply: Call) -> str:
    return buttons(reply)[0].split(":")[1]


async def test_another_users_search_cannot_be_read_with_a_forged_button(
    bot: Application, telegram: FakeTelegram
) -> None:
    alice, mallory = telegram.user(3001, "Alice"), telegram.user(3002, "Mallory")
    _, alice_reply = await ask(telegram, telegram.private_chat(alice), alice, QUESTION)
    _, own_reply = await ask(telegram, telegram.private_chat(mallory), mallory, BORDER_QUESTION)
    stolen = key_of(alice_reply)
    assert len(stolen) >= 12  # unguessable, and yet ownership is what protects it

    # Mallory's own message with Alice's key in the data: another chat
    answered, sent = await press(telegram, own_reply.result, f"m:{stolen}:1", mallory)
    assert is_expired(answered) and not sent
    # Alice's message itself, pressed by someone else: another user of a private answer
    answered, sent = await press(telegram, alice_reply.result, f"a:{stolen}:0", mallory)
    assert is_expired(answered) and not sent


async def test_a_group_answer_serves_the_group_and_no_other(bot: Application, telegram: FakeTelegram) -> None:
    asker, member = telegram.user(3011, "Hà"), telegram.user(3012, "Minh")
    group, other = telegram.group_chat(-3010), telegram.group_chat(-3020, "Nhóm khác")
    _, reply = await ask(telegram, group, asker, f"/ask {QUESTION}")
    more = next(d for d in buttons(reply) if d.startswith("m:"))

    answered, sent = await press(telegram, reply.result, more, member)  # anyone in the group may page
    assert not answered.params.get("text") and [c.method for c in sent] == ["editMessageText"]

    _, elsewhere = await ask(telegram, other, member, f"/ask {BORDER_QUESTION}")
    answered, sent = await press(telegram, elsewhere.result, more, member)
    assert is_expired(answered) and not sent


async def test_forged_page_numbers_are_refused(bot: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(3021)
    _, reply = await ask(telegram, telegram.private_chat(user), user, QUESTION)
    key = key_of(reply)
    for forged in (f"m:{key}:99", f"m:{key}:3", f"a:{key}:99"):
        answered, sent = await press(telegram, reply.result, forged, user)
        assert is_expired(answered) and not sent, forged
    assert telegram.messages[(user["id"], reply.result["message_id"])]["text"] == reply.result["text"]


async def test_buttons_keep_working_after_a_restart_with_the_same_store(
    start_bot: StartBot, telegram: FakeTelegram, tmp_path: Path
) -> None:
    path = tmp_path / "durable.sqlite"
    store = SQLiteStateStore(path)
    first = await start_bot(store=store)
    user = telegram.user(3031)
    _, reply = await ask(telegram, telegram.private_chat(user), user, QUESTION)
    await stop_bot(first)
    store.close()

    await start_bot(store=SQLiteStateStore(path))
    more = next(d for d in buttons(reply) if d.startswith("m:"))
    answered, sent = await press(telegram, reply.result, more, user)
    assert not answered.params.get("text")
    assert [c.method for c in sent] == ["editMessageText"] and "Kết quả 4–" in sent[0].params["text"]


async def test_button_presses_have_a_per_user_budget(start_bot: StartBot, telegram: FakeTelegram) -> None:
    await start_bot(buttons_per_minute=2)
    user = telegram.user(3041)
    _, reply = await ask(telegram, telegram.private_chat(user), user, QUESTION)
    more, back = f"m:{key_of(reply)}:1", f"m:{key_of(reply)}:0"
    for data in (more, back):
        answered, _ = await press(telegram, reply.result, data, user)
        assert not answered.params.get("text")
    answered, sent = await press(telegram, reply.result, more, user)
    assert "bấm nút hơi nhanh" in answered.params["text"] and not sent


class LongArticles:
    """The real library, whose articles are each 2,000 paragraphs long (about a thousand messages)."""

    def __init__(self, real: object) -> None:
        self._real = real

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def article(self, doc_id: int) -> Article | None:
        real = self._real.article(doc_id)  # type: ignore[attr-defined]
        if real is None:
            return None
        # a title as an index built before titles were cleaned may hold it: a right-to-left override
        info: ArticleInfo = replace(real.info, title=real.info.title + "\u202e")
        return Article(info, tuple(f"Đoạn {i}: " + "biên giới Việt Nam - Lào " * 80 for i in range(2000)))


async def test_one_full_article_press_sends_a_few_messages_at_most(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    await start_bot(library=LongArticles(bot_library.library))
    user = telegram.user(3051)
    _, reply = await ask(telegram, telegram.private_chat(user), user, BORDER_QUESTION)
    article = next(d for d in buttons(reply) if d.startswith("a:"))
    answered, sent = await press(telegram, reply.result, article, user)
    assert [c.method for c in sent] == ["sendDocument"]
    filename, content = telegram.files[sent[0].result["document"]["file_id"]]
    assert filename.endswith(".txt")
    body = content.decode()
    assert "Đoạn 0:" in body and "Đoạn 1999:" in body
    assert "tệp văn bản" in sent[0].result["caption"] and "\u202e" not in sent[0].result["caption"]


async def test_the_token_never_appears_when_telegram_rejects_it(
    telegram: FakeTelegram, seed_index: SeedDirs, tmp_path: Path
) -> None:
    secret = "AAWrongTokenThatTelegramRejects_0123456"
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=f"987654321:{secret}",
        TELEGRAM_API_BASE_URL=telegram.base_url,
        DATA_DIR=str(seed_index.data),
        INDEX_DIR=str(seed_index.index),
        STATE_PATH=str(tmp_path / "state.sqlite"),
        HF_HUB_OFFLINE="1",
        NO_PROXY="127.0.0.1",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tracuu.cli", "serve", "-v",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    output = (out + err).decode()
    assert process.returncode != 0
    assert "Traceback" in output and "rejected" in output  # -v: the traceback is there, masked
    assert secret not in output
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("tracuu:") and "TELEGRAM_BOT_TOKEN" in last and "@BotFather" in last


def values_in(path: Path) -> list[object]:
    """Every value of every row of every table of a SQLite file."""
    import sqlite3

    db = sqlite3.connect(path)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = [value for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for value in row]
    db.close()
    return found


async def test_no_telegram_user_id_is_stored_unless_opted_in(start_bot: StartBot, telegram: FakeTelegram,
                                                             tmp_path: Path) -> None:
    """Questions, buttons, votes, settings and rate limits in a private chat and a group: the user's id
    appears nowhere in the state, and the buttons still serve their owner only."""
    path = tmp_path / "state.sqlite"
    await start_bot(store=SQLiteStateStore(path))
    user, other = telegram.user(734_519_286, "Lan"), telegram.user(734_519_287, "Minh")
    chat = telegram.private_chat(user)
    _, reply = await ask(telegram, chat, user, QUESTION)
    answered, _ = await press(telegram, reply.result, f"m:{key_of(reply)}:1", user)
    assert not answered.params.get("text")
    answered, _ = await press(telegram, reply.result, f"m:{key_of(reply)}:1", other)
    assert is_expired(answered)
    await press(telegram, reply.result, f"v:{key_of(reply)}:0", user)
    _, menu = await ask(telegram, chat, user, "/settings")
    await press(telegram, menu.result, "s:k:2", user)
    await ask(telegram, chat, user, "Cách nấu phở bò ngon tại nhà?")  # unanswered: kept for /gaps
    group = telegram.group_chat(-100_555)
    await ask(telegram, group, user, f"/ask {BORDER_QUESTION}")

    values = values_in(path)
    assert values, "the state holds something"
    for uid in (734_519_286, 734_519_287):
        assert not [v for v in values if v == uid or (isinstance(v, str) and str(uid) in v)], uid
    # a vote names its answer by a key of its own: joined with the kept searches (under the asker's
    # pseudonym, 48 hours), the answer's own key linked each person's votes on several answers
    with sqlite3.connect(path) as db:
        assert not db.execute("SELECT 1 FROM votes JOIN searches USING (key)").fetchall()
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone() == (1,)
