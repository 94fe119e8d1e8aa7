"""Only regular files in the data folder are read, and only up to a size.

The data folder may hold things that are not files: a link to /dev/zero made a build read until it was
killed, a named pipe hung it, a dangling link was skipped with a raw system error, and a link to a file
elsewhere on the machine had that file indexed and quoted (while linked folders are never followed).
Each is skipped with one line saying what it is. A link to a regular file inside the folder is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# the most a ZIP upload may unpack to (MAX_ZIP_MB's default): any file the bot could have stored itself
# is read, and a runaway file cannot fill the build's memory
MAX_FILE_BYTES = 200 * 1024 * 1024


def not_a_file(path: Path, data_dir: Path) -> str | None:
    """Why `path` (listed in `data_dir`) is not read, in plain words; None for a regular file to read."""
    try:
        target = path.resolve(strict=True)
        found = path.stat()
    except (OSError, RuntimeError):  # missing (a dangling link, or gone since the listing), or a loop of links
        return "a link to a file that does not exist" if path.is_symlink() else "it disappeared while being read"
    kind = _kind(found.st_mode)
    if kind is None and not target.is_relative_to(data_dir.resolve()):
        return "a link to a file outside the data folder (only links within it are read)"
    return kind or _too_large(found.st_size)


def read_capped(path: Path) -> bytes:
    """The file's bytes. Opened without blocking and checked again once open: a pipe or device put in a
    file's place after the listing is refused rather than hanging or filling memory. OSError: why not."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        found = os.fstat(handle.fileno())
        reason = _kind(found.st_mode) or _too_large(found.st_size)
        if reason is None:
            raw = handle.read(MAX_FILE_BYTES + 1)
            reason = _too_large(len(raw))
    if reason is not None:
        raise OSError(reason)
    return raw


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def _too_large(size: int) -> str | None:
    if size <= MAX_FILE_BYTES:
        return None
    return f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB, the most a file in the data folder may be"
