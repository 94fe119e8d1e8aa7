"""/gaps for admins: the questions the collection fails, near-duplicates grouped, as a message or a CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from telegram import Update

from bot import chat_settings
from bot.admins.commands import refused
from bot.context import Context, message_of, reply
from bot.listing import pack
from bot.store import QuestionCount
from bot.texts import text
from retriever.text import lexical_tokens

DEFAULT_DAYS = 30
FETCHED = 500  # distinct questions read per kind before grouping
SHOWN = 15  # groups listed per kind in the message (the CSV has them all)
SIMILAR = 0.5  # Jaccard of folded syllables and bigrams above which two questions are one group
QUESTION_CHARS = 200


@dataclass(frozen=True)
class Gap:
    question: str  # the most asked wording
    count: int  # over every wording in the group
    variants: tuple[str, ...]  # the other wordings
    last_at: float


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def group(questions: list[QuestionCount], threshold: float = SIMILAR) -> list[Gap]:
    """Greedy: each question joins the first larger group whose leading wording is similar enough."""
    groups: list[tuple[frozenset[str], list[QuestionCount]]] = []
    for item in sorted(questions, key=lambda q: (-q.count, -q.last_at)):
        tokens = frozenset(lexical_tokens(item.question))
        home = next((members for lead, members in groups if _jaccard(lead, tokens) >= threshold), None)
        if home is None:
            groups.append((tokens, [item]))
        else:
            home.append(item)
    gaps = [
        Gap(members[0].question, sum(m.count for m in members), tuple(m.question for m in members[1:]),
            max(m.last_at for m in members))
        for _, members in groups
    ]  # fmt: skip
    return sorted(gaps, key=lambda g: (-g.count, -g.last_at))


def _lines(gaps: list[Gap], lang: str) -> list[str]:
    if not gaps:
        return [text(lang, "gaps_none")]
    lines = []
    for gap in gaps[:SHOWN]:
        question = " ".join(gap.question.split())[:QUESTION_CHARS]
        line = text(lang, "gaps_line", count=gap.count, question=escape(question))
        if gap.variants:
            line += text(lang, "gaps_variants", variants=len(gap.variants))
        lines.append(line)
    return lines


def as_csv(unanswered: list[Gap], downvoted: list[Gap]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "count", "question", "variants", "last_asked_utc"])
    for kind, gaps in (("unanswered", unanswered), ("downvoted", downvoted)):
        for gap in gaps:
            last = datetime.fromtimestamp(gap.last_at, UTC).strftime("%Y-%m-%d %H:%M")
            writer.writerow([kind, gap.count, gap.question, " | ".join(gap.variants), last])
    # a BOM so spreadsheet programs read the Vietnamese as UTF-8
    return out.getvalue().encode("utf-8-sig")


def _arguments(words: list[str]) -> tuple[bool, int] | None:
    as_file = bool(words) and words[0].lower() == "csv"
    rest = words[1:] if as_file else words
    if len(rest) > 1 or (rest and not (rest[0].isdigit() and 1 <= int(rest[0]) <= 3650)):
        return None
    return as_file, int(rest[0]) if rest else DEFAULT_DAYS


async def gaps_command(update: Update, context: Context) -> None:
    message = message_of(update)
    lang = await chat_settings.language_of(context.bot_data.state, update)
    if await refused(update, context):
        return
    parsed = _arguments((message.text or "").split()[1:])
    if parsed is None:
        await reply(message, context, text(lang, "gaps_usage"))
        return
    as_file, days = parsed
    store = context.bot_data.state.store
    since = time.time() - days * 86400
    unanswered = group(await asyncio.to_thread(store.unanswered, since, FETCHED))
    downvoted = group(await asyncio.to_thread(store.downvoted, since, FETCHED))
    if as_file:
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        await message.reply_document(
            as_csv(unanswered, downvoted), filename=f"gaps-{stamp}-{days}d.csv",
            caption=text(lang, "gaps_csv_caption", days=days),
        )  # fmt: skip
        return
    blocks = [
        text(lang, "gaps_header", days=days),
        "\n".join([text(lang, "gaps_unanswered"), *_lines(unanswered, lang)]),
        "\n".join([text(lang, "gaps_downvoted"), *_lines(downvoted, lang)]),
    ]
    for part in pack(blocks):
        await reply(message, context, part)
