"""The one indexing queue: uploads, links, feed items, removals and /reindex run here, one at a time.

Each job may first change the data folder (in a worker thread), then rebuilds the index
incrementally and reports through one status message, edited as it goes. Jobs run in a background
task, so answering questions never waits for them; the Library keeps serving the old index until
the new one is swapped in.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from html import escape
from typing import Generic, Protocol, TypeVar

import psycopg
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.admins.eta import StageClock
from bot.texts import TEXTS, text
from retriever.errors import ReindexBusyError, UnreachableError, UnreadableInputError
from retriever.explain import explain, os_problem
from retriever.library import Library
from retriever.models import BuildProgress, BuildReport

log = logging.getLogger(__name__)

STAGES = frozenset({"ocr", "reading", "encoding", "indexing", "done"})
T = TypeVar("T")


class StatusMessage(Protocol):
    """The admin's status message: the Message sent, or one known by its chat and id after a restart
    (bot/admins/uploads.py)."""

    async def edit_text(self, text: str, *, reply_markup: InlineKeyboardMarkup | None = None) -> object: ...

    def get_bot(self) -> Bot: ...

    @property
    def chat_id(self) -> int: ...


class SaidError(ValueError):
    """A refusal already in the admin's words, as HTML: a ZIP none of whose files could be read is told by
    each file's own reason, in the admin's language."""

    def __init__(self, html: str) -> None:
        super().__init__(html)
        self.html = html


class IndexQueue:
    """Jobs in submission order, one at a time, in a task that lives only while there is work."""

    def __init__(self) -> None:
        self._jobs: deque[tuple[str, Callable[[], Awaitable[None]]]] = deque()
        self._running: str | None = None
        self._worker: asyncio.Task | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def kinds(self) -> list[str]:
        """What is running and waiting, e.g. ["upload", "reindex"]."""
        return ([self._running] if self._running else []) + [kind for kind, _ in self._jobs]

    @property
    def waiting(self) -> list[str]:
        """What is queued and not started yet."""
        return [kind for kind, _ in self._jobs]

    def submit(self, kind: str, job: Callable[[], Awaitable[None]]) -> int:
        """Queue `job`; returns how many jobs are ahead of it."""
        ahead = len(self.kinds)
        self._jobs.append((kind, job))
        self._idle.clear()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._work(), name="index-queue")
        return ahead

    async def idle(self) -> None:
        await self._idle.wait()

    async def drain(self, seconds: float) -> bool:
        """Wait for the jobs under way to end, at most `seconds`; False when some are left. Called as the bot
        stops: a build stopped with the event loop went on in its thread, and its admin's status stayed at
        "⏳" for good though the file was indexed."""
        try:
            await asyncio.wait_for(self.idle(), seconds)
        except TimeoutError:
            log.warning("stopping with %s unfinished: the files are kept and indexed at the next start",
                        ", ".join(self.kinds))
            return False
        return True

    async def _work(self) -> None:
        while self._jobs:
            self._running, job = self._jobs.popleft()
            try:
                await job()
            except Exception:
                log.exception("indexing job %s failed", self._running)
            finally:
                self._running = None
        self._idle.set()


@dataclass(frozen=True)
class IndexingJob(Generic[T]):
    """`prepare` changes the data folder (worker thread; ValueError = refused, with the reason), telling the
    pages it read by OCR as they are done; `summarize` turns its result and the build's report into the
    final HTML."""

    library: Library
    status: StatusMessage
    lang: str
    progress_interval: float
    prepare: Callable[[Callable[[int, int], None]], T]
    summarize: Callable[[T, BuildReport], str]
    refused: Callable[[str], str]
    buttons: Callable[[T], InlineKeyboardMarkup | None] | None = None  # under the final word, e.g. "↩ Undo"
    # another replica reindexing (PostgreSQL): wait for it, then write this change. An upload was told "a
    # reindex is already running" and waited unindexed for the next one; /reindex itself says so instead
    wait: bool = True
    # once its admin has been told how it ended, whichever way (not when the process dies before): True; False
    # when the last word could not be delivered
    finished: Callable[[bool], None] | None = None

    async def __call__(self) -> None:
        # not when cancelled, as the bot stops before its admin was told: what was sent stays held for the next
        # start (a `finally` released it, and a stop past its 20 s lost it again); nor when the last word could
        # not be delivered (Telegram out of reach past the sender's deadline): released, the "⏳" stayed for
        # good. Telegram's refusal (the admin blocked the bot) is an answer: run again, it would be refused again
        try:
            await self._run()
        except NetworkError:
            await self._finish(told=False)
            raise
        except Exception:
            await self._finish()
            raise
        await self._finish()

    async def _finish(self, *, told: bool = True) -> None:
        if self.finished is not None:
            await asyncio.to_thread(self.finished, told)

    async def _run(self) -> None:
        try:
            async with self._reporting() as progress:
                prepared = await asyncio.to_thread(self.prepare, lambda done, total: progress(
                    BuildProgress("ocr", done, total)))
        except ValueError as error:
            await edit(self.status, self.refused(reason(self.lang, error)))
            return
        except Exception as error:  # e.g. the disk is full: say so in one line rather than go quiet
            if isinstance(error, OSError):  # read-only, full, gone: the operator's to fix, no traceback needed
                log.warning("preparing an indexing job failed: %s", error)
            else:
                log.exception("preparing an indexing job failed")
            await edit(self.status, self.refused(reason(self.lang, error)))
            return
        markup: InlineKeyboardMarkup | None = None
        try:
            report = await self._build()
        except ReindexBusyError:
            final = text(self.lang, "reindex_busy")
        except Exception as error:
            if database_outage(error) or isinstance(error, OSError):  # the operator's to fix: one line is enough
                log.warning("reindex failed: %s", explain(error))
            else:
                log.exception("reindex failed")
            final = text(self.lang, "reindex_failed", error=reason(self.lang, error))
        else:
            # the operator's record of what admins changed (no user id: one is kept only with consent)
            log.info("collection updated in %.1f s: %d documents added, %d changed, %d removed; %d in all",
                     report.seconds, report.added, report.changed, report.removed, report.documents)
            final = self.summarize(prepared, report)
            markup = self.buttons(prepared) if self.buttons else None
        await edit(self.status, final, markup)

    async def _build(self) -> BuildReport:
        async with self._reporting() as progress:
            return await in_daemon_thread(functools.partial(self.library.reindex, progress, wait=self.wait))

    @contextlib.asynccontextmanager
    async def _reporting(self) -> AsyncIterator[Callable[[BuildProgress], None]]:
        """A progress callback for a worker thread; the status message shows the latest event, calmly."""
        loop = asyncio.get_running_loop()
        latest: list[BuildProgress] = []
        changed = asyncio.Event()

        def progress(event: BuildProgress) -> None:  # runs in the worker thread
            latest.append(event)
            loop.call_soon_threadsafe(changed.set)

        async def report_progress() -> None:
            shown, clock = "", StageClock()
            while True:
                await changed.wait()
                changed.clear()
                html = progress_text(latest[-1], self.lang, clock.minutes_left(latest[-1]))
                if html != shown:
                    shown = html
                    with contextlib.suppress(TelegramError):
                        await edit(self.status, html, final=False)
                await asyncio.sleep(self.progress_interval)

        reporter = asyncio.create_task(report_progress())
        try:
            yield progress
        finally:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """`work()` in a thread of its own that does not keep the process alive. A build run by
    `asyncio.to_thread` went on after a stop's 20 s, and the process exited a minute later, past compose's
    30 s grace period. Cut short, a build leaves what a killed one leaves: the index in use as it was, and
    what admins sent held until the next start writes it."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not done.done():
            outcome()

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting task as it is
            outcome = functools.partial(done.set_exception, error)
        else:
            outcome = functools.partial(done.set_result, result)
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody is waiting
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=run, name="index-build", daemon=True).start()
    return await done


def reason(lang: str, error: BaseException) -> str:
    """Why a file, page, feed or build failed, as HTML in the reader's language when the reason is known;
    never a Python exception name."""
    if isinstance(error, SaidError):
        return error.html
    if isinstance(error, UnreadableInputError) and f"reason_{error.code}" in TEXTS.get(lang, {}):
        details = {key: escape(str(value)) for key, value in error.details.items()}
        return text(lang, f"reason_{error.code}", **details)
    if problem := os_problem(error):
        return text(lang, f"os_{problem[0]}", where=f" ({escape(problem[1])})" if problem[1] else "")
    if database_outage(error):  # PostgreSQL's own words ("terminating connection due to administrator command")
        return text(lang, "reason_database")
    return escape(explain(error))


def database_outage(error: BaseException) -> bool:
    """The index database stopped answering midway (restarted, shut down, out of reach)."""
    return isinstance(error, (UnreachableError, psycopg.OperationalError))


def one_line(error: BaseException) -> str:
    """The error's own first line (for logs and reasons that are already words), without its type name."""
    return (str(error).strip().splitlines() or [""])[0][:500] or explain(error)


def progress_text(event: BuildProgress, lang: str, minutes_left: int | None = None) -> str:
    stage = text(lang, f"stage_{event.stage}") if event.stage in STAGES else event.stage
    said = text(lang, "reindex_progress", stage=escape(stage), done=event.done, total=event.total)
    return said + (text(lang, "progress_left", minutes=minutes_left) if minutes_left else "")


MESSAGE_CHARS = 4096  # Telegram's limit on a message's text, entities aside


async def edit(status: StatusMessage, html: str, markup: InlineKeyboardMarkup | None = None, *,
               final: bool = True) -> None:
    """Show `html` in the status message. A final word whose message the admin deleted meanwhile (a "⏳" that
    sat there while the bot restarted) comes as a new message: how it ended is never left unsaid."""
    if len(html) > MESSAGE_CHARS:  # whole lines only (each closes its own tags): the final word is never lost
        html = html[: MESSAGE_CHARS - 2].rsplit("\n", 1)[0] + "\n…"
    try:
        await status.edit_text(html, reply_markup=markup)
    except BadRequest as error:
        if "not modified" in str(error):
            return
        if final and "not found" in str(error):
            with contextlib.suppress(TelegramError):
                # in the forum topic the status was in, not the group's General
                topic = status.message_thread_id if isinstance(status, Message) and status.is_topic_message else None
                await status.get_bot().send_message(status.chat_id, html, reply_markup=markup,
                                                    message_thread_id=topic)
                return
        log.warning("could not update a status message: %s", error)
