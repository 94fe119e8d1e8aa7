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
_ADDRESS = r"(?:bot|bạn|ad|admin|shop|mọi người|mn)\b"
_OPENING = re.compile(
    # "Chào bot!", "Xin chào,": a greeting is followed by whom it greets or by punctuation ("chào mừng" is not one)
    rf"^(?:(?:xin\s+)?chào|hello|hi|alo)\b(?:\s+{_ADDRESS}\s*[!,.:;]*|\s*[!,.:;]+)\s*"
    rf"|^{_ADDRESS}\s+ơi\s*[!,.:;]*\s*"  # "Bot ơi,"
    rf"|^(?:cho|để|xin\s+cho)\s+{_WHO}\s+hỏi(?:\s+(?:chút|xíu|tí|với|thăm))?(?:\s+là)?\s*[!,.:;]*\s*"  # "Cho em hỏi"
    rf"|^(?:xin\s+hỏi|{_WHO}\s+(?:muốn|cần)\s+(?:hỏi|biết))(?:\s+là)?\s*[!,.:;]*\s*",  # "Mình muốn biết là"
    re.IGNORECASE,
)
_PARTICLES = frozenset("ạ nhé nhá nha nhỉ vậy hả à ơi".split())
# lower case only: "Tây Ban Nha?" ends with a name, "… đi nha?" with a particle; "như vậy" is no particle
_CLOSING = re.compile(r"(?:\s+(?:ạ|nhé|nhá|nha|nhỉ|(?<!như\s)vậy|hả|à|ạ\s+ơi))+(?=\s*[?.!…]*\s*$)")


def without_framing(question: str) -> str:
    """`question` without its opening greeting or request to ask and its closing particles. "" when that
    is all it was ("Cho em hỏi ạ": nothing is asked yet); a message without any ("cảm ơn") as it is."""
    text = question.strip()
    for _ in range(3):  # "Chào bot! Cho em hỏi …": one opening after another
        trimmed = _OPENING.sub("", text, count=1)
        if trimmed == text:
            break
        text = trimmed
    text = _CLOSING.sub("", text)
    if text == question.strip():
        return question
    words = re.findall(r"\w+", text.lower())
    return "" if all(word in _PARTICLES for word in words) else text
