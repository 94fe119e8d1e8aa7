"""A question that leans on another message: a follow-up of the question before ("Còn Campuchia thì sao?",
`retriever.query.followup`), or a few words sent as a reply to someone's message ("@bot đúng không?" under
a claim in a group), which asks about that message.

The question before is the one the bot's answer replied to is headed by ("🔎 …"), which needs no memory
and holds across replicas; in a private chat, else, the last one asked there, kept in this process only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Message

from bot.state import BotState
from bot.texts import text
from retriever.query.followup import follow_up

# "đúng không?", "cái này có thật không?", "is this true?": too few words to be a question of their own.
# Asked as a reply to someone's message, they ask about it; searched as typed, "đúng không?" quoted a teaser
# headlined "… cho đúng?"
MAX_REPLY_WORDS = 4
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Asked:
    questions: tuple[str, ...]  # what to search, in order
    headed: bool  # each answer says which question it answers: it is not what the reader typed


def answered_question(answer: Message | None) -> str:
    """The question an answer of ours is headed by ("🔎 …"), or "" (another message, a shortened question)."""
    first = ((answer.text or "") if answer else "").split("\n", 1)[0]
    header = text("en", "question", question="").split("<", 1)[0]  # "🔎 ", the same in both languages
    question = first.removeprefix(header) if first.startswith(header) else ""
    return "" if question.endswith("…") else question.strip()


def replied_text(message: Message, question: str, from_bot: bool, limit: int) -> str:
    """The text of the message `message` replies to, when `question` is too short to ask on its own and that
    message is someone's (not one of the bot's answers: a follow-up leans on those), else "". Its first
    `limit` characters, cut between words: the reader did not write it, and is not told it is too long."""
    replied = message.reply_to_message
    if replied is None or from_bot or replied.forum_topic_created or len(_WORD.findall(question)) > MAX_REPLY_WORDS:
        return ""
    said = " ".join((replied.text or replied.caption or "").split())
    return said if len(said) <= limit else said[:limit].rsplit(" ", 1)[0]


def leaning(state: BotState, message: Message, questions: list[str], question: str, *, private: bool,
            from_bot: bool) -> Asked:
    """`questions` (the message's own), or the follow-up read with the question before."""
    before = answered_question(message.reply_to_message) if from_bot else ""
    leaned = follow_up(before or (state.asked.previous(message.chat_id) if private else ""), question)
    return Asked((leaned,), True) if leaned is not None else Asked(tuple(questions), len(questions) > 1)
