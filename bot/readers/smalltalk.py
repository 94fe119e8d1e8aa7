"""Small talk: a message that is only a greeting, thanks, an acknowledgement or a question about the bot.

Searched, such a message would be answered with unrelated quotes (nothing in the collection is about "cảm ơn"),
so the handlers answer it with one short line instead (bot/readers/answers.py). Only a whole message counts:
"chào bạn, Hun Many là ai?" is a question and is searched. The word lists are small and general on purpose;
a message missed here is simply searched, as before.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from retriever.text import fold, strip_markup  # without diacritics: many readers type Vietnamese without them


class Talk(Enum):
    THANKS = "thanks"  # thanks: "you're welcome"
    ACK = "ack"  # "ok", "hay quá": nothing to answer but a nod
    HELLO = "hello"  # a greeting or "who are you": a one-line introduction


# words that carry no meaning of their own in small talk: address, politeness, intensifiers
_FILLERS = (
    "bot", "bạn", "ạ", "à", "nhé", "nha", "nhá", "ơi", "em", "anh", "chị", "mình", "tôi", "tớ", "tui", "cháu",
    "nhiều", "lắm", "rất",
    "quá", "thật", "luôn", "vậy", "thế", "nhỉ", "you", "so", "very", "much", "a", "lot", "again", "there",
    # as typed in chats: "ad" (admin), "bn" (bạn), "b", "e" (em), "mn" (mọi người), "ae" (anh em)
    "ad", "admin", "bn", "b", "e", "mn", "ae", "nhen", "nghen",
)
_PHRASES: dict[Talk, tuple[str, ...]] = {
    Talk.THANKS: (
        "cảm ơn", "cám ơn", "xin cảm ơn", "cảm ơn nhiều", "camon", "thanks", "thank", "thx", "tks", "ty",
        "many thanks", "thanks a lot", "tuyệt vời cảm ơn",
    ),
    Talk.ACK: (
        "ok", "okay", "oke", "okie", "okê", "oki", "okela", "okla", "ừ", "ừm", "ừ ừ", "ờ", "ờm", "uh", "uhm", "ừa",
        "hì", "hì hì", "vâng", "dạ", "hay", "tuyệt", "tuyệt vời", "tốt", "lol", "chuẩn", "chuẩn rồi", "thôi",
        "xịn", "xịn ghê", "ghê", "đỉnh", "vl",
        "được rồi", "hiểu rồi", "đúng rồi", "rõ rồi", "great", "cool", "nice", "good", "awesome", "got it",
        "perfect",
    ),
    Talk.HELLO: (
        "chào", "xin chào", "chào buổi sáng", "chào buổi tối", "alo", "hello", "hi", "hey", "good morning",
        "good evening", "cho hỏi", "xin hỏi", "hỏi chút", "cho hỏi chút", "cho hỏi với",
        # a request to ask with nothing asked yet, or a command typed without its slash: searched, "hỏi"
        # and "ask" were quoted a paragraph that happens to say "hỏi"
        "hỏi", "câu hỏi", "hỏi đáp", "ask", "question", "help", "trợ giúp", "giúp", "giúp với", "start",
        # trying the bot out: "test" was read as Telex for "tét" and quoted a song
        "test", "thử", "test thử", "thử xem", "testing",
    ),
}
# questions about the bot itself: only alone ("bạn là ai?", "bot làm được gì?"). Beside other words they are
# a reader's question ("cảm ơn là gì?", "hay quá là gì?"), searched like any other
_ABOUT_BOT = (
    "là ai", "là gì", "tên gì", "tên là gì", "làm được gì", "làm gì được", "có thể làm gì", "giúp được gì",
    "who are", "what are", "what is your name", "what can do", "what do do",
)
_LONGEST = max(len(phrase.split()) for phrases in _PHRASES.values() for phrase in phrases)

_MENTION = re.compile(r"@\w+")
# emoji alone that approve or thank (the variation selector after "❤" is no symbol of its own)
_NODS = frozenset("👍👌❤♥😊🙂😀😁😄😃😆😅😂🤣☺🥰😍👏💯✅🆗🤝")
_THANKS = frozenset("🙏")
# words that call someone: a message of them and fillers only is the bot being called ("bot ơi", "ad ơi")
_CALLS = frozenset({"bot", "ad", "admin", "oi"})
# puzzlement or surprise, nothing asked ("hả?", "ủa", "ơ kìa"): searched, "hả?" was quoted paragraphs on Hà Nội.
# As typed only: without diacritics "ha", "o" are as often "Hà", "Ô" to look up
_SOUNDS = frozenset("hả hở hử ơ kìa ủa ồ ô á à ạ ah oh huh hmm hm".split())
# laughter, however long: "haha", "hihi", "hehe", "kkk"
_LAUGH = re.compile(r"^(?:(?:h[aeiêì]){2,}h?|k{2,})$")


_EXACT = {unicodedata.normalize("NFC", phrase): talk for talk, phrases in _PHRASES.items() for phrase in phrases}
_FOLDED = {fold(phrase): talk for phrase, talk in _EXACT.items()}
_FILLERS_EXACT = {unicodedata.normalize("NFC", word) for word in _FILLERS}
_FILLERS_FOLDED = {fold(word) for word in _FILLERS}
_ABOUT_EXACT = {unicodedata.normalize("NFC", phrase) for phrase in _ABOUT_BOT}
_ABOUT_FOLDED = {fold(phrase) for phrase in _ABOUT_EXACT}


def small_talk(message: str) -> Talk | None:
    """What kind of small talk `message` is, or None when it should be searched.

    A message typed with diacritics is compared with diacritics ("đá" is not "dạ"); one typed without them,
    without ("cam on ban" is thanks)."""
    words = _MENTION.sub(" ", strip_markup(unicodedata.normalize("NFC", message)).lower())  # "<b></b>": no "b"
    said = re.findall(r"[^\W_]+", words)  # punctuation and emoji dropped
    if not said:  # "👍", "❤️" (a reply to an answer, most often) nod, "🙏" thanks; "🤔" or "?!" has no words
        marks = {ch for ch in words if unicodedata.category(ch) == "So"}
        if marks and marks <= _NODS | _THANKS:
            return Talk.THANKS if marks & _THANKS else Talk.ACK
        return None
    plain = fold(" ".join(said)) == " ".join(said)
    phrases, fillers = (_FOLDED, _FILLERS_FOLDED) if plain else (_EXACT, _FILLERS_EXACT)
    if set(said) <= _SOUNDS:  # "hả?", "ơ kìa"; not "thật hả?", a doubt (bot.readers.leaning)
        return Talk.ACK
    tokens = [token for token in said if token not in fillers and not _LAUGH.match(token)]
    if not tokens:  # "bot ơi", "ad ơi", "haha": the bot is called, or laughed with
        if any(_LAUGH.match(token) for token in said):
            return Talk.ACK
        # a call needs a word that calls: "Anh" (Britain), "Thế" or "B" alone are words to look up
        return Talk.HELLO if {fold(token) for token in said} & _CALLS else None
    for about in _ABOUT_FOLDED if plain else _ABOUT_EXACT:  # "bạn là ai?", "chào bạn, bạn là ai?"
        size = len(about.split())
        if " ".join(tokens[-size:]) == about and _cover(tokens[:-size], phrases) in ({Talk.HELLO}, set()):
            return Talk.HELLO
    kinds = _cover(tokens, phrases)
    if kinds is None:
        return None
    # "hay quá, cảm ơn" thanks; "chào bạn, bạn là ai" introduces; "ok" alone only nods
    return next(talk for talk in (Talk.THANKS, Talk.HELLO, Talk.ACK) if talk in kinds)


def _cover(tokens: list[str], phrases: dict[str, Talk]) -> set[Talk] | None:
    """The kinds of the phrases that make up all of `tokens`, or None when some words are not small talk."""
    covered: list[set[Talk] | None] = [set()] + [None] * len(tokens)  # covered[i]: tokens[:i] are all small talk
    for end in range(1, len(tokens) + 1):
        for start in range(max(0, end - _LONGEST), end):
            before = covered[start]
            talk = phrases.get(" ".join(tokens[start:end]))
            if before is not None and talk is not None:
                covered[end] = before | {talk}
                break
    return covered[-1]
