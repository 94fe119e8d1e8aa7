"""SIGTERM to a webhook replica (a rolling deploy stops it so): the answer it is in the middle of is still
sent, Telegram gets its 200 for that update, and the process exits cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import NEWS_WAIT, STOP_WAIT
from tests.conftest import SeedDirs
from tests.fake_telegram import TOKEN, FakeTelegram
from tests.pg_fixtures import free_port
from tests.test_replicas import ROOT, status_of, until

SECRET = "graceful-test-secret"
BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"


async def _line(stream: asyncio.StreamReader, needle: str) -> None:
    """Read the replica's log until a line holds `needle` (the rest is read by communicate())."""
    while needle not in (await stream.readline()).decode():
        assert not stream.at_eof(), f"the replica exited without logging {needle!r}"


@asynccontextmanager
async def _replica(fake: FakeTelegram, seed: SeedDirs) -> AsyncIterator[asyncio.subprocess.Process]:
    """`tracuu serve` as a webhook replica on a free port, healthy; killed at the end if still running."""
    port = free_port()
    env = {
        **os.environ, "HF_HUB_OFFLINE": "1", "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url_for("A"),
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": f"127.0.0.1:{port}", "DATA_DIR": str(seed.data), "INDEX_DIR": str(seed.index),
        "NO_PROXY": "127.0.0.1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tracuu.cli", "serve", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        async def healthy() -> bool:
            return await status_of(f"http://127.0.0.1:{port}/healthz") == 200

        await until(healthy, 300, "the replica did not become healthy")
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_sigterm_lets_the_answer_in_flight_finish(seed_copy: SeedDirs) -> None:
    fake = FakeTelegram()
    await fake.start()
    try:
        async with _replica(fake, seed_copy) as process:
            assert process.stderr is not None
            user = fake.user(801)
            fake.freeze("A")  # the replica's calls to Telegram wait: its answer is in flight
            question = await fake.send_text(fake.private_chat(user), user, BORDER)
            await fake.wait_held("A", timeout=60)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(_line(process.stderr, "stopping"), 30)
            fake.drop_frozen("A")  # the held calls fail (502) and are retried, as after a Telegram hiccup
            reply = await fake.wait_reply(question, timeout=60)
            update_id = fake.pushed[-1]["update_id"]
            await fake.wait_delivered(update_id, timeout=60)
            _, rest = await asyncio.wait_for(process.communicate(), 60)
    finally:
        await fake.close()
    assert "2.300 km" in reply.params["text"]
    assert [status for uid, status in fake.deliveries if uid == update_id] == [200]  # never redelivered
    assert process.returncode == 0, rest.decode()[-2000:]


async def test_sigterm_exits_within_the_grace_period_while_an_answer_hangs(seed_copy: SeedDirs) -> None:
    """Telegram stops answering mid-answer, then the replica gets SIGTERM: it must exit on its own before
    compose's `stop_grace_period` and the unit's `TimeoutStopSec` (30 s) end in SIGKILL. The answer in flight
    and the indexing share STOP_WAIT; the followers' news gets NEWS_WAIT after it. The update itself is not
    lost: it never got its 200, so Telegram (or nginx, to another replica) delivers it again."""
    fake = FakeTelegram()
    await fake.start()
    try:
        async with _replica(fake, seed_copy) as process:
            user = fake.user(802)
            fake.freeze("A")  # held for good: the answer's send waits out TELEGRAM_READ_TIMEOUT (60 s)
            await fake.send_text(fake.private_chat(user), user, BORDER)
            await fake.wait_held("A", timeout=60)
            loop = asyncio.get_running_loop()
            signalled = loop.time()
            process.send_signal(signal.SIGTERM)
            _, rest = await asyncio.wait_for(process.communicate(), 90)
            took = loop.time() - signalled
    finally:
        await fake.close()
    assert took < STOP_WAIT + NEWS_WAIT + 3, f"{took:.1f} s after SIGTERM: {rest.decode()[-2000:]}"
    assert took < 30  # deploy/compose.yaml's stop_grace_period, deploy/tracuu.service's TimeoutStopSec
