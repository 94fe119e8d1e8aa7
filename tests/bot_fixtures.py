"""Fixtures for the bot tests: a writable real library, the fake Bot API and a running bot (a pytest plugin
registered in conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import BotConfig
from bot.store import SQLiteStateStore
from tests.fake_telegram import TOKEN, FakeTelegram

ADMIN_ID = 900001
UNKNOWN_ADMIN_ID = 900002  # never talked to the bot: setting its commands fails and must be tolerated

StartBot = Callable[..., Awaitable[Application]]


@dataclass(frozen=True)
class BotLibrary:
    library: object  # retriever.library.Library
    data_dir: Path


@pytest.fixture(scope="session")
def bot_library(e5: object, seed_index: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotLibrary]:
    """A real Library the bot tests may change (they add articles and reindex): a copy of the seed index."""
    from tests.conftest import open_seed_copy

    library = open_seed_copy(e5, seed_index, tmp_path_factory.mktemp("bot-library"))  # type: ignore[arg-type]
    yield BotLibrary(library, library.config.data_dir)
    library.close()


@pytest_asyncio.fixture
async def telegram(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


@pytest_asyncio.fixture
async def start_bot(telegram: FakeTelegram, bot_library: BotLibrary, tmp_path: Path) -> AsyncIterator[StartBot]:
    """Start the real Application polling the fake server (each with a fresh StateStore in tmp_path unless
    `store` is given); stopped again after the test."""
    running: list[Application] = []
    state_dir = tmp_path

    async def start(library: object | None = None, store: object | None = None, **overrides: object) -> Application:
        settings: dict = {
            "token": TOKEN,
            "admin_ids": frozenset({ADMIN_ID, UNKNOWN_ADMIN_ID}),
            "api_base_url": telegram.base_url,
            "rate_limit_per_minute": 100,
        }
        settings.update(overrides)
        store = store or SQLiteStateStore(state_dir / f"state-{len(running)}.sqlite")
        application = build_application(BotConfig(**settings), library or bot_library.library, store)
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
        await stop_bot(application)


async def stop_bot(application: Application) -> None:
    """Stop a bot started by `start_bot` (a restart in a test; the fixture stops the rest)."""
    if application.updater and application.updater.running:
        await application.updater.stop()
    if application.running:
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
