"""Characters that hide, reorder or ring: in a paragraph, a file name or a question they never reach a
Telegram message, and a question with an invisible character inside a word is answered as if it had none.
Real bot and library; only Telegram is fake."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.collection_fixtures import final_of, upload
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import ask

pytestmark = pytest.mark.asyncio

HIDDEN = ("\u202e", "\u2066", "\x07")  # right-to-left override, left-to-right isolate, bell


async def test_bidi_and_bell_in_a_paragraph_reach_neither_the_admin_nor_readers(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    body = ("Cột mốc biên giới số một\n\nCột mốc\u202e số 1 trên biên giới\u2066 Việt Nam Lào\x07 nằm ở tỉnh Điện "
            "Biên, được xây dựng năm 2008 bằng đá granite <b>đậm</b>.\n")
    done = await final_of(telegram, await upload(telegram, "bidi.txt", body.encode()))
    assert done.startswith("✅") and "<blockquote>Cột mốc số 1 trên biên giới Việt Nam Lào nằm ở tỉnh Điện" in done
    assert "&lt;b&gt;đậm&lt;/b&gt;" in done and not any(char in done for char in HIDDEN)

    reader = telegram.user(2301)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, "Cột mốc số 1\u202e nằm ở tỉnh nào?")
    answer = reply.result["text"]
    assert "Việt Nam Lào nằm ở tỉnh Điện Biên" in answer and "Cột mốc số 1 nằm ở tỉnh nào?" in answer
    assert not any(char in answer for char in HIDDEN)
