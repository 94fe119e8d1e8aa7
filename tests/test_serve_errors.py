"""`tracuu serve` started with a setting that cannot work, against the fake Bot API: one line naming the
setting and what to do, no traceback; and the webhook's secret kept out of the debug log."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT, SeedDirs
from tests.fake_telegram import TOKEN, Failure, FakeTelegram
from tests.pg_fixtures import free_port

SECRET = "webhook-secret-Xy9_0123456789"
ADMIN = 12345


@pytest.fixture
def env(telegram: FakeTelegram, seed_copy: SeedDirs, tmp_path) -> dict[str, str]:
    telegram.private_chat(telegram.user(ADMIN))  # an admin who has started the bot, as a deployment has
    return {
        **os.environ, "HF_HUB_OFFLINE": "1", "NO_PROXY": "127.0.0.1", "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": telegram.base_url, "DATA_DIR": str(seed_copy.data),
        "INDEX_DIR": str(seed_copy.index), "STATE_PATH": str(tmp_path / "state.sqlite"), "ADMIN_IDS": str(ADMIN),
    }


async def start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tracuu.cli", "serve", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def failed(env: dict[str, str], *args: str) -> str:
    """The last line of a serve that stopped by itself, after checking that it was its only one."""
    process = await start(env, *args)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    output = (out + err).decode()
    assert process.returncode == 2, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in err.decode().splitlines() if " INFO " not in line]  # start-up progress is fine
    assert len(lines) == 1, output[-3000:]
    return lines[0]


async def until_ready_then_stop(process: asyncio.subprocess.Process) -> str:
    """Read the log until the bot says it is ready, stop it as systemd would, and return all it wrote."""
    assert process.stderr is not None
    seen = []
    while "ready" not in (line := (await asyncio.wait_for(process.stderr.readline(), 120)).decode()):
        assert line, "serve exited before it was ready:\n" + "".join(seen)[-3000:]
        seen.append(line)
    process.send_signal(signal.SIGTERM)
    out, rest = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, rest.decode()[-3000:]
    return "".join(seen) + line + (out + rest).decode()


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


async def test_a_health_port_in_use_is_named(env: dict[str, str], busy_port: int) -> None:
    line = await failed({**env, "HEALTH_LISTEN": f"127.0.0.1:{busy_port}"})
    assert line == f"tracuu: HEALTH_LISTEN 127.0.0.1:{busy_port} is already in use: stop what listens there or " \
                   "pick another port, then start again"


async def test_a_port_in_use_is_said_before_the_bot_starts(env: dict[str, str], busy_port: int) -> None:
    # found when the server started, its line came after a dozen lines of the bot starting and stopping
    process = await start({**env, "HEALTH_LISTEN": f"127.0.0.1:{busy_port}"})
    _, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 2 and len(err.decode().strip().splitlines()) == 1, err.decode()[-3000:]


async def test_a_webhook_port_in_use_is_named(env: dict[str, str], busy_port: int) -> None:
    webhook = {"WEBHOOK_URL": "https://bot.example.org/telegram", "WEBHOOK_SECRET": SECRET,
               "WEBHOOK_LISTEN": f"127.0.0.1:{busy_port}"}
    line = await failed({**env, **webhook})
    assert line.startswith(f"tracuu: WEBHOOK_LISTEN 127.0.0.1:{busy_port} is already in use"), line


async def test_an_address_the_machine_lacks_is_named(env: dict[str, str]) -> None:
    address = f"192.0.2.1:{free_port()}"  # TEST-NET-1: documentation only, on no machine
    line = await failed({**env, "HEALTH_LISTEN": address})
    assert line.startswith(f"tracuu: HEALTH_LISTEN {address} is not an address of this machine"), line


async def test_a_bot_api_url_with_a_trailing_slash_just_works(env: dict[str, str], telegram: FakeTelegram) -> None:
    output = await until_ready_then_stop(await start({**env, "TELEGRAM_API_BASE_URL": telegram.base_url + "/"}))
    assert "bot @" in output and "Traceback" not in output
    assert [call.method for call in telegram.calls[:1]] == ["getMe"]


async def test_a_bot_without_admins_says_so_once_at_start(env: dict[str, str]) -> None:
    output = await until_ready_then_stop(await start({**env, "ADMIN_IDS": ""}))
    warned = [line for line in output.splitlines() if "ADMIN_IDS" in line]
    assert len(warned) == 1 and " WARNING " in warned[0] and "nobody can add or remove articles" in warned[0]
    output = await until_ready_then_stop(await start(env))
    assert "ADMIN_IDS" not in output and " WARNING " not in output


async def test_a_bot_api_url_that_answers_404_is_named_not_the_token(
    env: dict[str, str], telegram: FakeTelegram
) -> None:
    wrong = f"http://127.0.0.1:{telegram.port}/telegram/bot"  # the server is there, its API is not
    line = await failed({**env, "TELEGRAM_API_BASE_URL": wrong})
    assert line.startswith(f"tracuu: TELEGRAM_API_BASE_URL {wrong} answered 404 Not Found"), line
    assert "TELEGRAM_BOT_TOKEN" not in line


async def test_a_webhook_telegram_refuses_is_named_with_telegrams_reason(
    env: dict[str, str], telegram: FakeTelegram
) -> None:
    reason = "Bad Request: bad webhook: Failed to resolve host: Name or service not known"
    telegram.failures["setWebhook"] = [Failure(400, reason)]
    webhook = {"WEBHOOK_URL": "https://bot.example.invalid/telegram", "WEBHOOK_SECRET": SECRET,
               "WEBHOOK_LISTEN": f"127.0.0.1:{free_port()}"}
    line = await failed({**env, **webhook})
    assert line.startswith("tracuu: Telegram refused WEBHOOK_URL https://bot.example.invalid/telegram ("), line
    assert "bad webhook: failed to resolve host" in line.lower()  # Telegram's reason, as PTB capitalises it
    assert "public https URL" in line and "network" not in line


@pytest.mark.parametrize("secret", [SECRET, "s3cr3t"], ids=["long", "short"])
async def test_the_webhook_secret_is_masked_in_debug_lines(
    env: dict[str, str], telegram: FakeTelegram, secret: str
) -> None:
    webhook = {"WEBHOOK_URL": "https://bot.example.org/telegram", "WEBHOOK_SECRET": secret,
               "WEBHOOK_LISTEN": f"127.0.0.1:{free_port()}"}
    output = await until_ready_then_stop(await start({**env, **webhook}, "-v"))
    registered = [call for call in telegram.calls if call.method == "setWebhook"]
    assert registered and registered[0].params["secret_token"] == secret  # Telegram got it; the log did not
    # python-telegram-bot's debug lines, which print each request's parameters, stay off with -v
    assert secret not in output and "secret_token" not in output and " DEBUG telegram." not in output
    assert " DEBUG " in output  # -v itself is on
