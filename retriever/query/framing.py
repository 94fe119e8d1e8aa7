"""The words around a question that are manners, not content: "Chào bot! Cho em hỏi …", "… ạ?", "… nhé".

Each counted as a word of the question the collection should hold: "Chào bot! Cho em hỏi Hiệp ước Hữu
nghị và Hợp tác giữa Việt Nam với Lào ký ngày nào?" quoted its answer at relevance 0.27, the same
question without the greeting at 0.99. Only an opening greeting or request to ask and closing
particles are taken off, the way Vietnamese readers frame a question; the question itself is kept as
typed, and so is a message that is nothing else ("cảm ơn").
"""

from __future__ import annotations

import re

_WHO = r"(?:em|mình|tôi|tớ|cháu|con|anh|chị|bác|cô|chú|tui|mk|e)\b"
_ADDRESS = r"(?:bot|bạn|bn|b|ad|admin|shop|mọi người|mn|bro|ae|cả nhà|các bạn)\b"
# people called by what they are to the reader: a name may follow ("Chào anh Sơn,"), so only "… ơi" or a
# greeting closed by punctuation ("Chào anh chị,") is framing
_PERSON = r"(?:(?:các\s+)?anh\s*(?:/|và)?\s*chị|thầy\s*(?:/|và)?\s*cô|thầy|cô|anh|chị)\b"
_OPENING = re.compile(
    # "Chào bot!", "Xin chào,": a greeting is followed by whom it greets or by punctuation ("chào mừng" is not one)
    rf"^(?:(?:xin\s+)?chào|hello|hi|alo)\b(?:\s+{_ADDRESS}\s*[!,.:;]*|\s+{_PERSON}\s*[!,.:;]+|\s*[!,.:;]+)\s*"
    rf"|^(?:{_ADDRESS}|{_PERSON})\s+ơi\s*[!,.:;]*\s*"  # "Bot ơi,", "Thầy ơi"
    # "là" as a word: "Cho em hỏi Lào …" kept its "o"
    rf"|^(?:cho|để|xin\s+cho)\s+{_WHO}\s+hỏi(?:\s+(?:chút|xíu|tí|với|thăm))?(?:\s+là\b)?\s*[!,.:;]*\s*"
    rf"|^(?:xin\s+hỏi|{_WHO}\s+(?:muốn|cần)\s+(?:hỏi|biết))(?:\s+là\b)?\s*[!,.:;]*\s*"  # "Mình muốn biết là"
    rf"|^{_WHO}\s+hỏi\s+(?:chút|xíu|tí)\s*[!,.:;]*\s*",  # "e hỏi chút:"
    re.IGNORECASE,
)
# "Em đang làm bài tập lịch sử. Cho em hỏi …": what the reader says of themselves before asking is not
# the question; the request to ask says where it starts. Only after words about the reader ("Em …",
# "Mình …") and before a whole question: "Hiệp ước … ký năm nào, em cần biết gấp" and "Đại sứ Việt Nam tại
# Lào, xin hỏi là ai?" ask with the words before the request
_ASK = rf"(?:cho|để|xin\s+cho)\s+{_WHO}\s+hỏi\b|xin\s+hỏi\b|{_WHO}\s+(?:muốn|cần)\s+(?:hỏi|biết)\b"
_LATER_ASK = re.compile(rf"[.!…,;]\s*(?=(?:{_ASK}))", re.IGNORECASE)
# the reader speaking of themselves: "Em đang …", "Mình là …"; not "Bác Hồ …", "Anh Đặng Đình Quý …",
# "Con số …", which name what is asked about
_ABOUT_ME = re.compile(r"^(?:em|mình|tôi|tớ|tui|mk)\s", re.IGNORECASE)
ASKED_WORDS = 5  # what follows the request: a whole question, not "ký năm nào"
# a paragraph pasted before the reader's own question ("Sáng 2/9, tại Hà Nội … Việt Nam và Lào thiết lập quan
# hệ ngoại giao ngày nào?"): its words outweighed the question's, and none of the quotes answered it. Only
# whole sentences, this many words of them, before a last sentence that alone asks (the one question mark)
# with words enough to stand alone, and none that point back at the paragraph ("hiệp ước ấy", "hai nước")
PASTED_WORDS = 30
_SENTENCE = re.compile(r"(?<=[.!…])\s+(?=\S)")
_POINTS_BACK = re.compile(r"\b(?:ấy|đó|này|kia|nó|họ|nêu\s+trên|như\s+trên|trên\s+đây|"
                          r"(?:hai|2)\s+(?:nước|bên|người|dân\s+tộc|đảng|ông|bà))\b", re.IGNORECASE)
_THEN = re.compile(r"^(?:vậy|thế)(?:\s+thì)?\s*,?\s+", re.IGNORECASE)  # "Vậy cho mình hỏi …"
_PARTICLES = frozenset("ạ nhé nhá nha nhỉ vậy hả à ơi".split())
# lower case only: "Tây Ban Nha?" ends with a name, "… đi nha?" with a particle; "như vậy" is no particle
_CLOSING = re.compile(r"(?:\s+(?:ạ|nhé|nhá|nha|nhỉ|(?<!như\s)vậy|hả|à|ạ\s+ơi|(?i:bro)))+(?=\s*[?.!…]*\s*$)")
# whom the question turns to at its end: after a particle ("… vậy ad?", "… nhé mọi người?") or calling them
# ("… cả nhà ơi?"). Alone, "mn", "ae", "mọi người" may be what is asked about ("Học bổng dành cho mn?")
# "b", "e" in lower case only: "… là A hay B ơi?", "vitamin à E?" end with what is asked about
_WHOM = r"(?:bot|ad|admin|bn|(?-i:b|e)|mọi\s+người|mn|ae|bro|cả\s+nhà|các\s+bạn)"
_TURNED_TO = re.compile(
    rf"(?:(\s+(?:ạ|nhé|nha|nhỉ|vậy|hả|à))\s+{_WHOM}|\s+{_WHOM}\s+ơi)(?=\s*[?.!…]*\s*$)", re.IGNORECASE
)
# after the question: thanks, or asking the group ("… km? thank you", "… km, có ai biết ko?")
_AFTER = re.compile(
    r"(?:(?<=[?.!…])|\s*,)\s*(?:(?:cảm|cám)\s+ơn|thanks?(?:\s+(?:you|u))?|thank\s+(?:you|u)|tks|thx|"
    r"(?:có\s+)?ai\s+biết\s+(?:không|ko|k))"
    r"(?:\s+(?:nhiều|nha|nhé|ạ|bot|ad|bro|mn|mọi\s+người|a lot)){0,2}\s*[?.!…]*\s*$",
    re.IGNORECASE,
)


def without_framing(question: str) -> str:
    """`question` without its opening greeting or request to ask and its closing particles. "" when that
    is all it was ("Cho em hỏi ạ": nothing is asked yet); a message without any ("cảm ơn") as it is."""
    text = question.strip()
    later = list(_LATER_ASK.finditer(text))
    if later and _ABOUT_ME.match(text):
        rest = text[later[-1].end():]
        if len(re.findall(r"\w+", _OPENING.sub("", rest, count=1))) >= ASKED_WORDS:
            text = rest
    text = _asked_after_paste(text)
    for _ in range(3):  # "Chào bot! Cho em hỏi …": one opening after another
        trimmed = _OPENING.sub("", text, count=1)
        if trimmed == text:
            break
        text = trimmed
    text = _AFTER.sub("", text)
    text = _CLOSING.sub("", _TURNED_TO.sub(lambda found: found.group(1) or "", text))
    text = re.sub(r"\s*,(?=\s*[?.!…]*\s*$)", "", text)  # "What year was it signed, bro?": no comma left
    if text == question.strip():
        return question
    words = re.findall(r"\w+", text.lower())
    return "" if all(word in _PARTICLES for word in words) else text


def _asked_after_paste(text: str) -> str:
    """The last sentence of `text` when it is a question asked after a pasted paragraph; else `text`."""
    if text.count("?") + text.count("？") != 1 or not text.endswith(("?", "？")):
        return text
    sentences = _SENTENCE.split(text)
    if len(sentences) < 3:  # a sentence of context and a question ("Em đang …. Cho em hỏi …") is not a paste
        return text
    last = sentences[-1]
    if len(re.findall(r"\w+", text[: len(text) - len(last)])) < PASTED_WORDS:
        return text
    asked = _THEN.sub("", last, count=1)
    bare = _OPENING.sub("", asked, count=1)
    if len(re.findall(r"\w+", bare)) < ASKED_WORDS or _POINTS_BACK.search(bare):
        return text
    return asked
