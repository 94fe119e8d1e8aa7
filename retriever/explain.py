"""Errors as one line a person can act on: what happened and where, never a Python exception name."""

from __future__ import annotations

import errno
from pathlib import PurePath

# errno → a code the edges can say in the reader's language, and the English line for logs and the CLI
# ({where} is ": PATH" when the error names a path, else nothing)
OS_PROBLEMS: dict[int, tuple[str, str]] = {
    errno.EROFS: ("read_only", "the folder is read-only{where} (give the bot a writable folder)"),
    errno.ENOSPC: ("disk_full", "the disk is full{where}"),
    errno.EDQUOT: ("disk_full", "the disk quota is used up{where}"),
    # the error does not say whether reading or writing was refused (an index folder may be unreadable)
    errno.EACCES: ("permission", "no permission to read or write there{where}"),
    errno.EPERM: ("permission", "no permission to read or write there{where}"),
    errno.EISDIR: ("is_directory", "a folder is where a file was expected{where}"),
    errno.ENOTDIR: ("not_directory", "a file is where a folder was expected{where}"),
    errno.ENOENT: ("missing", "a file or folder does not exist{where}"),
    errno.EEXIST: ("not_directory", "a file is where a folder was expected{where}"),
}


# an error without a message: the command line adds its own "run with -v" hint, the bot has none to give
UNKNOWN = "an unexpected error"


def os_problem(error: BaseException) -> tuple[str, str] | None:
    """(code, path) for a file-system error the edges know how to explain (path "" when the error names
    none), else None."""
    if not isinstance(error, OSError) or error.errno not in OS_PROBLEMS:
        return None
    path = str(error.filename or "")
    name = PurePath(path).name
    if name.startswith("."):  # a temporary beside the real target: the folder is what the reader can fix
        path = str(PurePath(path).parent)
    return OS_PROBLEMS[error.errno][0], path


def explain(error: BaseException) -> str:
    """One English line: a known file-system problem in words, else the error's own first line."""
    problem = os_problem(error)
    if problem is not None and isinstance(error, OSError) and error.errno is not None:
        return OS_PROBLEMS[error.errno][1].format(where=f": {problem[1]}" if problem[1] else "")
    first = (str(error).strip().splitlines() or [""])[0]
    if isinstance(error, OSError) and error.strerror:
        first = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    if isinstance(error, MemoryError):  # it carries no message of its own
        return "the machine ran out of memory"
    return first[:500] or UNKNOWN
