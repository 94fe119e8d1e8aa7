"""Parsers under limits: a PDF, Word or HTML file is read in a child process with a memory ceiling and a
deadline, so that a parser bomb (a small file that inflates to gigabytes, or never finishes) costs one
refused file, not the machine or the indexing queue.

Children are forked from a fork server that imported the parsers once (`forkserver`): a fork costs a few
milliseconds, and never copies the parent's threads, model or open index. The ceiling is on address
space (RLIMIT_AS) above what the child holds when it starts, so a parser that asks for more gets a
MemoryError (or is killed by the kernel) instead of growing; the deadline kills the child."""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from retriever.errors import UnreadableInputError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParseLimits:
    memory_mb: int = 1024  # address space a parser may add to its starting size
    seconds: float = 120.0  # wall clock for one file
    enabled: bool = True  # False: parse in this process (benchmarks of parsing speed)


_limits = ParseLimits()
_context = multiprocessing.get_context("forkserver")
# the fork server imports these once; each child starts with them loaded
_context.set_forkserver_preload(["retriever.ingest.parsers"])


def configure(limits: ParseLimits) -> None:
    """Set the limits from the settings (PARSE_MEMORY_MB, PARSE_SECONDS); done once by the edges."""
    global _limits
    _limits = limits


def current_limits() -> ParseLimits:
    return _limits


@dataclass(frozen=True)
class ChildReport:
    """What a child says when it ends: the result or the reason, and its peak memory."""

    status: str  # "ok", "refused", "memory", "failed"
    payload: Any
    peak_mb: float


def run_bounded(function: Callable[..., Any], *args: Any, limits: ParseLimits | None = None) -> Any:
    """`function(*args)` in a limited child. UnreadableInputError when the child ran out of memory or time,
    or refused the file; its own UnreadableInputError comes back as it was."""
    limits = limits or _limits
    if not limits.enabled:
        return function(*args)
    report = run_child(function, args, limits)
    if report.status == "ok":
        return report.payload
    if report.status == "refused":
        code, message, details = report.payload
        raise UnreadableInputError(code, message, **details)
    if report.status == "memory":
        raise _memory_error(limits)
    raise UnreadableInputError("parse_failed", f"the file could not be read ({report.payload})")


def run_child(function: Callable[..., Any], args: tuple, limits: ParseLimits) -> ChildReport:
    reader, writer = _context.Pipe(duplex=False)
    process = _context.Process(target=_child, args=(writer, function, args, limits.memory_mb), daemon=True)
    process.start()
    writer.close()
    try:
        if not reader.poll(limits.seconds):
            log.warning("a parser ran past %g s: stopped", limits.seconds)
            raise UnreadableInputError(
                "parse_time", f"reading it took longer than {limits.seconds:g} s (stopped)",
                seconds=f"{limits.seconds:g}",
            )
        try:
            report: ChildReport = reader.recv()
        except (EOFError, OSError):
            # killed without a word: the kernel's answer to a child past its memory
            return ChildReport("memory", None, float("nan"))
        return report
    finally:
        reader.close()
        if process.is_alive():
            process.kill()
        process.join()


def _child(writer: Connection, function: Callable[..., Any], args: tuple, memory_mb: int) -> None:
    # Ctrl+C reaches the whole process group: the bot finishes the file being read as it stops, so the child
    # must too (dying, it would read as a parser out of memory); the parent kills it past its deadline
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a parser dying of memory prints a fatal error on the way out: the parent says it in one line instead
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    ceiling = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    try:
        report = ChildReport("ok", function(*args), 0.0)
    except UnreadableInputError as error:
        report = ChildReport("refused", (error.code, str(error), error.details), 0.0)
    except MemoryError:
        report = ChildReport("memory", None, 0.0)
    except Exception as error:  # noqa: BLE001 - whatever a parser raises on a hostile file is a refusal
        if "memory" in str(error).lower() or "resource limit" in str(error).lower():
            report = ChildReport("memory", None, 0.0)
        else:
            report = ChildReport("failed", str(error) or type(error).__name__, 0.0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        writer.send(ChildReport(report.status, report.payload, peak))
    except MemoryError:
        writer.send(ChildReport("memory", None, peak))
    writer.close()


def _address_space() -> int:
    """The child's current virtual size (VmSize), in bytes: the ceiling is set above it."""
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _memory_error(limits: ParseLimits) -> UnreadableInputError:
    return UnreadableInputError(
        "parse_memory", f"reading it needs more than {limits.memory_mb} MB of memory (a compressed bomb?)",
        limit=limits.memory_mb,
    )
