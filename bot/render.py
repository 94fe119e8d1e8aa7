"""HTML for answers, always within Telegram's limits; whole articles and lists are in `bot/listing.py`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape, unescape
from pathlib import PurePosixPath

from telegram.constants import MessageLimit

from bot.links import quote_link
from bot.texts import text
from retriever.models import ArticleInfo, SearchResponse, SearchResult
from retriever.query.language import reads_english
from retriever.text import collapse_spaces, shortened, strip_controls

MESSAGE_LIMIT = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096; Telegram counts UTF-16 code units
# what a quote is measured against: Telegram counts the text it shows (after parsing the HTML); the margin
# covers any difference between that count and ours (whitespace it trims, an entity read otherwise)
SHOWN_LIMIT = MESSAGE_LIMIT - 64
EXPANDABLE_FROM = 400  # characters; longer quotes start collapsed so a page stays readable
QUESTION_PREVIEW = 200
HEADING_SHOWN = 200  # characters of a quote's section heading
TITLE_SHOWN = 300  # characters of its article's title and source
SHORTEST_SHOWN = 24  # characters a title, source, heading or file name keeps when a page has no room for more
QUOTE_KEPT = 200  # characters a quote keeps before its title, source and heading are shortened too
_TAG = re.compile(r"<[^>]*>")


def utf16_len(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def shown_text(html: str) -> str:
    """The text Telegram shows of `html`: without tags (a link's address is not shown), with entities read as
    the characters they stand for."""
    return unescape(_TAG.sub("", html))


def shown_len(html: str) -> int:
    """How long Telegram counts `html` against its 4096 limit: the text it shows (`shown_text`)."""
    return utf16_len(shown_text(html))


def shown(value: str) -> str:
    """Escaped for Telegram HTML, without control or bidi characters (an index built before they were
    stripped from titles may still hold them)."""
    return escape(strip_controls(value))


def shown_name(name: str, limit: int = 100) -> str:
    """A file name as echoed in a message: on one line, without control or bidi characters, escaped (a name
    is whatever the sender typed: "dong\\nhai\\u202e.txt" must not break the line or reverse it)."""
    return shown(collapse_spaces(name)[:limit])


def shown_count(number: int, lang: str) -> str:
    """200,000 in English, 200.000 in Vietnamese."""
    return f"{number:,}".replace(",", ".") if lang == "vi" else f"{number:,}"


def shown_url(url: str, limit: int = 120) -> str:
    """A URL as echoed in a message: escaped, and its middle cut when long (a 10 KB link must not make
    the message too long for Telegram)."""
    url = strip_controls(url)
    if len(url) > limit:
        url = f"{url[: limit * 2 // 3]}…{url[-limit // 3 :]}"
    return escape(url)


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def shown_date(date: str, lang: str) -> str:
    """A date as a reader writes it: "04/09/2022", "09/2022" in Vietnamese (the quotes write "05/09/1962",
    and "2022-09-04" read as foreign); ISO in English, where day and month in either order would mislead."""
    found = _ISO_DATE.fullmatch(date)
    if lang != "vi" or found is None:
        return shown(date)
    year, month, day = found.groups()
    return "/".join(part for part in (day, month, year) if part)


def _source_line(result: SearchResult | ArticleInfo, lang: str, cap: int = TITLE_SHOWN) -> str:
    """`cap`: characters of the title, the source and the file name (an index built before titles were capped
    at reading may hold one a page long; a page of ten results has room for less)."""
    title = f"<i>{shown(shortened(result.title, cap))}</i>"
    link = quote_link(result.url, result.highlight) if isinstance(result, SearchResult) else ""
    parts = [f'<a href="{escape(link)}">{title}</a>' if link else title]
    if result.date:
        parts.append(shown_date(result.date, lang))
    if result.source:
        parts.append(shown(shortened(result.source, cap)))
    if not quote_link(result.url, "") and not result.source:
        # neither a web page to open nor a named source: the file the passage was read from is its only
        # provenance (an uploaded report); where a source is named, a file name adds nothing for a reader
        parts.append(f"📎 {shown(shortened(PurePosixPath(result.document).name, cap))}")
    return " · ".join(parts)


def _quote(body: str, bold: tuple[int, int]) -> str:
    """`body` shown (escaped, without control and bidi characters: a paragraph keeps them as the file had
    them), its characters `bold` (start, end) in bold."""
    start, end = bold
    if start >= end:
        return shown(body)
    return f"{shown(body[:start])}<b>{shown(body[start:end])}</b>{shown(body[end:])}"


def _window(result: SearchResult, size: int) -> tuple[str, tuple[int, int], bool, bool]:
    """A `size`-character slice of the paragraph around the highlight, cut at spaces, and where the
    highlight (or the part of it the slice holds) lies in it."""
    body, highlight = result.text, result.highlight
    at = body.find(highlight) if highlight else -1
    if len(body) <= size:
        return body, (at, at + len(highlight)) if at >= 0 else (0, 0), False, False
    # context before the highlight only where the highlight still fits after it: a long answering sentence
    # on a crowded page lost its end to that context, and with it its bold (no longer found whole)
    before = min(size // 4, max(0, size - len(highlight))) if at >= 0 else 0
    start = max(0, min(max(at, 0) - before, len(body) - size))
    if start and not body[start - 1].isspace():
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < start + 40 else start
    end = min(len(body), start + size)
    # already at a space, the slice ends between words: cut back to the space before, an answering sentence
    # that filled the slice to its last character lost its last word
    if end < len(body) and not body[end].isspace():
        space = body.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    bold = (max(at, start) - start, min(at + len(highlight), end) - start) if at >= 0 else (0, 0)
    return body[start:end], bold, start > 0, end < len(body)


def _sizes(length: int, room: int) -> Iterable[tuple[int, int]]:
    """(characters of the quote, characters of its title, source and heading) to try, longest first: the quote
    is shortened down to QUOTE_KEPT, then a long title, source and heading, then the quote again. A quote
    longer than `room` cannot be shown whole, so the first try is already shortened to it."""
    size, cap = min(length, max(room, 20)), TITLE_SHOWN
    while size > QUOTE_KEPT:
        yield size, cap
        size = int(size * 0.85)
    while cap > SHORTEST_SHOWN:
        yield size, cap
        cap = max(SHORTEST_SHOWN, int(cap * 0.8))
    while size > 20:
        yield size, cap
        size = int(size * 0.85)
    yield size, cap


def _rendered(result: SearchResult, number: int, lang: str, size: int, cap: int) -> str:
    body, bold, head_cut, tail_cut = _window(result, size)
    quoted = ("…" if head_cut else "") + _quote(body, bold) + ("…" if tail_cut else "")
    tag = "<blockquote expandable>" if len(body) > EXPANDABLE_FROM else "<blockquote>"
    lines = [f"{tag}{quoted}</blockquote>", f"<b>{number}.</b> 📰 {_source_line(result, lang, cap)}"]
    heading = shown(shortened(result.teaser_title, min(HEADING_SHOWN, cap)))
    if result.teaser_title and not result.teaser:
        # the section or FAQ question the paragraph answers ("Điều 12. Cảnh báo học tập"), read before it;
        # shortened, as a heading may be a whole paragraph long and must not push the quote out
        lines.insert(0, f"📑 {heading}")
    if result.teaser:
        label = text(lang, "teaser_of", title=heading) if result.teaser_title else text(lang, "teaser")
        lines.append(f"🔖 {label}")
    if result.ocr:
        lines.append(text(lang, "ocr_quote"))
    if head_cut or tail_cut:
        lines.append(text(lang, "cut"))
    return "\n".join(lines)


def format_result(result: SearchResult, number: int, lang: str, max_len: int = SHOWN_LIMIT) -> str:
    """One quoted paragraph with its source; shortened (never reworded) only if what Telegram shows of it,
    and counts, is over `max_len`."""
    if not result.text and not result.document:
        return f"<b>{number}.</b> {text(lang, 'passage_removed')}"  # removed since the answer (bot/readers/saved.py)
    rendered = ""
    for size, cap in _sizes(len(result.text), max_len):
        rendered = _rendered(result, number, lang, size, cap)
        if shown_len(rendered) <= max_len:
            break
    return rendered


def format_abstention(response: SearchResponse, lang: str, examples: Sequence[str]) -> str:
    """Nothing answers. A question in another language is told that the collection is in Vietnamese: in
    English when it reads as English (the asker may not read Vietnamese), with one of `examples` to ask
    instead, else in the asker's language (French, a string in no language). Headed by the question, as an
    answer is: which of several questions found nothing, and what a reply to it leans on."""
    if not response.foreign:
        said = text(lang, "abstained")
    else:
        lang = abstention_language(response, lang)
        said = text(lang, "abstained_foreign", example=escape(examples[0]) if examples else "")
    return f"{question_header(response.question, lang)}\n\n{said}"


def abstention_language(response: SearchResponse, lang: str) -> str:
    """The language "nothing found" is said in: English for a question in English, else the asker's."""
    return "en" if response.foreign and reads_english(response.question) else lang


def question_header(question: str, lang: str) -> str:
    return text(lang, "question", question=shown(shortened(" ".join(question.split()), QUESTION_PREVIEW)))


def example_list(examples: Sequence[str], count: int) -> str:
    """The deployment's example questions as the bulleted lines of /start and /help."""
    return "\n".join(f"• {escape(question)}" for question in examples[:count])


def format_answer(
    question: str, results: Sequence[SearchResult], first: int, total: int, lang: str, confident: int | None = None
) -> str:
    """A page of results: the question, the position in the list, then each quote. `confident`: how many of
    all the results pass the gate on their own; the ones after them are said to be less related, where they
    start, and the first page says how many wait behind "more results" (a reader took "1–1 / 9" for nine
    answers, and page 2's loosely related paragraphs for answers)."""
    header = question_header(question, lang)
    if total > len(results):
        # "Kết quả 2–2 / 2" for a page of one
        header += "\n" + text(lang, "page" if len(results) > 1 else "page_one", first=first + 1,
                                last=first + len(results), total=total)
        if confident is not None and first == 0 and total > confident:
            waiting = total - max(confident, len(results))
            # the verb agrees with the count: English said "1 more are less related"
            header += "\n" + (text(lang, "weaker_waiting_one") if waiting == 1
                               else text(lang, "weaker_waiting", count=waiting))
    weaker = len(results) if confident is None else min(max(confident - first, 0), len(results))

    def page(share: int = SHOWN_LIMIT) -> str:
        blocks = [format_result(r, first + i + 1, lang, share) for i, r in enumerate(results)]
        if weaker < len(results):
            blocks.insert(weaker, text(lang, "weaker_one" if len(results) - weaker == 1 else "weaker"))
        return "\n\n".join([header, *blocks])

    message = page()
    if shown_len(message) <= SHOWN_LIMIT:
        return message
    # too long together: give every result an equal share rather than dropping any, smaller until the page
    # fits (a share is what a quote may take; its title, source and heading come on top of it)
    share = (SHOWN_LIMIT - shown_len(header) - 120 - 2 * len(results)) // max(len(results), 1)
    while True:
        message = page(share)
        if shown_len(message) <= SHOWN_LIMIT or share <= 20:
            return message
        share = int(share * 0.85)
