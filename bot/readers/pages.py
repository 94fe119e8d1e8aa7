"""An answer's page: its quotes and the buttons under them (📄 an article, more results, 👍 👎, 🔔)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.readers.feedback import vote_row
from bot.readers.saved import is_removed
from bot.render import format_answer
from bot.texts import text
from retriever.models import SearchResponse

MAX_PER_PAGE = 10  # results per answer: the chat setting's and TOP_K's largest value


def page_bounds(response: SearchResponse, page: int, per_page: int) -> tuple[int, int]:
    """The results a page shows. The first page shows only those that pass the gate on their own
    (`SearchResponse.confident`); weaker related ones wait behind "more results"."""
    head = min(per_page, response.shown)
    if page == 0:
        return 0, head
    first = head + (page - 1) * per_page
    return first, min(first + per_page, len(response.results))


def answer_page(
    response: SearchResponse, key: str, page: int, per_page: int, lang: str
) -> tuple[str, InlineKeyboardMarkup]:
    first, last = page_bounds(response, page, per_page)
    shown = response.results[first:last]
    html = format_answer(response.question, shown, first, len(response.results), lang, response.shown)
    # callback data carries only the cache key and numbers: question text could overflow 64 bytes
    # one 📄 an article, under its first result: three quotes of one article made three buttons that sent it
    # once, then said it was sent already. None under a passage removed since the answer: it only said so again
    firsts = {result.document: i for i, result in reversed(list(enumerate(shown))) if not is_removed(result)}
    articles = [
        InlineKeyboardButton(text(lang, "article_button", n=first + i + 1), callback_data=f"a:{key}:{first + i}")
        for i in sorted(firsts.values())
    ]
    # the page size and how many results the first page shows go with the buttons: the chat's results per
    # answer may change before they are pressed, and the saved search keeps only its passages
    nav, sized = [], f"{per_page}:{response.shown}"
    if page > 0:
        nav.append(InlineKeyboardButton(text(lang, "prev"), callback_data=f"m:{key}:{page - 1}:{sized}"))
    if last < len(response.results):
        nav.append(InlineKeyboardButton(text(lang, "more"), callback_data=f"m:{key}:{page + 1}:{sized}"))
    # 🔔: tell me when newly added paragraphs answer this (bot/readers/follows.py)
    feedback = [*vote_row(key), InlineKeyboardButton(text(lang, "follow_button"), callback_data=f"f:{key}")]
    return html, InlineKeyboardMarkup([row for row in (articles, nav, feedback) if row])
