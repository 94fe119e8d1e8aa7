"""A follow-up that leans on the question before it: "Còn Campuchia thì sao?", "Thế còn năm 2023?", "What
about Cambodia?". Searched as it stands, "còn Campuchia thì sao?" quoted a paragraph that merely names
Cambodia (a scholarship notice) as if it answered something. Read with the question before it ("Đường biên
giới Việt Nam - Lào dài bao nhiêu km?") it asks that question of Cambodia, and the gate then decides on
that question, which the collection may well not answer.

Only the forms readers use to swap one name or one number are read so: the new name or number replaces
the last name or number of the question before. Anything else ("vậy còn bóng đá nữ?") is searched as typed,
as before: where the swap is not clear, a guess would put words in the reader's mouth.
"""

from __future__ import annotations

import re

from retriever.text import nfc

_END = r"\s*(?:ạ|nhỉ|nhé|vậy|hả|à)?\s*[?？.!…]*\s*$"
_FORMS = (
    # "còn Campuchia thì sao?", "thế còn năm 2023 thì thế nào?", "Campuchia thì sao?", "với Campuchia thì sao?"
    re.compile(rf"^(?:(?:thế|vậy|thế thì|vậy thì)\s+)?(?:còn\s+)?(?:với\s+|về\s+)?(?P<x>.+?)"
               rf"\s+thì\s+(?:sao|thế nào|như thế nào){_END}", re.IGNORECASE),
    # "thế còn Campuchia?", "vậy còn năm 2023?", "còn Campuchia?" (the bare "còn" only before a name or number:
    # "còn bao lâu nữa?" is a question of its own)
    re.compile(rf"^(?:(?:thế|vậy)\s+)?còn\s+(?:với\s+|về\s+)?(?P<x>.+?){_END}", re.IGNORECASE),
    re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE),
    re.compile(r"^and\s+(?P<x>.+?)\s*\?\s*$", re.IGNORECASE),
)
# a part that asks something itself is a question, not the thing swapped in ("còn bao nhiêu suất học bổng?")
_ASKS = re.compile(
    r"\b(?:bao nhiêu|bao lâu|bao giờ|mấy|gì|nào|ai|đâu|sao|thế nào|không|chưa|what|who|when|where|why|how|which)\b",
    re.IGNORECASE,
)
MAX_WORDS = 5  # "Campuchia", "Phạm Minh Chính", "năm 2023": a name or a number, not a sentence
_NUMBER = re.compile(r"\d+(?:[/.,-]\d+)*")
_CASED = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)


def swapped_in(message: str) -> str | None:
    """The name or number a follow-up swaps in ("Campuchia", "2023"), or None when `message` is no
    follow-up of that kind."""
    text = " ".join(nfc(message).split())
    for form in _FORMS:
        found = form.match(text)
        if found is None:
            continue
        part = found.group("x").strip(" ,:;-")
        words = part.split()
        if not words or len(words) > MAX_WORDS or _ASKS.search(part):
            return None
        named = any(word[0].isupper() for word in words)
        # a number ("năm 2023") or a name ("Thái Lan"); both ("Sea Games 2025") is a new subject, not a swap
        return part if bool(_NUMBER.search(part)) != named else None
    return None


def follow_up(previous: str, message: str) -> str | None:
    """`previous` asked again of what `message` swaps in, or None when `message` is no follow-up or its
    swap has no place in `previous` (a number for a question without one, a name for one without names)."""
    part = swapped_in(message)
    if part is None or not previous.strip():
        return None
    number = _NUMBER.search(part)
    if number is not None:
        numbers = list(_NUMBER.finditer(previous))
        if not numbers:
            return None
        last = numbers[-1]
        return f"{previous[: last.start()]}{number.group()}{previous[last.end():]}"
    runs = _name_runs(previous)
    if not runs:
        return None
    start, end = runs[-1]
    if previous[start:end].casefold() == part.casefold():
        return None  # the same name again: nothing swapped
    return f"{previous[:start]}{part}{previous[end:]}"


def _name_runs(question: str) -> list[tuple[int, int]]:
    """Spans of consecutive capitalised words: the names. The question's first word counts only inside a run
    of two or more ("Việt Nam và Lào …"), since a sentence starts with a capital anyway."""
    words = list(_CASED.finditer(question))
    runs: list[list[re.Match[str]]] = []
    for position, word in enumerate(words):
        if not word.group()[0].isupper():
            continue
        between = question[words[position - 1].end(): word.start()] if position else ""
        if runs and runs[-1][-1] is words[position - 1] and between.strip() == "":
            runs[-1].append(word)
        else:
            runs.append([word])
    kept = [run for run in runs if not (run[0] is words[0] and len(run) == 1)] if words else []
    return [(run[0].start(), run[-1].end()) for run in kept]
