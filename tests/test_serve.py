"""`tracuu serve` as a user starts it, against the fake Bot API: the whole edge, token kept out of logs."""

from __future__ import annotations

import asyncio
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
