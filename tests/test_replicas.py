"""Two `tracuu serve` replicas in webhook mode behind a real nginx (deploy/nginx/tracuu-proxy.conf), sharing a
real PostgreSQL; the fake Bot API delivers updates through nginx. One replica is killed (SIGKILL) mid-load:
every question is still answered, exactly once."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from tests.fake_telegram import TOKEN, FakeTelegram
from tests.pg_fixtures import free_port

ROOT = Path(__file__).resolve().parent.parent
SECRET = "replica-test-secret"
QUESTIONS = [
    "Đường biên giới Việt Nam - Lào dài bao nhiêu km?",
    "Hai nước ký hiệp ước hoạch định biên giới năm nào?",
    "Ai là chủ tịch nước?",
    "Việt Nam và Lào có quan hệ như thế nào?",
]
NGINX_CONF = """
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    upstream tracuu {{
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /telegram {{ include {deploy}/nginx/tracuu-proxy.conf; }}
    }}
}}
"""


def start_nginx(root: Path, port: int, port_a: int, port_b: int) -> subprocess.Popen:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx absent: apt-get install -y nginx (.ci/run does)")
    root.mkdir()
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port, port_a=port_a, port_b=port_b, deploy=ROOT / "deploy"))
    # -e: the error log before the config is read; daemon off: this test owns the process
    return subprocess.Popen([binary, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log"),
                             "-g", "daemon off;"])


async def status_of(url: str) -> int:
    try:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status
    except aiohttp.ClientError:
        return 0


def more_button(call) -> str:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return next((b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith("m:")), "")


async def until(condition, deadline: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline
    while not await condition():
        assert loop.time() < give_up, what
        await asyncio.sleep(0.2)


async def test_two_replicas_behind_nginx_answer_every_question_exactly_once(seed_copy, pg_url, tmp_path) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.retry_delay = 0.5
    ports = {"A": free_port(), "B": free_port()}
    proxy = free_port()
    nginx = start_nginx(tmp_path / "nginx", proxy, ports["A"], ports["B"])
    base_env = {
        **os.environ, "HF_HUB_OFFLINE": "1", "TELEGRAM_BOT_TOKEN": TOKEN, "INDEX_BACKEND": "postgres",
        "DATABASE_URL": pg_url, "WEBHOOK_URL": f"http://127.0.0.1:{proxy}/telegram", "WEBHOOK_SECRET": SECRET,
        "UPDATE_LEASE_SECONDS": "3", "RATE_LIMIT_PER_MINUTE": "1000", "DATA_DIR": str(seed_copy.data),
        "INDEX_DIR": str(seed_copy.index), "NO_PROXY": "127.0.0.1",
    }
    replicas = {
        name: subprocess.Popen(
            [sys.executable, "-m", "tracuu.cli", "serve"], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"replica-{name}.log", "wb"),  # noqa: SIM115 (closed with the process)
            env={**base_env, "WEBHOOK_LISTEN": f"127.0.0.1:{port}", "TELEGRAM_API_BASE_URL": fake.base_url_for(name)},
        )
        for name, port in ports.items()
    }
    try:
        for port in ports.values():
            async def healthy(port: int = port) -> bool:
                return await status_of(f"http://127.0.0.1:{port}/healthz") == 200

            await until(healthy, 300, "a replica did not become healthy")
        users = [fake.user(700 + n) for n in range(8)]
        chats = [fake.private_chat(user) for user in users]
        asked: list[dict] = []

        async def ask(count: int) -> None:
            for n in range(count):
                i = len(asked) + n
                asked.append(await fake.send_text(chats[i % 8], users[i % 8], QUESTIONS[i % len(QUESTIONS)]))

        def replies() -> Counter:
            return Counter(
                (int(c.params["chat_id"]), c.params["reply_parameters"]["message_id"])
                for c in fake.sent() if c.params.get("reply_parameters")
            )

        def answered() -> int:
            got = replies()
            return sum(1 for m in asked if got[(m["chat"]["id"], m["message_id"])])

        # 1. both replicas answer
        await ask(12)

        async def first_round() -> bool:
            return answered() == 12

        await until(first_round, 120, "the first questions were not answered")
        assert {c.replica for c in fake.sent()} == {"A", "B"}  # nginx spread the load

        # 2. mid-load: presses on the first answers and more questions; replica A dies while answering
        mark = fake.mark()
        answers = [c for c in fake.sent() if more_button(c)]
        assert len(answers) >= 4
        for call in answers[:4]:
            shown = fake.messages[(int(call.params["chat_id"]), call.result["message_id"])]
            await fake.press(shown, more_button(call), fake.user(int(call.params["chat_id"])))
        await ask(12)

        async def a_is_busy() -> bool:
            return any(c.replica == "A" for c in fake.calls[mark:])

        await until(a_is_busy, 60, "replica A got none of the second round")
        # what A has already sent stays sent; what it is sending now never reaches Telegram
        fake.freeze("A")
        delivered_ok = {update_id for update_id, status in fake.deliveries if status == 200}

        async def a_settled() -> bool:
            if fake.applying("A"):  # a call it made just before the freeze: its reply may yet be recorded
                return False
            got = replies()
            in_flight = [u for u in fake.pushed if u["update_id"] not in delivered_ok and "message" in u]
            return all(not got[(u["message"]["chat"]["id"], u["message"]["message_id"])]
                       or (u["update_id"], 200) in fake.deliveries for u in in_flight)

        await until(a_settled, 30, "replica A did not settle")
        replicas["A"].send_signal(signal.SIGKILL)
        replicas["A"].wait(timeout=30)
        fake.drop_frozen("A")
        await ask(8)  # after the kill: nginx routes around the dead replica

        async def all_done() -> bool:
            return all((u["update_id"], 200) in fake.deliveries for u in fake.pushed)

        await until(all_done, 180, f"not every update was acknowledged: {answered()}/{len(asked)} answered")
        got = replies()
        counts = [got[(m["chat"]["id"], m["message_id"])] for m in asked]
        edits = Counter((int(c.params["chat_id"]), int(c.params["message_id"]))
                        for c in fake.sent("editMessageText"))
        retried = sum(1 for _, status in fake.deliveries if status != 200)
        print(f"replica test: {len(asked)} questions, {counts.count(1)} answered once, {counts.count(0)} lost, "
              f"{sum(c > 1 for c in counts)} answered twice; 4 presses, {len(edits)} pages turned; "
              f"{retried} deliveries retried")
        assert counts == [1] * len(asked)
        assert len(edits) == 4 and set(edits.values()) == {1}
        assert any(c.replica == "B" for c in fake.calls[mark:])
    finally:
        for process in replicas.values():
            if process.poll() is None:
                process.terminate()
        for process in replicas.values():
            process.wait(timeout=60)
        nginx.terminate()
        nginx.wait(timeout=30)
        await fake.close()
