"""Read replicas: a primary plus one streaming standby started here; the bot's searches are served from the
standby while indexing stays on the primary."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from pathlib import Path

import psycopg

from retriever.library import Library, LibraryConfig
from tests.conftest import SEED_DATA, copy_writable
from tests.fakes import HashEncoder
from tests.pg_fixtures import PgCluster, make_cluster


def test_searches_are_served_from_a_streaming_standby(pg_cluster: PgCluster, pg_url: str, tmp_path: Path) -> None:
    standby = make_cluster(pg_cluster.bin_dir, "standby")
    try:
        standby.standby_of(pg_cluster)
        standby.start()
        data = copy_writable(SEED_DATA, tmp_path / "data")
        primary, _ = Library.open(LibraryConfig(data, tmp_path / "unused", database_url=pg_url), HashEncoder())
        with psycopg.connect(pg_url, autocommit=True) as db:
            [(written,)] = db.execute("SELECT pg_current_wal_lsn()").fetchall()
        replica_url = standby.url(pg_url.rsplit("/", 1)[1])
        deadline = time.monotonic() + 30
        with psycopg.connect(replica_url, autocommit=True) as db:
            assert db.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
            while not db.execute("SELECT pg_last_wal_replay_lsn() >= %s", (written,)).fetchone()[0]:  # type: ignore[index]
                assert time.monotonic() < deadline, "the standby did not catch up"
                time.sleep(0.1)
        replica, report = Library.open(LibraryConfig(data, tmp_path / "unused", database_url=replica_url),
                                       HashEncoder())
        assert report is not None and report.unchanged  # indexing is the primary's job
        question = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
        served = replica.search(question, 3)
        assert served.results and served.results == primary.search(question, 3).results
        assert replica.info().passages == primary.info().passages
        replica.close()
        primary.close()
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            standby.stop()
        shutil.rmtree(standby.root, ignore_errors=True)
