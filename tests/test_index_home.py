"""The IndexHome contract, run against every home: the local folder and PostgreSQL.

A home is where the index lives between starts; `Library` asks it nothing about which backend it is, so
each must keep an update, an admin's file and the counts the same way, across a new process's home."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from retriever.index.home import HomeConfig, IndexHome
from retriever.ingest.files import SourceMeta
from retriever.library import home_for
from retriever.originals import UPLOADS
from tests.fakes import HashEncoder

TEXT = "Biên giới Việt Nam – Lào\n\nBiên giới Việt Nam – Lào dài 2.337 km.\n\nHai nước có nhiều cửa khẩu.\n"

MakeHome = Callable[[], IndexHome]


@pytest.fixture(params=["local", "postgres"])
def make_home(request: pytest.FixtureRequest, tmp_path: Path) -> MakeHome:
    """A home as a new process opens it (the same folder or database each time)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "bien-gioi.txt").write_text(TEXT, "utf-8")
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    config = HomeConfig(data, tmp_path / "index", database_url=url)
    homes: list[IndexHome] = []

    def make() -> IndexHome:
        homes.append(home_for(config, HashEncoder()))
        return homes[-1]

    request.addfinalizer(lambda: [home.close() for home in homes])
    return make


def _update(home: IndexHome, **how: bool) -> None:
    home.update(None, **{"rebuild": False, "repair": True, "wait": True, "prune": False, **how})


def test_an_update_is_opened_with_its_passages(make_home: MakeHome) -> None:
    home = make_home()
    _update(home)
    assert home.has_index() and home.missing() is None
    index = home.open(None)
    assert (index.info.documents, index.info.passages) == (1, 2)
    assert home.counts(index) in (None, (1, 2))  # None: what was opened is all there is


def test_an_admins_file_outlives_the_process_that_kept_it(make_home: MakeHome) -> None:
    first = make_home()
    _update(first)
    meta = SourceMeta(url="https://example.org/cua-khau", source="Báo Ví Dụ")
    first.originals.write(f"{UPLOADS}/cua-khau.txt", "Cửa khẩu Cầu Treo mở cửa 24 giờ.\n".encode(), meta)
    _update(first)
    first.close()

    again = make_home()  # a restart, or another replica
    relative = f"{UPLOADS}/cua-khau.txt"
    assert again.originals.read(relative) == "Cửa khẩu Cầu Treo mở cửa 24 giờ.\n".encode()
    assert again.originals.meta(relative).source == "Báo Ví Dụ"
    _update(again)
    index = again.open(None)
    assert index.info.documents == 2
    [kept] = [article for article in index.articles() if article.document.startswith(UPLOADS)]
    # the full article's header links its source: the link is kept with the article, whichever home
    article = index.article(kept.doc_id)
    assert article is not None
    assert (kept.url, kept.source, article.info.url) == ("https://example.org/cua-khau", "Báo Ví Dụ", kept.url)


def test_nothing_to_fold_after_a_first_build(make_home: MakeHome) -> None:
    home = make_home()
    _update(home)
    assert home.fold() is False
