"""The operator's rehearsal: PostgreSQL, two `tracuu serve` webhook replicas configured as deploy/compose.yaml
configures them (.env.example through env_file, then the compose environment) with separate, different data
folders, deploy/nginx's proxy in front, the fake Bot API in Telegram's place. An admin's upload through one
replica is answered by the other; that one restarts with an empty data folder and removes nothing; a feed
item fetched by either is answered by both; /metrics agree with the database; an admin's /remove takes the
upload out of the database; with LOG_FORMAT=json every line either replica writes is JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import psycopg
import pytest

from tests.bot_fixtures import ADMIN_ID
from tests.collection_fixtures import Site, news_page, rss
from tests.conftest import SEED_DATA, copy_writable
from tests.deploy_files import ENV_EXAMPLE, compose, env_file, interpolate
from tests.fake_telegram import TOKEN, Call, FakeTelegram
from tests.pg_fixtures import free_port
from tests.test_replicas import ROOT, SECRET, start_nginx, status_of, until

UPLOAD = ("Cầu Nhật Tân\n\nCầu Nhật Tân ở Hà Nội dài 3.900 mét, có năm nhịp dây văng bắc qua sông Hồng, "
          "nối trung tâm thành phố với sân bay Nội Bài.\n")
UPLOAD_QUESTION = "Cầu Nhật Tân dài bao nhiêu mét?"
BORDER_QUESTION = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"  # data/003_…, which B's folder lacks
FEED_QUESTION = "Giá thanh long trái vụ ở Bình Thuận?"
B_ONLY = "Chợ nổi Cái Răng\n\nChợ nổi Cái Răng ở Cần Thơ họp từ 5 giờ sáng, mỗi ghe treo hàng trên cây bẹo.\n"
FINAL = ("✅", "❌", "🗑")


class Replicas:
    """`tracuu serve` processes, each with its own data folder, index folder and logs."""

    def __init__(self, root: Path, base: dict[str, str], fake: FakeTelegram) -> None:
        self.root, self.base, self.fake = root, base, fake
        self.ports = {"A": free_port(), "B": free_port()}
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: list[Path] = []

    def start(self, name: str, data: Path) -> None:
        run = len(self.logs)
        out, err = self.root / f"{name}{run}.stdout", self.root / f"{name}{run}.stderr"
        self.logs += [out, err]
        env = {**self.base, "WEBHOOK_LISTEN": f"127.0.0.1:{self.ports[name]}", "DATA_DIR": str(data),
               "INDEX_DIR": str(self.root / f"index-{name}{run}"),
               "TELEGRAM_API_BASE_URL": self.fake.base_url_for(name)}
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            self.processes[name] = subprocess.Popen([sys.executable, "-m", "tracuu.cli", "serve"], cwd=ROOT, env=env,
                                                    stdout=stdout, stderr=stderr)

    async def healthy(self, *names: str, deadline: float = 300) -> None:
        for name in names:
            async def up(name: str = name) -> bool:
                assert self.processes[name].poll() is None, self.tail(name)
                return await status_of(f"http://127.0.0.1:{self.ports[name]}/healthz") == 200

            await until(up, deadline, f"replica {name} did not become healthy")

    def stop(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is None:
            process.terminate()
        assert process.wait(timeout=60) == 0, self.tail(name)  # SIGTERM: finishes what is in flight, exits 0

    def tail(self, name: str) -> str:
        return "\n".join(log.read_text("utf-8", "replace")[-3000:] for log in self.logs if log.name.startswith(name))

    async def documents_gauge(self, name: str) -> float:
        async with aiohttp.ClientSession() as session, \
                session.get(f"http://127.0.0.1:{self.ports[name]}/metrics") as response:
            text = await response.text()
        return float(re.search(r"^tracuu_index_documents (\S+)$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]


def compose_environment(nginx_url: str, pg_url: str) -> dict[str, str]:
    """What compose gives a bot replica: .env (here .env.example with the secrets filled in) through
    env_file, then the service's environment; the database and the addresses are this machine's."""
    variables = {**env_file(ENV_EXAMPLE), "TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": nginx_url,
                 "WEBHOOK_SECRET": SECRET, "POSTGRES_PASSWORD": "unused"}
    service = compose()["services"]["bot1"]
    environment = {key: interpolate(str(value), variables) for key, value in service["environment"].items()}
    return {**variables, **environment, "DATABASE_URL": pg_url}


async def ask_until(fake: FakeTelegram, question: str, expected: str, replicas: set[str], timeout: float = 120) -> None:
    """Ask `question` (new users, through nginx) until each replica in `replicas` has quoted `expected`."""
    quoted: set[str] = set()
    give_up = time.monotonic() + timeout
    number = 0
    while quoted < replicas:
        assert time.monotonic() < give_up, f"{question}: quoted by {quoted} only"
        number += 1
        user = fake.user(800_000 + len(fake.pushed) * 10 + number)
        since = fake.mark()
        message = await fake.send_text(fake.private_chat(user), user, question)
        reply = await fake.wait_reply(message, since, timeout=60)
        assert expected in reply.params["text"], (reply.replica, reply.params["text"])
        quoted.add(reply.replica)


async def final_edit(fake: FakeTelegram, status: Call) -> Call:
    message_id = status.result["message_id"]
    return await fake.wait_for(lambda c: c.method == "editMessageText" and int(c.params["message_id"]) == message_id
                               and c.params["text"].startswith(FINAL), timeout=120)


async def test_the_operators_rehearsal(pg_url: str, tmp_path: Path, site: Site) -> None:
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx absent: apt-get install -y nginx (.ci/run does)")
    fake = FakeTelegram()
    await fake.start()
    proxy = free_port()
    base = {**os.environ, **compose_environment(f"http://127.0.0.1:{proxy}/telegram", pg_url), "HF_HUB_OFFLINE": "1",
            "LOG_FORMAT": "json", "ADMIN_IDS": str(ADMIN_ID), "ALLOW_PRIVATE_URLS": "1", "NO_PROXY": "127.0.0.1",
            "RATE_LIMIT_PER_MINUTE": "1000", "PYTHONPATH": str(ROOT)}
    folder_a = copy_writable(SEED_DATA, tmp_path / "data-a")
    folder_b = copy_writable(SEED_DATA, tmp_path / "data-b")
    [border] = [path for path in folder_b.iterdir() if "2.300 km" in path.read_text("utf-8")]
    border.unlink()
    (folder_b / "cho-noi.txt").write_text(B_ONLY, "utf-8")
    replicas = Replicas(tmp_path, base, fake)
    nginx = start_nginx(tmp_path / "nginx", proxy, replicas.ports["A"], replicas.ports["B"])
    admin = fake.user(ADMIN_ID, "Admin")
    chat = fake.private_chat(admin)
    try:
        started = time.monotonic()
        replicas.start("A", folder_a)
        replicas.start("B", folder_b)
        await replicas.healthy("A", "B")
        first_start = time.monotonic() - started
        with psycopg.connect(pg_url) as db:
            [(documents,)] = db.execute("SELECT COUNT(*) FROM idx_documents").fetchall()
        assert documents == len(list(SEED_DATA.glob("*.txt"))) + 1  # both folders imported, nothing removed

        # an upload through one replica ...
        uploaded = time.monotonic()
        since = fake.mark()
        sent = await fake.send_document(chat, admin, "nhat-tan.txt", UPLOAD.encode())
        status = await fake.wait_reply(sent, since, timeout=60)
        done = await final_edit(fake, status)
        assert done.params["text"].startswith("✅"), done.params["text"]
        upload_seconds = time.monotonic() - uploaded
        uploader = done.replica
        other = "B" if uploader == "A" else "A"
        # ... is answered by the other, alone
        replicas.stop(uploader)
        await ask_until(fake, UPLOAD_QUESTION, "3.900 mét", {other})
        # which restarts with a fresh, empty data folder (a new volume, another host) and removes nothing
        replicas.stop(other)
        (tmp_path / "empty").mkdir()
        replicas.start(other, tmp_path / "empty")
        await replicas.healthy(other)
        await ask_until(fake, UPLOAD_QUESTION, "3.900 mét", {other})
        await ask_until(fake, BORDER_QUESTION, "2.300 km", {other})
        replicas.start(uploader, folder_a if uploader == "A" else folder_b)
        await replicas.healthy(uploader)
        with psycopg.connect(pg_url) as db:
            assert db.execute("SELECT COUNT(*) FROM idx_documents").fetchall() == [(documents + 1,)]

        # a feed item fetched by either replica is answered by both
        fruit = "Nông dân Bình Thuận thu hoạch thanh long trái vụ với giá 25.000 đồng mỗi kg."
        site.serve("/n/2.html", news_page("Thanh long Bình Thuận vào mùa", fruit))
        feed = site.serve("/rss.xml", rss(site, [("/n/2.html", "Thanh long")]), "application/rss+xml")
        since = fake.mark()
        sent = await fake.send_text(chat, admin, f"/feeds add {feed}")
        done = await final_edit(fake, await fake.wait_reply(sent, since, timeout=60))
        assert "Thanh long Bình Thuận vào mùa" in done.params["text"]
        await ask_until(fake, FEED_QUESTION, "25.000 đồng mỗi kg", {"A", "B"})
        await ask_until(fake, UPLOAD_QUESTION, "3.900 mét", {"A", "B"})

        # /metrics: both replicas count what the database holds
        with psycopg.connect(pg_url) as db:
            [(documents,)] = db.execute("SELECT COUNT(*) FROM idx_documents").fetchall()
        assert [await replicas.documents_gauge(name) for name in ("A", "B")] == [documents, documents]
        # an admin's removal through either replica leaves the database, whatever the folders hold
        since = fake.mark()
        sent = await fake.send_text(chat, admin, "/remove Nhật Tân")
        listing = await fake.wait_reply(sent, since, timeout=60)
        [choice] = [b["callback_data"] for row in listing.params["reply_markup"]["inline_keyboard"] for b in row
                    if b["callback_data"].startswith("rm:") and b["callback_data"] != "rm:cancel"]
        shown = fake.messages[(int(listing.params["chat_id"]), listing.result["message_id"])]
        await fake.press(shown, choice, admin)
        gone = await final_edit(fake, listing)
        assert gone.params["text"].startswith("🗑"), gone.params["text"]
        # nothing is set aside in the database: no ↩ Undo, and the admin is told how to have it back
        assert "Không hoàn tác được" in gone.params["text"] and not gone.params.get("reply_markup")
        with psycopg.connect(pg_url) as db:
            assert db.execute("SELECT COUNT(*) FROM idx_files WHERE path LIKE 'uploads/%'").fetchall() == [(0,)]
        documents -= 1

        print(f"rehearsal: first start of two replicas on an empty database {first_start:.1f} s; "
              f"upload to done {upload_seconds:.1f} s; {documents} documents")
    finally:
        for name in list(replicas.processes):
            if replicas.processes[name].poll() is None:
                replicas.processes[name].terminate()
        for process in replicas.processes.values():
            process.wait(timeout=60)
        nginx.terminate()
        nginx.wait(timeout=30)
        await fake.close()
    # LOG_FORMAT=json: every line on stdout and stderr of every run is one JSON object, from the first
    lines = [(log.name, line) for log in replicas.logs for line in log.read_text("utf-8").splitlines() if line.strip()]
    assert lines
    for name, line in lines:
        assert isinstance(json.loads(line), dict), f"{name}: {line}"
