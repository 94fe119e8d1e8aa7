"""Plain-text news articles: find the headline, date and source; drop page furniture; mark teasers.

Scraped news pages carry breadcrumbs, view counters, image captions and boxes of other
articles' teasers around the article itself. None of that is the article's own text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retriever.ingest.dates import META_DATE, dateline_date, find_date, is_date_line
from retriever.ingest.furniture import is_furniture, is_slug
from retriever.ingest.official import (
    addressees_end,
    goes_on,
    is_form_line,
    is_letterhead,
    official_title,
    opens_recipients,
)
from retriever.ingest.sections import Sections, is_section_label, join_bare_labels, worded
from retriever.models import Paragraph
from retriever.text import collapse_spaces, sentences, word_count

_SOURCE = re.compile(r"^(theo|nguồn)\s*:?\s*(.{2,60}?)\.?$", re.IGNORECASE)
TEASER_SECTION = re.compile(
    r"^(có thể bạn quan tâm|tin bài liên quan|các tin bài khác|tin liên quan|tin cùng chuyên mục|"
    r"đọc nhiều( nhất)?|tin mới( nhất)?|xem nhiều( nhất)?|bài viết liên quan|các tin khác|tin khác)$",
    re.IGNORECASE,
)
_SENTENCE_FINAL = re.compile(r"[.!?…:;\"”’)]$")


def ends_sentence(line: str) -> bool:
    """`line` closes a sentence: a line without it runs on into the next one (hard-wrapped text)."""
    return bool(_SENTENCE_FINAL.search(line))
MIN_WORDS = 5
# said when a file gives no paragraph: a short note is all title, and the reader should know why
NO_PARAGRAPHS = (f"no paragraph of text found (the first line is read as the title, and lines of fewer than "
                 f"{MIN_WORDS} words are not paragraphs)")
HEADLINE_MAX_WORDS = 30
LEAD_WORDS = 20  # a "heading" longer than this that ends a sentence is a lead paragraph
BYLINE_WORDS = 12  # a line this short that holds a date, before any text, is a byline or date line


@dataclass(frozen=True)
class ParsedText:
    title: str
    title_derived: bool
    date: str
    source: str
    paragraphs: tuple[Paragraph, ...]
    url: str = ""  # where the text came from (a page's canonical URL), when the format says


def official_header(lines: Sequence[str]) -> tuple[str, str, int] | None:
    """An official document's title (`official.official_title`: its kind and subject), its date (the
    letterhead's place-and-date line) and where its text starts; None for any other text."""
    if (official := official_title(lines)) is None:
        return None
    title, start = official
    date = next((find_date(line) for line in lines[:start] if is_date_line(line)), "")
    end = addressees_end(lines, start)
    date = date or next((find_date(line) for line in lines[start:end] if is_date_line(line)), "")
    return title, date, end


def doubled_headline(line: str) -> str:
    """`X X` (a headline printed twice on one line, as teaser boxes do) returns X."""
    words = line.split()
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return ""


def source_of(line: str) -> str:
    match = _SOURCE.match(line)
    if match and word_count(match.group(2)) <= 5 and not match.group(2).endswith(","):
        return match.group(2).strip()
    return ""


def looks_like_headline(line: str) -> bool:
    return 4 <= word_count(line) <= HEADLINE_MAX_WORDS and not _SENTENCE_FINAL.search(line) and worded(line)


def split_lines(text: str) -> list[str]:
    """Lines, with hard-wrapped continuation lines (starting lower-case) joined back."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = collapse_spaces(raw)
        if not line:
            lines.append("")
            continue
        previous = lines[-1] if lines else ""
        if previous and not _SENTENCE_FINAL.search(previous) and not is_slug(line) and (
                line[0].islower() or _wrapped_number(previous, line)):
            lines[-1] = f"{previous} {line}"
        else:
            lines.append(line)
    return [line for line in lines if line]


WRAPPED_WIDTH = 40  # characters: a line this long that ends mid-sentence was wrapped, not a heading


def _wrapped_number(previous: str, line: str) -> bool:
    """A hard-wrapped line that goes on with a number ("… đến hết ngày" / "25 tháng 4 năm 2025 tại …"): not
    a numbered item ("2. …"), a date line, or the text under a short heading ("Lịch thi" / "5 tháng 6: …")."""
    return (line[0].isdigit() and len(previous) >= WRAPPED_WIDTH and not _NUMBERED.match(line)
            and not is_date_line(line))


def derive_title(paragraph: str, max_words: int = 14) -> str:
    first = sentences(paragraph)[0] if paragraph else ""
    words = first.split()
    if len(words) <= max_words:
        return first.rstrip(".")
    # not inside a name: "…hợp tác toàn diện Việt…" read as a title of its own
    end = max_words
    while end < min(len(words), max_words + 4) and words[end - 1][:1].isupper() and words[end][:1].isupper():
        end += 1
    return first.rstrip(".") if end == len(words) else " ".join(words[:end]) + "…"


def is_question(line: str) -> bool:
    """A line that only asks ("Trường có học bổng không?", "Hỏi: Sinh viên được nghỉ học mấy buổi?"): an
    FAQ's or an interview's question, which the paragraphs after it answer."""
    asked = _NUMBERED.sub("", line)  # "1. Trung tâm làm việc vào thứ Bảy không?": the number is no sentence
    return asked.endswith("?") and word_count(asked) <= HEADLINE_MAX_WORDS and len(sentences(asked)) == 1


_NUMBERED = re.compile(r"^(?:\d{1,3}|[a-zđ]|[IVXLC]{1,6})[.)]\s+")


def parse_news_text(text: str, fallback_title: str = "", headings: frozenset[str] = frozenset(),
                    items: frozenset[str] = frozenset()) -> ParsedText:
    """`headings`: the lines the format marks as section headings (Markdown's `##`, a page's `<h2>`);
    `items`: as a list's items (`<li>`), kept however short under a heading ("Căn cước công dân" under
    "Giấy tờ cần mang"); before any heading, a short one is taken for a menu."""
    lines = split_lines(text)
    if official := official_header(lines):  # a decision, an official letter…: its kind and subject
        title, date, header_end = official
    else:
        date, title, header_end = _read_header(lines)
    body = join_bare_labels(lines[header_end:], str, lambda _, label: label)
    closing = False  # in a document's closing block (recipients, signature)
    source = ""
    seen: set[str] = {title}
    sections = Sections(seen)
    in_teasers = False
    teaser_title = ""
    next_is_teaser = False
    for line in body:
        follows_headline, next_is_teaser = next_is_teaser, False
        if TEASER_SECTION.match(line):
            sections.close()
            in_teasers = True
            continue
        if found := source_of(line):
            source = source or found
            if found.lower() not in source.lower():
                source = f"{source} ({found})"
            continue
        if headline := doubled_headline(line):
            teaser_title, next_is_teaser = headline, True
            continue
        if is_date_line(line):
            # "Khánh Hòa, ngày 20 tháng 6 năm 2025" below a letterhead; a teaser box's dates are other articles'
            date = date or ("" if in_teasers else find_date(line))
            continue
        # "Nơi nhận:" closes a notice typed in an office's form without the letterhead as it closes an
        # official letter
        closing = (closing or opens_recipients(line)) and (official is not None or not goes_on(line))
        if closing and not is_section_label(line):
            continue  # the recipients and the signature, up to an annex
        closing = False
        if official and is_form_line(line, not sections.paragraphs) and not is_section_label(line):
            continue
        # a page's lead set as a heading (`<h2 class="sapo">`, as some outlets mark it) is text: sentences,
        # more than a heading's words; as a heading it was never quoted
        marked = line in headings and not (word_count(line) > LEAD_WORDS and ends_sentence(line))
        if not in_teasers and (marked or is_question(line) or is_section_label(line)):
            if line != title:  # the page's headline again as its first heading heads nothing
                sections.open(line)
            continue
        if in_teasers and 2 <= word_count(line) < MIN_WORDS and not _SENTENCE_FINAL.search(line) \
                and not is_furniture(line):
            # a short headline in a box of other articles ("Bơi ngược sóng") heads the teaser under it: the
            # previous teaser's headline was carried over to it
            teaser_title = line
            continue
        # an FAQ's short answer ("Có, miễn phí.") is the answer, not furniture
        answers = sections.waiting and is_question(sections.heading) and not in_teasers
        answers = answers or (line in items and bool(sections.heading) and not in_teasers)
        if is_furniture(line) or is_letterhead(line) or line in seen or (word_count(line) < MIN_WORDS
                                                                           and not answers):
            continue
        if in_teasers and looks_like_headline(line):
            teaser_title = line
            continue
        seen.add(line)
        teaser = in_teasers or follows_headline
        sections.add(Paragraph(line, teaser=teaser, teaser_title=teaser_title if teaser else ""))
        teaser_title = ""
    sections.close()
    paragraphs = sections.paragraphs
    own_first = next((p.text for p in paragraphs if not p.teaser), "")
    date = date or dateline_date(own_first)  # "Viêng Chăn, ngày 14/03/2025 – …" opening the article
    if not title:
        own = [p.text for p in paragraphs if not p.teaser]
        derived = derive_title(own[0]) if own else fallback_title
        return ParsedText(derived, True, date, source, tuple(paragraphs))
    return ParsedText(title, False, date, source, tuple(paragraphs))


def _read_header(lines: list[str]) -> tuple[str, str, int]:
    """Date and headline from the first few lines; returns where the body starts."""
    date = ""
    for index, line in enumerate(lines[:6]):
        if meta := META_DATE.match(line):
            date = date or meta.group(1)
            rest = line[meta.end() :].strip()
            lines[index] = rest
            if not rest:
                continue
        if is_date_line(line):
            date = date or find_date(line)
            continue
        if is_furniture(line) or not lines[index]:
            continue
        line = lines[index]
        if looks_like_headline(line):
            return date or _date_after(lines, index), line, index + 1
        return date, "", index  # the article starts with its lead: no headline
    return date, "", 0


def _date_after(lines: list[str], index: int) -> str:
    for line in lines[index + 1 : index + 3]:
        if is_date_line(line):
            return find_date(line)
    return ""
