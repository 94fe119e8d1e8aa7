"""`tracuu serve` as a user starts it, against the fake Bot API: the whole edge, token kept out of logs."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from tests.fake_telegram import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


async def test_serve_answers_a_private_question(data_copy, tmp_path):
    fake = FakeTelegram()
    await fake.start()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATA_DIR": str(data_copy),
        "INDEX_DIR": str(tmp_path / "index"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tracuu.cli", "serve", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        user = fake.user(501)
        border = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
        question = await fake.send_text(fake.private_chat(user), user, border)
        reply = await fake.wait_reply(question, timeout=240)
        assert "2.300 km" in reply.params["text"]
    finally:
        process.terminate()
        output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
        await fake.close()
    log = output.decode()
    assert "bot @" in log  # started and logged in
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


def test_readers_are_shown_examples_the_collection_answers(e5, seed_library, tmp_path, caplog) -> None:
    from bot.config import DEFAULT_EXAMPLES
    from retriever.library import Library, LibraryConfig
    from tracuu.serve import answered_examples

    # the bundled news answers the default examples: shown as they are
    assert answered_examples(seed_library, (), DEFAULT_EXAMPLES)[:2] == DEFAULT_EXAMPLES[:2]
    # an operator's own collection, about something else: its titles, not questions about the news
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "thu-vien.txt").write_text(
        "Nội quy thư viện trường\n\nThư viện mở cửa từ 7 giờ đến 21 giờ các ngày trong tuần; sinh viên mượn "
        "tối đa năm cuốn sách trong hai tuần.", "utf-8")
    (tmp_path / "data" / "ky-tuc.txt").write_text(
        "Ký túc xá nhận hồ sơ\n\nKý túc xá nhận hồ sơ đăng ký chỗ ở từ ngày 1 đến ngày 15 tháng 8 tại phòng Công tác "
        "sinh viên.", "utf-8")
    library, _ = Library.open(LibraryConfig(tmp_path / "data", tmp_path / "index"), e5)
    try:
        with caplog.at_level(logging.WARNING):
            titles = answered_examples(library, (), DEFAULT_EXAMPLES)
            assert sorted(titles) == ["Ký túc xá nhận hồ sơ", "Nội quy thư viện trường"]
            given = ("Thư viện mở cửa lúc mấy giờ?", "Giá vé máy bay đi Đà Nẵng?")
            assert answered_examples(library, given, DEFAULT_EXAMPLES) == given  # the operator's, as written
    finally:
        library.close()
    said = [r.getMessage() for r in caplog.records]
    assert any("Giá vé máy bay" in line for line in said) and not any("mở cửa lúc" in line for line in said)
