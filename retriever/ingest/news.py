"""Plain-text news articles: find the headline, date and source; drop page furniture; mark teasers.

Scraped news pages carry breadcrumbs, view counters, image captions and boxes of other
articles' teasers around the article itself. None of that is the article's own text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as calendar_day

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
from retriever.text import collapse_spaces, has_diacritics, sentences, word_count

# "6/3/2025", and as often written "06-03-2025" or "06.03.2025" (one separator throughout: "1.234.5678" or
# "2-3/2025" are no dates)
_DMY = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b")
# "2025-03-06", "2025-03", and a timestamp's date ("2025-03-06T15:00:00+07:00": the T follows without a break)
_YMD = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?(?:\b|(?=T\d))")
# the form of official letters and datelines: "ngày 12 tháng 5 năm 2025"
# the form of official letters and datelines: "ngày 12 tháng 5 năm 2025" (also "ngày 12 tháng 5, 2025")
_WORDS_DATE = re.compile(r"\b(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+|\s*,\s*)(\d{4})\b", re.IGNORECASE)
# "3 tháng 12 năm 2026", and as news sites print it under a headline, with the time ("… - 15:00", "lúc 15:00")
_WORDS_DATE_LINE = re.compile(r"^\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+|\s*,\s*)\d{4}\.?"
                              r"(?:[\s,|-]*(?:lúc\s+)?\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*\(?GMT[+-]\d+\)?)?)?$",
                              re.IGNORECASE)
# "Hà Nội, " before a date; not "Thời gian: 8 giờ 00, " (a notice's line of what happens when)
_PLACE = re.compile(r"^[^\W\d][^,:\n]{1,40},\s*")
_DAY_WORD = re.compile(r"^ngày\s+", re.IGNORECASE)
_ISSUED = re.compile(r"^(?:ngày\s+)?ban\s+hành(?:\s+ngày)?[\s:]*", re.IGNORECASE)  # "Ban hành ngày 15/01/2026"
_META_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\s*", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(thứ\s+(hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\b", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^((cập nhật|đăng|ngày đăng|ngày cập nhật|published|updated)(\s+(lúc|ngày|vào))*)?[\s:,|]*"
    r"(\d{1,2}:\d{2}(:\d{2})?[\s|,]*(ngày\s+)?)?\d{1,2}([/.-])\d{1,2}\8\d{4}([\s,|-]*(lúc\s+)?\d{1,2}:\d{2}(:\d{2})?)?"
    r"(\s*\(?GMT[+-]\d+\)?)?$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^(theo|nguồn)\s*:?\s*(.{2,60}?)\.?$", re.IGNORECASE)
_CAPTION = re.compile(
    r"(\s-\s*Ảnh\s*\d+\.?$)|(\(Ảnh\s*:?[^)]*\)\.?$)|((^|\.\s)Ảnh\s*:)|(^Ảnh\s*\d*\s*:)", re.IGNORECASE
)
_FURNITURE = re.compile(
    r"^(lượt xem:?\s*\d+|trả lời|bình luận|chia sẻ|in bài|xin chờ trong giây lát\.*|phiên bản di động|"
    r"chú thích ảnh|trang chủ\b.*|aa+|a\s*a|\[video\].*|xem thêm:?|quảng cáo|(©|copyright\b|\(c\)\s*\d{4}).{0,80})$",
    re.IGNORECASE,
)
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


def iso_date(day: str, month: str, year: str) -> str:
    """"" for a day that no calendar has ("31/02/2025", "12/25/2025" written month first)."""
    try:
        return calendar_day(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def find_date(line: str) -> str:
    if meta := _META_DATE.match(line):
        return meta.group(1) if _real(meta.group(1)) else ""
    if match := _DMY.search(line):
        day, _, month, year = match.groups()
        return iso_date(day, month, year)
    if match := _WORDS_DATE.search(line):
        return iso_date(*match.groups())
    if (match := _YMD.search(line)) and _real(found := "-".join(part for part in match.groups() if part)):
        return found
    return ""


def _real(iso: str) -> bool:
    """"2025-06" or "2025-06-30", not "2025-13-45"."""
    year, month, *day = (int(part) for part in iso.split("-"))
    return iso_date(str(day[0]) if day else "1", str(month), str(year)) != ""


# "Viêng Chăn, ngày 14/03/2025 – …", "HÀ NỘI, 5/9/2022 (TTXVN) …", "Hà Nội, ngày 5 tháng 9 năm 2022"
_DATELINE = re.compile(
    r"^\s*[^\W\d][^,.\n]{1,40},\s*(?:ngày\s+)?"
    r"(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))\b",
    re.IGNORECASE,
)


# "Ngày 15/1/2024, …", "Sáng ngày 3/4/2025, …": a lead that opens with the full date of what it reports
_OPENING_DATE = re.compile(
    r"^\s*(?:(?:rạng sáng|sáng|trưa|chiều|tối|đêm)\s+)?(?:ngày\s+)?"
    r"(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))\b",
    re.IGNORECASE,
)


def dateline_date(paragraph: str) -> str:
    """The date of a news dateline opening `paragraph` (place, then the date), or of a lead that opens with
    a full date ("Ngày 15/1/2024, …"), or ""."""
    match = _DATELINE.match(paragraph) or _OPENING_DATE.match(paragraph)
    if not match:
        return ""
    day, month, year = [g for g in match.groups() if g is not None]
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return ""
    return iso_date(day, month, year)


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


def is_date_line(line: str) -> bool:
    """A line that is only a date: "12/5/2025 10:30", "Thứ Hai, 12/5/2025", "Ngày 12/5/2025", and as official
    letters date themselves, "Hà Nội, ngày 12 tháng 5 năm 2025"."""
    if _META_DATE.fullmatch(line):
        return True
    stripped = _WEEKDAY.sub("", line).strip(" ,|")
    for candidate in (stripped, _PLACE.sub("", stripped, count=1)):
        candidate = _DAY_WORD.sub("", _ISSUED.sub("", candidate))
        if _DATE_LINE.match(candidate) or _WORDS_DATE_LINE.match(candidate):
            return True
    return False


def doubled_headline(line: str) -> str:
    """`X X` (a headline printed twice on one line, as teaser boxes do) returns X."""
    words = line.split()
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return ""


def is_slug(line: str) -> bool:
    """URL slugs printed as text (`infographic ky nang ...`): lower-case ASCII with no punctuation."""
    return line == line.lower() and not has_diacritics(line) and re.fullmatch(r"[a-z0-9 ]+", line) is not None


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE.match(line)) or bool(_CAPTION.search(line) and word_count(line) < 40) or is_slug(line) \
        or is_attachment(line)


# a page's attachments: the box under an article that lists its files to download ("Tệp đính kèm:
# KH-45-SGDĐT.pdf Tải về"), which the page's own words label (Vietnamese sites' "Tệp/File/Văn bản/Tài liệu đính
# kèm", English "Attachments") or whose links' buttons say what they do ("Tải về", "Tải xuống", "Download",
# "Xem trực tuyến"). Common words, not a site's: a file's name and a download button say nothing a reader asks
_ATTACHMENT_LABEL = re.compile(
    r"^(?:(?:(?:tệp|tập tin|file|văn bản|tài liệu)\s+)?đính\s+kèm|attachments?|attached\s+files?|downloads?)"
    r"\s*(?::|$)", re.IGNORECASE)
_DOWNLOAD = r"tải\s+(?:về|xuống)|download|xem\s+trực\s+tuyến|xem\s+(?:tệp|file)"
# a button: capitalised as one and last ("… .pdf Tải về"), or set apart in brackets or by a bar ("(tải xuống)",
# "| Download"); "Người dân có thể tải về ứng dụng", "Download ứng dụng VNeID để …" are sentences
_BUTTON = re.compile(r"(?:^|(?<=\s))(?:Tải\s+(?:về|xuống)|Download|Xem\s+trực\s+tuyến|Xem\s+(?:tệp|file))"
                     r"(?=\s*(?:$|[|)\]]))"
                     rf"|(?i:[(\[|]\s*(?:{_DOWNLOAD})|(?:{_DOWNLOAD})\s*[)\]|])")
_FILE = re.compile(r"[^\s;:]+\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|rtf|txt|zip|rar|7z|jpe?g|png)\b", re.IGNORECASE)
_FILE_SIZE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:[KMG]i?B|bytes?)\b", re.IGNORECASE)
ATTACHMENT_WORDS = 12  # besides its files and buttons, an attachment's line names a document at most


def is_attachment(line: str) -> bool:
    """A line of a page's attachments: opened by their label ("Tệp đính kèm:"), or a download button with
    little else than files' names and sizes beside it ("Tên tệp: KH-45.pdf; Dung lượng: 245 KB; Tải về")."""
    if _ATTACHMENT_LABEL.match(line):
        return True
    if not _BUTTON.search(line) or line.endswith((".", "!", "?", "…")):
        return False
    rest = _FILE_SIZE.sub(" ", _FILE.sub(" ", re.sub(_DOWNLOAD, " ", line, flags=re.IGNORECASE)))
    return word_count(rest) <= ATTACHMENT_WORDS


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
        if meta := _META_DATE.match(line):
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
