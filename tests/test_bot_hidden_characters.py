"""Characters that hide, reorder or ring: in a paragraph, a file name or a question they never reach a
Telegram message, and a question with an invisible character inside a word is answered as if it had none.
Real bot and library; only Telegram is fake."""

from __future__ import annotations

import io
import zipfile

import pytest
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID
from tests.collection_fixtures import final_of, upload, zipped
from tests.fake_telegram import Call, FakeTelegram
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


def broken_docx() -> bytes:
    """A ZIP named .docx with no document in it: python-docx fails on it with an AttributeError."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
    return out.getvalue()


async def upload_as(telegram: FakeTelegram, language_code: str, name: str, content: bytes) -> Call:
    admin = telegram.user(ADMIN_ID, "Admin", language_code)
    since = telegram.mark()
    message = await telegram.send_document(telegram.private_chat(admin), admin, name, content, None, None)
    return await telegram.wait_reply(message, since)


async def test_a_refused_files_name_is_shown_on_one_line_without_bidi(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    line = await final_of(telegram, await upload(telegram, "dong\nhai\u202e.txt", b"   "))
    assert line.startswith("❌ Không thêm được dong hai.txt: ") and "\n" not in line and "\u202e" not in line


@pytest.mark.parametrize(("language_code", "damaged", "foreign"), [
    ("vi", "tệp bị hỏng, không đọc được", "the file"),
    ("en", "the file is damaged and could not be read", "tệp"),
])
async def test_a_zip_with_nothing_readable_names_its_files_cleanly_with_reasons_in_the_admins_language(
    admin_bot: Application, telegram: FakeTelegram, language_code: str, damaged: str, foreign: str
) -> None:
    members = {"bao\u202ecao.docx": broken_docx(), "hai\ndong.txt": b"  ", "x.exe": b"MZ"}
    line = await final_of(telegram, await upload_as(telegram, language_code, "goi.zip", zipped(members)))
    assert line.startswith("❌") and "\n" not in line and "\u202e" not in line
    assert f"baocao.docx: {damaged}" in line and "hai dong.txt: " in line and "x.exe: " in line
    # the parser's own words (an lxml AttributeError) and the other language's stay out
    assert "lxml" not in line and "attribute" not in line and foreign not in line


BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"


@pytest.mark.parametrize("question", [
    BORDER.replace("Lào", "L\u200bào"),  # zero-width space
    BORDER.replace("giới", "gi\u200cới"),  # zero-width non-joiner
    BORDER.replace("biên", "bi\u00adên"),  # soft hyphen
    BORDER.replace("Nam", "N\u2060am"),  # word joiner
    "\ufeff" + BORDER.replace("bao", "b\ufeffao"),  # byte order mark
], ids=["zero-width space", "zero-width non-joiner", "soft hyphen", "word joiner", "byte order mark"])
async def test_an_invisible_character_inside_a_word_does_not_make_the_question_fail(
    admin_bot: Application, telegram: FakeTelegram, question: str
) -> None:
    reader = telegram.user(2302)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, question)
    assert "2.300 km" in reply.result["text"]  # declined before: "L" and "ào" are no words of the collection
