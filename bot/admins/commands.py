"""Admin commands: /stats and /reindex (queued on the one indexing queue, reported through one status message)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from html import escape
from pathlib import PurePosixPath

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import chat_settings
from bot.admins.jobs import IndexingJob
from bot.context import Context, message_of, reply
from bot.render import shown_count, shown_name
from bot.texts import TEXTS, text
from retriever.models import BuildReport, SkippedFile

log = logging.getLogger(__name__)

MAX_SKIPPED_LISTED = 20


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    if user and user.id in context.bot_data.state.config.admin_ids:
        return True
    message = message_of(update)
    command = ((message.text or "").split(None, 1) or ["a file" if message.document else "a message"])[0]
    # no user id in the log: it would tie a person to the groups they are in, kept without their consent
    where = "a private chat" if message.chat.type == ChatType.PRIVATE else f"chat {message.chat_id}"
    log.warning("refused %s from someone not in ADMIN_IDS, in %s", command, where)
    return False


async def admin_seen(update: Update, context: Context) -> None:
    """An admin's Telegram language, kept for the alerts they get unasked (a feed failing, a stale index)."""
    user = update.effective_user
    if user is not None and update.effective_chat is not None and update.effective_chat.id == user.id:
        await chat_settings.note_language(context.bot_data.state, user.id, user)


async def refused(update: Update, context: Context) -> bool:
    """True, and the sender told that the command is for admins, when the sender is not one. A bare /stats or
    /reindex in a group may be another bot's: a member who is no admin of this one is not answered."""
    if is_admin(update, context):
        await admin_seen(update, context)
        return False
    message = message_of(update)
    if message.chat.type != ChatType.PRIVATE and not _named_us(message, context):
        return True
    lang = await chat_settings.language_of(context.bot_data.state, update)
    await reply(message, context, text(lang, "admin_only"))
    return True


def _named_us(message: Message, context: Context) -> bool:
    """The command names this bot ("/stats@YourBot"): a bare /command in a group may belong to another bot."""
    command = ((message.text or message.caption or "").split(None, 1) or [""])[0].lower()
    return command.endswith(f"@{context.bot.username}".lower())


PRIVATE_ONLY = frozenset({"add", "remove", "feeds", "channels", "gaps"})  # an admin's, in a private chat


async def private_only(update: Update, context: Context) -> None:
    """/add, /remove, /feeds or /channels sent in a group: they work only in an admin's private chat (what they
    add or remove is the admin's to check), so the sender is told where, rather than that there is no such command."""
    message = message_of(update)
    if not _named_us(message, context):
        return
    if await refused(update, context):
        return
    lang = await chat_settings.language_of(context.bot_data.state, update)
    await reply(message, context, text(lang, "admin_private_only", mention=f"@{context.bot.username}"))


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return (f"{days}d " if days else "") + f"{hours:02d}:{minutes:02d}:{secs:02d}"


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


async def stats_command(update: Update, context: Context) -> None:
    lang = await chat_settings.language_of(context.bot_data.state, update)
    if await refused(update, context):
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
        built_at=escape(_when(info.built_at)),
        uptime=_duration(state.uptime()),
        questions=answers.answered,
        answered=answers.answered - answers.abstained,
        declined=answers.abstained,
        p50=_ms(answers.p50_seconds),
        p95=_ms(answers.p95_seconds),
    )
    await reply(message_of(update), context, html)


async def reindex_command(update: Update, context: Context) -> None:
    lang = await chat_settings.language_of(context.bot_data.state, update)
    if await refused(update, context):
        return
    state = context.bot_data.state
    # a rebuild already queued or running will pick up whatever this one would
    if "reindex" in state.queue.kinds or state.library.reindexing:
        await reply(message_of(update), context, text(lang, "reindex_busy"))
        return
    # queued before the first await: a second /reindex sent meanwhile finds it there (else both would run)
    started: asyncio.Future[Message] = asyncio.get_running_loop().create_future()

    async def run() -> None:
        try:
            status = await started
        except TelegramError:
            return  # the admin could not be told it started, nor would be told how it ended
        await IndexingJob(
            state.library, status, lang, state.config.progress_interval,
            prepare=lambda _: None,
            summarize=lambda _, report: summary(report, lang),
            refused=lambda reason: reason,
            wait=False,
        )()

    state.queue.submit("reindex", run)
    log.info("reindex queued by an admin")
    try:
        started.set_result(await reply(message_of(update), context, text(lang, "reindex_started")))
    except TelegramError as error:
        started.set_exception(error)
        raise


def _when(stamp: str) -> str:
    """"2026-12-07T06:00:00+00:00" as an admin reads it: "2026-12-07 06:00 UTC"."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment.tzinfo else moment.strftime("%Y-%m-%d %H:%M")


def _skip_reason(skipped: SkippedFile, lang: str) -> str:
    """In the admin's language where the reason is known; a Vietnamese summary listed them in English."""
    if skipped.code and f"reason_{skipped.code}" in TEXTS.get(lang, {}):
        with contextlib.suppress(KeyError, IndexError):  # a record from another version, without a detail
            return text(lang, f"reason_{skipped.code}", **{key: escape(value) for key, value in skipped.details})
    return escape(skipped.reason[:150])


def summary(report: BuildReport, lang: str) -> str:
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
        lines += [f"• {shown_name(s.path, 150)}: {_skip_reason(s, lang)}" for s in report.skipped[:MAX_SKIPPED_LISTED]]
        if len(report.skipped) > MAX_SKIPPED_LISTED:
            lines.append("…")
        html += "\n" + "\n".join(lines)
    html += "".join(
        "\n" + text(lang, "added_cut", name=shown_name(PurePosixPath(c.path).name), chars=shown_count(c.chars, lang),
                    kept=shown_count(c.kept, lang))
        for c in report.cut[:MAX_SKIPPED_LISTED]
    )
    return html

