"""Fixtures for the bot tests: the real library (built once), the fake Bot API and a running bot.

Test modules import these names so pytest picks the fixtures up without touching conftest.py.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import BotConfig
from tests.fake_telegram import TOKEN, FakeTelegram

REPO = Path(__file__).resolve().parent.parent
ADMIN_ID = 900001
UNKNOWN_ADMIN_ID = 900002  # never talked to the bot: setting its commands fails and must be tolerated

StartBot = Callable[..., Awaitable[Application]]


@dataclass(frozen=True)
class SeedLibrary:
    library: object  # retriever.library.Library
    data_dir: Path


@pytest.fixture(scope="session")
def seed_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedLibrary]:
    """The real Library with the real encoder over a writable copy of data/, built once per session."""
    from embeddings import load_encoder
    from retriever.library import Library, LibraryConfig

    root = tmp_path_factory.mktemp("bot-library")
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    for path in [data, *data.iterdir()]:
        # the seed files are read-only in the repository; tests add and may rewrite files
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    with pytest.MonkeyPatch.context() as patch:
        # no hub in tests: skip the loader's reachability probe
        patch.setenv("HF_HUB_OFFLINE", os.environ.get("HF_HUB_OFFLINE", "1"))
        encoder = load_encoder("intfloat/multilingual-e5-small")
    library, _ = Library.open(LibraryConfig(data_dir=data, index_dir=root / "index"), encoder)
    yield SeedLibrary(library, data)


@pytest_asyncio.fixture
async def telegram(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


@pytest_asyncio.fixture
async def start_bot(telegram: FakeTelegram, seed_library: SeedLibrary) -> AsyncIterator[StartBot]:
    """Start the real Application polling the fake server; stopped again after the test."""
    running: list[Application] = []

    async def start(library: object | None = None, **overrides: object) -> Application:
        settings: dict = {
            "token": TOKEN,
            "admin_ids": frozenset({ADMIN_ID, UNKNOWN_ADMIN_ID}),
            "api_base_url": telegram.base_url,
            "rate_limit_per_minute": 100,
        }
        settings.update(overrides)
        application = build_application(BotConfig(**settings), library or seed_library.library)
        await application.initialize()
        # run_polling() would call post_init; starting by hand keeps the test in charge of the loop
        if application.post_init:
            await application.post_init(application)
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=ALLOWED_UPDATES)
        running.append(application)
        return application

    yield start
    for application in running:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@pytest_asyncio.fixture
async def bot(start_bot: StartBot, telegram: FakeTelegram) -> AsyncIterator[Application]:
    """The bot with default settings; fails the test if Telegram rejected anything it sent."""
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    application = await start_bot()
    yield application
    rejected = [c for c in telegram.errors if "chat not found" not in (c.error or "")]
    assert not rejected, [(c.method, c.error) for c in rejected]
