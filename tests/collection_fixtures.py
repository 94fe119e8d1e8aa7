"""Fixtures and helpers for the collection tests: a writable copy of the seed library, pages and feeds
served on 127.0.0.1, an admin's bot, uploads through the fake Bot API (a pytest plugin, see conftest.py)."""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import zipfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web
from telegram.ext import Application

from retriever.collection import ZipLimits
from retriever.ingest.web import FetchLimits
from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.fake_telegram import Call, FakeTelegram

FINAL = ("✅", "❌", "🗑")


@pytest.fixture(scope="module")
def library(e5: object, seed_index: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """This module's own writable copy of the seed library: what it adds and removes stays here."""
    from tests.conftest import open_seed_copy

    opened = open_seed_copy(e5, seed_index, tmp_path_factory.mktemp("collection"))  # type: ignore[arg-type]
    yield opened
    opened.close()


class Site:
    """Pages and feeds on 127.0.0.1; `hang` never answers, so a short client timeout fires."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, str]] = {}
        self.released = asyncio.Event()
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: str, content_type: str = "text/html", status: int = 200) -> str:
        self.pages[path] = (status, content_type, body)
        return self.url(path)

    async def handle(self, request: web.Request) -> web.Response:
        if request.path == "/hang":
            await self.released.wait()
        # a page served for its query ("/tin?id=2") first, then the path whatever the query
        status, content_type, body = self.pages.get(request.path_qs) or self.pages.get(
            request.path, (404, "text/plain", "not found"))
        return web.Response(status=status, text=body, content_type=content_type, charset="utf-8")


@pytest_asyncio.fixture
async def site() -> AsyncIterator[Site]:
    served = Site()
    app = web.Application()
    app.router.add_get("/{tail:.*}", served.handle)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    served.port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield served
    served.released.set()
    await runner.cleanup()


@contextmanager
def trickling_server(every: float = 0.1) -> Iterator[str]:
    """A site that sends its response headers one byte every `every` seconds, for ever: each byte restarts
    a client's read timeout, so only a deadline for the whole fetch ends it."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def trickle(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 100_000:
                if stop.wait(every):
                    return
                try:
                    conn.send(bytes([byte]))
                except OSError:  # the client gave up: what the tests want
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


@pytest_asyncio.fixture
async def admin_bot(start_bot: StartBot, telegram: FakeTelegram, library: object) -> Application:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    return await start_bot(
        library=library,
        fetch=FetchLimits(timeout=1.0, max_bytes=200_000, allow_private=True),
        zip_limits=ZipLimits(max_files=5, max_bytes=100_000),
        feed_failures_reported=2,
        sources_per_page=3,
    )


def files_of(library: object) -> set[str]:
    data: Path = library.config.data_dir  # type: ignore[attr-defined]
    return {str(p.relative_to(data)) for p in data.rglob("*") if p.is_file()}


async def final_of(telegram: FakeTelegram, status: Call, timeout: float = 60) -> str:
    """The status message's last word: the edit that says done or refused."""
    message_id, chat_id = status.result["message_id"], status.result["chat"]["id"]

    def edits(c: Call) -> bool:  # message ids are counted per chat: two admins' statuses may share one
        return (c.method == "editMessageText" and int(c.params["message_id"]) == message_id
                and int(c.params["chat_id"]) == chat_id)

    try:
        edit = await telegram.wait_for(lambda c: edits(c) and c.params["text"].startswith(FINAL), timeout=timeout)
    except TimeoutError:
        shown = [(c.params["text"], c.error) for c in telegram.calls if edits(c)]
        raise AssertionError(f"no final word on {status.params['text']!r}: {shown}") from None
    return edit.params["text"]


async def upload(telegram: FakeTelegram, name: str, content: bytes, caption: str | None = None,
                 claimed_size: int | None = None, user_id: int = ADMIN_ID) -> Call:
    user = telegram.user(user_id, "Admin" if user_id == ADMIN_ID else "Lan")
    chat = telegram.private_chat(user)
    since = telegram.mark()
    message = await telegram.send_document(chat, user, name, content, caption, claimed_size)
    return await telegram.wait_reply(message, since)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ARTICLE = (
    "Hội An đón vị khách quốc tế thứ một triệu\n\n"
    "Phố cổ Hội An sáng nay đón vị khách quốc tế thứ một triệu trong năm, sớm hơn hai tháng so với năm ngoái."
).encode()


async def listed_for_removal(telegram: FakeTelegram, name: str, content: bytes, words: str) -> tuple[Call, str]:
    """`content` added as `name`, then "/remove `words`" asked: the list, and its one article's 🗑 button."""
    from tests.test_bot_e2e import ask, buttons

    assert "✅" in await final_of(telegram, await upload(telegram, name, content))
    admin = telegram.user(ADMIN_ID, "Admin")
    _, listing = await ask(telegram, telegram.private_chat(admin), admin, f"/remove {words}")
    [choice] = [d for d in buttons(listing) if d.startswith("rm:") and d != "rm:cancel"]
    return listing, choice


def rss(site: Site, items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link></item>" for path, title in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin nông nghiệp</title>{entries}</channel></rss>'


def news_page(title: str, body: str) -> str:
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
