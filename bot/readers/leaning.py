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
from bot.texts import TEXTS, text
from retriever.query.followup import follow_up, swapped_in
from retriever.text import fold

# "đúng không?", "cái này có thật không?", "check giúp", "is this true?", or nothing ("/ask" alone): a request
# to check the message replied to. Searched as typed, "đúng không?" quoted a teaser headlined "… cho đúng?".
# Any other words are a question of the reader's own ("@bot học bổng Lào?"), asked as typed
_CHECKS = frozenset({
    "", "dung khong", "co dung khong", "dung ko", "co dung ko", "dung chua", "chuan khong", "co that khong",
    "that khong", "co that ko", "that ko", "that a", "that sao", "check", "kiem tra", "kiem chung", "xac minh",
    "that", "true", "that true", "fact check", "verify", "sure", "real",
    # as typed in chats: "đúng k?", "thật hả?", "chính xác không?", "really?", "is it correct?"
    "dung k", "co dung k", "that ha", "that k", "co that k", "chinh xac khong", "chinh xac ko", "chinh xac k",
    "co chinh xac khong", "chinh xac chua", "really", "correct", "that right", "that correct", "right",
    # a doubt said outright: "sai rồi", "không đúng", "wrong"
    "sai", "sai roi", "khong dung", "ko dung", "k dung", "wrong", "chuan ko", "chuan k", "co chuan khong",
    # asking whether it is so, or sure: "phải không?", "chắc chưa?", "chuẩn chưa?", "are you sure?"; each
    # searched as typed quoted the same teaser as "đúng không?" did
    "phai khong", "co phai khong", "phai ko", "co phai ko", "phai k", "co phai k", "phai chu", "dung chu",
    "chac khong", "co chac khong", "chac ko", "co chac ko", "chac k", "chac chua", "chac chu", "chac chan khong",
    "co chac chan khong", "chac chan ko", "chac chan chua", "chuan chua", "dung hong", "that hong", "thiet hong",
    "thiet khong", "that ak", "that ah", "you sure", "are you sure", "sure about that", "that so",
    # where the quotes come from: "nguồn đâu?" is told, as a doubt is, what the bot quotes
    "nguon dau", "nguon o dau", "nguon", "source", "what source", "sources",
})
# words around the request: "cái này", "ad ơi", "giúp mình", "is this …" (folded: "thật" is "that", kept)
_ASIDE = frozenset("cai nay dieu nay do kia bot ad oi a vay nhi giup voi minh em anh chi ban ua this is it please pls"
                   .split())
_WORD = re.compile(r"\w+", re.UNICODE)
_COMMAND = re.compile(r"^/\w+(?:@\w+)?\s*")


@dataclass(frozen=True)
class Asked:
    questions: tuple[str, ...]  # what to search, in order
    # per question, a follow-up's name or year ("" for none): a quote that does not name it answers the
    # question before
    must_name: tuple[str, ...] = ()

    def naming(self, index: int) -> str:
        return self.must_name[index] if index < len(self.must_name) else ""


def answered_question(answer: Message | None) -> str:
    """The question an answer of ours is headed by ("🔎 …"), or "" (another message, a shortened question)."""
    first = ((answer.text or "") if answer else "").split("\n", 1)[0]
    header = text("en", "question", question="").split("<", 1)[0]  # "🔎 ", the same in both languages
    question = first.removeprefix(header) if first.startswith(header) else ""
    return "" if question.endswith("…") else question.strip()


def _checks(question: str, *, worded: bool = False) -> bool:
    """`question` asks to check the message it replies to; `worded`: in words ("đúng không?"), not by
    saying nothing but "/ask" or "@bot"."""
    words = [word for word in fold(" ".join(_WORD.findall(question.lower()))).split() if word not in _ASIDE]
    return (bool(words) or not worded) and " ".join(words) in _CHECKS


def _sent_through_us(message: Message) -> bool:
    """The message replied to is a card a reader sent through the bot's inline mode."""
    replied = message.reply_to_message
    return bool(replied and replied.via_bot and replied.via_bot.id == message.get_bot().id)


# the first line of each reply that quotes nothing, in either language: "Không tìm thấy đoạn nào …"
_NOTHING_QUOTED = tuple(TEXTS[lang][key].split("\n", 1)[0].split("<", 1)[0]
                        for lang in ("vi", "en") for key in ("abstained", "abstained_foreign"))


def doubt_reply(message: Message, question: str, from_bot: bool, last: str) -> str:
    """The reply (a text key) to `question` when it only doubts ("đúng không?", "sai rồi", "really?") what
    the bot cannot search: searched as typed, it quoted a teaser headlined "… cho đúng?". "" for any other
    message, a 👍 or "." included. Someone's message with words is asked about instead (`replied_text`).
    `last`: how the bot's last answer in this private chat went ("quotes", "nothing" or "").

    - A message of the bot's own (an answer, news of a follow, an article, a card sent through inline mode):
      where its quotes come from, or that it quoted nothing ("đúng k?" under "nothing found": a nod would
      read as "yes").
    - Someone's message without words: it has none (a sticker), or it is in another chat and nothing of it
      was quoted (Telegram sends the bot none of its text).
    - Else, typed after an answer without replying to it (most readers do not reply in a private chat):
      that answer; or nothing the bot can see."""
    if _someones(message, from_bot) and not _their_words(message).strip() and _checks(question):
        # "/ask" or "@bot" alone under a sticker asks about it as "đúng không?" does: it got the usage line
        return "check_unseen" if message.reply_to_message is None else "check_no_words"
    if not _checks(question, worded=True):
        return ""
    if from_bot or _sent_through_us(message):
        said = (message.reply_to_message.text or "") if message.reply_to_message else ""
        # a reply that quoted nothing, named by its question or not ("🔎 …" over it, as a card is)
        nothing = any(line.startswith(_NOTHING_QUOTED) for line in said.split("\n")[:3])
        return "check_nothing" if nothing else "check_ours"
    return {"quotes": "check_ours", "nothing": "check_nothing"}.get(last, "check_what")


def replied_text(message: Message, question: str, from_bot: bool, limit: int) -> str:
    """The text of the message `message` replies to, when `question` only asks to check it and that message
    is someone's: not one of the bot's own (a follow-up leans on its answers; a card sent through inline mode
    is a quote already). Its first `limit` characters, cut between words: the reader did not write it, and
    is not told it is too long. "" otherwise."""
    if not _someones(message, from_bot) or not _checks(question):
        return ""
    said = unmentioned(_their_words(message), message.get_bot().username)
    said = " ".join(_COMMAND.sub("", said.strip()).split())  # "/ask …" replied to: its question, not "/ask"
    return first_words(said, limit)


# a web address, with its scheme or without ("fake.news/abc-2024", "abc.com.vn"); not "1.000.000/tháng" nor
# "tp.hcm/": a name without a scheme ends in a common top-level domain
_TLD = "com|vn|net|org|info|gov|edu|int|io|me|co|biz|tv|news|online|site|xyz|app|ly|gl|to|asia|world"
_LINK = re.compile(rf"(?:https?://|www\.)\S+|\b(?:[a-z0-9-]+\.)+(?:{_TLD})\b(?:/\S*)?", re.IGNORECASE)


def only_links(said: str) -> bool:
    """`said` is a link or several and nothing else: the bot does not open links, and searched, the address's
    letters were read as a question in another language ("ask in Vietnamese")."""
    return bool(_LINK.search(said)) and not any(map(str.isalnum, _LINK.sub(" ", said)))


def first_words(said: str, limit: int) -> str:
    """`said` as it is, or its first `limit` characters cut between words."""
    return said if len(said) <= limit else said[:limit].rsplit(" ", 1)[0]


def unmentioned(said: str, username: str | None) -> str:
    """`said` without "@bot" (the bot's own username, in any case)."""
    return re.sub(rf"@{re.escape(username)}\b", " ", said, flags=re.IGNORECASE) if username else said


def _someones(message: Message, from_bot: bool) -> bool:
    """The message replies to someone's message: in this chat, or in another (Telegram's "reply in another
    chat", which carries what it quotes); not to the bot's own, nor to a card sent through it."""
    replied = message.reply_to_message
    if from_bot or _sent_through_us(message) or (replied is not None and replied.forum_topic_created):
        return False
    return replied is not None or message.external_reply is not None


def _their_words(message: Message) -> str:
    """What the reader replied to: the part they quoted, when they quoted one (a sentence of a long message),
    else the whole text or caption."""
    if message.quote is not None and message.quote.text:
        return message.quote.text
    replied = message.reply_to_message
    return (replied.text or replied.caption or "") if replied is not None else ""


def leaning(state: BotState, message: Message, questions: list[str], question: str, *, private: bool,
            from_bot: bool) -> Asked:
    """`questions` (the message's own), or the follow-up read with the question before."""
    # the answer or the inline card replied to is headed by its question ("🔎 …")
    before = answered_question(message.reply_to_message) if from_bot or _sent_through_us(message) else ""
    leaned = follow_up(before or (state.asked.previous(message.chat_id) if private else ""), question)
    if leaned is not None:
        return Asked((leaned,), (swapped_in(question) or "",))
    if len(questions) < 2:
        # "còn campuchia thì sao?" with nothing before it to lean on: searched as typed, it still asks about
        # Cambodia, and a quote that does not name it answers nothing asked (a novel's teaser was quoted)
        return Asked(tuple(questions), (swapped_in(question) or "",))
    # "… dài bao nhiêu km? Còn Campuchia thì sao?": the second leans on the first, in the same message
    asked, names = [questions[0]], [""]
    for part in questions[1:]:
        again = follow_up(asked[-1], part)
        asked.append(again or part)
        names.append(swapped_in(part) or "" if again else "")
    return Asked(tuple(asked), tuple(names))
