"""One build of an index folder at a time, across processes (two `tracuu index`, or one and a bot).

Two builds at once would crash one of them ("disk I/O error", a FAISS read error) as each replaced
what the other was reading. The second build waits for the first (which usually leaves nothing to
do), and gives up after `wait` seconds with one line saying so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from retriever.errors import IndexBusyError

log = logging.getLogger(__name__)

LOCK_FILE = ".build.lock"
WAIT = 600.0  # seconds: longer than a rebuild of the bundled collection, short of hanging forever


@contextmanager
def build_lock(index_dir: Path, wait: float = WAIT) -> Iterator[OSError | None]:
    """Hold the folder's build lock. Yields None, or the error that made the folder unlockable because it
    cannot be written (read-only): the build may still find nothing to do, and only then needs no lock."""
    lock = FileLock(index_dir / LOCK_FILE)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:  # first: Timeout is an OSError too
            log.warning("another build of %s is running: waiting for it to finish", index_dir)
            lock.acquire(timeout=wait)
    except Timeout:
        raise IndexBusyError(
            f"Another build of {index_dir} is still running after {wait:.0f}s "
            f"(lock {index_dir / LOCK_FILE}): let it finish, then run `tracuu index` again"
        ) from None
    except OSError as error:
        yield error
        return
    try:
        yield None
    finally:
        lock.release()
