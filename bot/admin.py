"""Admin commands: /stats and /reindex (a background rebuild reported through one status message)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from html import escape

from telegram import Message, Update
from telegram.error import BadRequest, TelegramError

from bot.context import Context
from bot.handlers import message_of, reply
from bot.sending import retrying
from bot.texts import language, text
from retriever.errors import ReindexBusyError
from retriever.models import BuildProgress, BuildReport

log = logging.getLogger(__name__)

MAX_SKIPPED_LISTED = 20
STAGES = frozenset({"reading", "encoding", "indexing", "done"})


def _is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    if user and user.id in context.bot_data.state.config.admin_ids:
        return True
    message = message_of(update)
    command = (message.text or "").split(None, 1)[0]
    log.warning("refused %s from user %s in chat %s", command, user.id if user else None, message.chat_id)
    return False


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return (f"{days}d " if days else "") + f"{hours:02d}:{minutes:02d}:{secs:02d}"


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


async def stats_command(update: Update, context: Context) -> None:
    lang = language(update.effective_user)
    if not _is_admin(update, context):
        await reply(message_of(update), context, text(lang, "admin_only"))
        return
    state = context.bot_data.state
    info = await asyncio.to_thread(state.library.info)
    answers = await asyncio.to_thread(state.store.answer_stats)
    html = text(
        lang,
        "stats",
        documents=info.documents,
        passages=info.passages,
        model=escape(info.model),
        backend=escape(info.backend),
        dim=info.dim,
        built_at=escape(info.built_at),
        uptime=_duration(state.uptime()),
        answered=answers.answered,
        p50=_ms(answers.p50_seconds),
        p95=_ms(answers.p95_seconds),
    )
    await reply(message_of(update), context, html)


async def reindex_command(update: Update, context: Context) -> None:
    lang = language(update.effective_user)
    if not _is_admin(update, context):
        await reply(message_of(update), context, text(lang, "admin_only"))
        return
    # the library's own lock is the one flag; two /reindex in the same instant both pass this check,
    # and the second one's build then reports "busy" in its status message
    if context.bot_data.state.library.reindexing:
        await reply(message_of(update), context, text(lang, "reindex_busy"))
        return
    status = await reply(message_of(update), context, text(lang, "reindex_started"))
    log.info("reindex started by user %s", update.effective_user.id if update.effective_user else None)
    # a task, not an awaited call: the handler returns and other updates keep flowing
    context.application.create_task(_reindex(context, status, lang), update=update, name="reindex")


async def _reindex(context: Context, status: Message, lang: str) -> None:
    state = context.bot_data.state
    loop = asyncio.get_running_loop()
    latest: list[BuildProgress] = []
    changed = asyncio.Event()

    def progress(event: BuildProgress) -> None:  # runs in the worker thread
        latest.append(event)
        loop.call_soon_threadsafe(changed.set)

    async def report_progress() -> None:
        shown = ""
        while True:
            await changed.wait()
            changed.clear()
            html = _progress_text(latest[-1], lang)
            if html != shown:
                shown = html
                try:
                    await _edit(status, html)
                except TelegramError as error:
                    log.warning("could not show reindex progress: %s", error)
            await asyncio.sleep(state.config.progress_interval)

    reporter = asyncio.create_task(report_progress())
    try:
        report = await asyncio.to_thread(state.library.reindex, progress)
    except ReindexBusyError:
        final = text(lang, "reindex_busy")
    except Exception as error:
        log.exception("reindex failed")
        final = text(lang, "reindex_failed", error=escape(_one_line(error)))
    else:
        final = _summary(report, lang)
        log.info("reindex done: %s", report)
    finally:
        reporter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reporter
    await _edit(status, final)


def _one_line(error: BaseException) -> str:
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first}"[:500]


def _progress_text(event: BuildProgress, lang: str) -> str:
    stage = text(lang, f"stage_{event.stage}") if event.stage in STAGES else event.stage
    return text(lang, "reindex_progress", stage=escape(stage), done=event.done, total=event.total)


def _summary(report: BuildReport, lang: str) -> str:
    if report.unchanged:
        html = text(lang, "reindex_unchanged", documents=report.documents, passages=report.passages)
    else:
        html = text(
            lang,
            "reindex_done",
            seconds=report.seconds,
            documents=report.documents,
            added=report.added,
            changed=report.changed,
            removed=report.removed,
            passages=report.passages,
            passages_added=report.passages_added,
            passages_removed=report.passages_removed,
            encoded=report.encoded,
        )
    if report.skipped:
        lines = [text(lang, "reindex_skipped", count=len(report.skipped))]
        # bounded so the summary stays one message however many files were skipped
        lines += [
            f"• {escape(s.path[:150])}: {escape(s.reason[:150])}" for s in report.skipped[:MAX_SKIPPED_LISTED]
        ]
        if len(report.skipped) > MAX_SKIPPED_LISTED:
            lines.append("…")
        html += "\n" + "\n".join(lines)
    return html


async def _edit(status: Message, html: str) -> None:
    try:
        await retrying(lambda: status.edit_text(html))
    except BadRequest as error:
        if "not modified" not in str(error):
            log.warning("could not update the reindex status message: %s", error)
