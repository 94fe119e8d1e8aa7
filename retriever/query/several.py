"""A message that asks several things: "Biên giới Việt - Lào dài bao nhiêu? Hai nước ký Hiệp ước Hữu nghị
năm nào?". Searched as one question, the words of both are matched at once and the paragraph that best
meets them together answers neither well: the second question's answer came first, the first's behind
"more results" at relevance 0.17. Each question is searched, and answered, on its own.
"""

from __future__ import annotations

import re

# a question mark followed by more text: where one question ends and the next begins
_BREAK = re.compile(r"(?<=[?？])\s+(?=\S)")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 3  # "Sao?", "Thật à?": a remark, not a question to search on its own
MAX_QUESTIONS = 3  # more than that in one message is a list to read, not questions to answer one by one


# typed without question marks, two questions are told apart by how each ends: "biên giới dài bao nhiêu
# km, hiệp ước ký năm nào" was searched as one, and only the treaty was answered
_CLAUSE = re.compile(r"(?<=\w)\s*[,;.]\s+(?=\w)")
# a question word, not "không"/"chưa": "Dù đóng học phí đủ hay chưa, sinh viên có được thi không" is one
_ASKING = re.compile(r"\b(?:bao nhiêu|mấy|nào|đâu|ai|gì|bao giờ|bao lâu|bao xa|thế nào|ra sao)\b"
                     r"(?:\s+\w+){0,2}\s*$", re.IGNORECASE)
MIN_CLAUSE_WORDS = 5  # "ký năm nào" after a comma goes on the sentence before it, and is searched with it


# a clause that leans on another: it opens on what frames it ("Trong các nước ASEAN nào, …"), or speaks of
# someone the clause before named ("…, ông ấy sang Việt Nam khi nào")
_LEANING = re.compile(r"^(?:trong|ở|tại|với|theo|về|dù|nếu|khi|sau|trước|còn|và|thì|ông|bà|anh|chị|cô|họ|nó|"
                      r"người này|người đó|việc này|điều này)\b", re.IGNORECASE)


def _unmarked(message: str) -> list[str]:
    """The clauses of a message without question marks, when it is two or three questions, each asking
    with its own words at its end and standing on its own; else the message."""
    parts = _CLAUSE.split(message.strip())
    if 2 <= len(parts) <= MAX_QUESTIONS and all(
            _ASKING.search(part) and len(_WORD.findall(part)) >= MIN_CLAUSE_WORDS and not _LEANING.match(part)
            for part in parts):
        return parts
    return [message]


def questions_in(message: str) -> list[str]:
    """The questions `message` asks, in order: split after each question mark followed by more text. Text
    before the first one (a sentence of context) stays with it, and text after the last one (a thanks)
    with the last. One question, the message itself, when a part is too short to be asked alone or
    there are more than `MAX_QUESTIONS`."""
    parts = _BREAK.split(message.strip())
    asked = [part for part in parts if part.rstrip().endswith(("?", "？"))]
    if not asked:
        return _unmarked(message)
    if len(asked) < 2:
        return [message]
    if not parts[-1].rstrip().endswith(("?", "？")):  # "… năm nào? Cảm ơn bot": the thanks is no question
        parts = [*parts[:-2], f"{parts[-2]} {parts[-1]}"]
    if len(parts) > MAX_QUESTIONS or any(len(_WORD.findall(part)) < MIN_WORDS for part in parts):
        return [message]
    return parts
