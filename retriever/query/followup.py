"""A follow-up that leans on the question before it: "Còn Campuchia thì sao?", "Thế còn năm 2023?", "What
about Cambodia?". Searched as it stands, "còn Campuchia thì sao?" quoted a paragraph that merely names
Cambodia (a scholarship notice) as if it answered something. Read with the question before it ("Đường biên
giới Việt Nam - Lào dài bao nhiêu km?") it asks that question of Cambodia, and the gate then decides on
that question, which the collection may well not answer.

Only the forms readers use to swap one name or one number are read so: the new name or number replaces
the last name or number of the question before. A name typed in lower case ("còn campuchia thì sao?", as
phones leave it) is one of one or two words that neither ask nor point, and is written capitalised.
Anything else ("vậy còn bóng đá nữ?") is searched as typed, as before: where the swap is not clear, a guess
would put words in the reader's mouth.
"""

from __future__ import annotations

import re
from dataclasses import replace

from retriever.models import SearchResponse
from retriever.query.framing import without_framing
from retriever.query.stopwords import STOPWORDS
from retriever.text import fold, fold_word, nfc

# matched without diacritics ("con Campuchia thi sao?"); a closing particle is a word of its own: the "a" that
# ends "Campuchia" is none
_END = r"(?:\s+(?:a|nhi|nhe|vay|ha))?\s*[?？.!…]*\s*$"
# "còn" (or "what about") says a follow-up; a bare "X thì sao?" is as often a question of its own ("Vậy thì
# sao?", "Visa hết hạn thì sao?"), and was read as one with its first, capitalised word swapped in
_FORMS = (
    # "còn Campuchia thì sao?", "thế còn năm 2023 thì thế nào?", "thế còn Campuchia?", "còn Campuchia?"
    re.compile(rf"^(?:(?:the|vay)\s+)?con\s+(?:voi\s+|ve\s+)?(?P<x>.+?)"
               rf"(?:\s+thi\s+(?:sao|the nao|nhu the nao))?{_END}"),
    re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE),
)
# "thế năm 2017?", "Vậy Campuchia thì sao?": "thế"/"vậy" without "còn" says a follow-up only of a year, or of
# a capitalised name asked "thì sao"; in lower case the words are as often a question of their own ("vậy thì
# sao?", "thế à?"), and "Thế" may begin the name itself ("Thế Vận Hội?")
_BARE = re.compile(rf"^(?:the|vay)\s+(?P<x>.+?)(?P<how>\s+thi\s+(?:sao|the nao|nhu the nao))?{_END}")
MAX_WORDS = 4  # "Campuchia", "Phạm Minh Chính", "năm 2023": a name or a year, not a sentence
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_YEAR_PART = re.compile(r"^(?:(?:năm|year|in)\s+)?((?:1[89]|20)\d\d)$", re.IGNORECASE)
_CASED = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)


def swapped_in(message: str) -> str | None:
    """The name or year a follow-up swaps in ("Campuchia", "2017"), or None when `message` is no follow-up
    of that kind: every word of a name capitalised ("Thái Lan", not "bóng đá nữ" or "Hà Nội đẹp lắm")."""
    # read without a greeting or thanks around it: "Còn Campuchia thì sao? cảm ơn nhé", "bot ơi, còn …" were
    # searched as typed, quoting what merely names Cambodia
    text = " ".join(nfc(message).split())
    text = without_framing(text) or text
    folded = fold_word(text)  # one letter for one: the part is cut from the text as typed
    if len(folded) != len(text):
        return None
    for form in (*_FORMS, _BARE):
        found = form.match(folded)
        if found is None:
            continue
        part = text[found.start("x"):found.end("x")].strip(" ,:;-")
        if year := _YEAR_PART.match(part):
            return year.group(1)
        words = part.split()
        if form is _BARE and found.group("how") is None:
            return None
        if 0 < len(words) <= MAX_WORDS and all(word[0].isupper() and not word.isdigit() for word in words):
            return part
        if form is not _BARE and 0 < len(words) <= LOWER_WORDS and all(_name_typed_low(word) for word in words):
            # typed in lower case, as on a phone ("còn campuchia thì sao?"): a name of one or two words
            # takes a name's place, written as one; searched as typed it quoted what merely names it
            return " ".join(word[:1].upper() + word[1:] for word in words)
        return None
    return None


LOWER_WORDS = 2  # "campuchia", "thái lan"; three words in lower case are as often a topic ("bóng đá nữ")
# words that ask or point, not names: "còn mấy ngày?", "còn ai nữa?" ask a question of their own
_NOT_NAMES = STOPWORDS | frozenset(
    {"may", "bao", "nhieu", "gio", "nua", "roi", "chua", "khong", "ha", "ma", "ban", "tui", "to", "cau"}
)


def _name_typed_low(word: str) -> bool:
    return word.isalpha() and word.islower() and fold_word(word) not in _NOT_NAMES


def follow_up(previous: str, message: str) -> str | None:
    """`previous` asked again of what `message` swaps in, or None when `message` is no follow-up or its
    swap has no place in `previous`: a year for a question without one, a name for one without a name to
    replace. A year replaces the last year; a name the last name of the question."""
    part = swapped_in(message)
    if part is None or not previous.strip():
        return None
    if part.isdigit():
        years = list(_YEAR.finditer(previous))
        if not years:
            return None
        last = years[-1]
        return f"{previous[: last.start()]}{part}{previous[last.end():]}"
    runs = _name_runs(previous)
    if not runs:
        return None
    start, end = runs[-1]
    if previous[start:end].casefold() == part.casefold():
        return None  # the same name again: nothing swapped
    return f"{previous[:start]}{part}{previous[end:]}"


def naming(response: SearchResponse, part: str) -> SearchResponse:
    """`response` with only the quotes that name `part`, the name or year a follow-up swapped in (in their
    text or their article's title, diacritics and case aside): a paragraph without it answers the question
    before, not this one. "Còn Campuchia thì sao?" after the Vietnam–Laos border quoted the Vietnam–Laos
    paragraph under the question about Cambodia. When none that passes the gate names it, nothing answers,
    whatever weaker paragraph does."""
    wanted = fold(part)
    kept = [(i, result) for i, result in enumerate(response.results) if wanted in fold(f"{result.title} {result.text}")]
    confident = sum(1 for i, _ in kept if response.confident is None or i < response.confident)
    results = tuple(result for _, result in kept) if confident else ()
    return replace(response, results=results, abstained=not results, confident=confident)


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
