"""The state store each contract test runs against: every implementation, as the bot opens it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.store import SQLiteStateStore, StateStore
from bot.store.postgres import PostgresStateStore
from bot.store.pseudonyms import PseudonymousStore, Pseudonyms


def stored(store: StateStore) -> Any:
    """The database behind `store` (behind its pseudonyms, for the one the bot runs), to read its rows."""
    return getattr(store, "inner", store)


@pytest.fixture(params=["sqlite", "postgres", "pseudonymous"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], StateStore]]:
    """Opens the store; calling it again opens the same state anew, as a restarted process (or another
    replica) would. "pseudonymous": the SQLite store as the bot runs it, behind its pseudonyms."""
    opened: list[StateStore] = []
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""

    def open_() -> StateStore:
        store: StateStore = PostgresStateStore(url) if url else SQLiteStateStore(tmp_path / "state.sqlite")
        if request.param == "pseudonymous":
            store = PseudonymousStore(store, Pseudonyms(b"contract key"))
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()
