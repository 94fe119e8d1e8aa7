"""Dates as Vietnamese pages write them: "6/3/2025", "ngày 12 tháng 5 năm 2025", a dateline ("Hà Nội,
ngày …"), a line that is only a date; each read as an ISO date, or "" for a day no calendar has."""

from __future__ import annotations

import re
from datetime import date as calendar_day

# "6/3/2025", and as often written "06-03-2025" or "06.03.2025" (one separator throughout: "1.234.5678" or
# "2-3/2025" are no dates)
_DMY = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b")
# "2025-03-06", "2025-03", and a timestamp's date ("2025-03-06T15:00:00+07:00": the T follows without a break)
_YMD = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?(?:\b|(?=T\d))")
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
META_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\s*", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(thứ\s+(hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\b", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^((cập nhật|đăng|ngày đăng|ngày cập nhật|published|updated)(\s+(lúc|ngày|vào))*)?[\s:,|]*"
    r"(\d{1,2}:\d{2}(:\d{2})?[\s|,]*(ngày\s+)?)?\d{1,2}([/.-])\d{1,2}\8\d{4}([\s,|-]*(lúc\s+)?\d{1,2}:\d{2}(:\d{2})?)?"
    r"(\s*\(?GMT[+-]\d+\)?)?$",
    re.IGNORECASE,
)


def iso_date(day: str, month: str, year: str) -> str:
    """"" for a day that no calendar has ("31/02/2025", "12/25/2025" written month first)."""
    try:
        return calendar_day(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def find_date(line: str) -> str:
    if meta := META_DATE.match(line):
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


def placed_date(line: str) -> bool:
    """A line that is a place and a date and nothing else ("Tam Kỳ, ngày 5 tháng 9 năm 2025"): where a letter
    is dated, in its letterhead or over its signature; not a weekday's date ("Thứ Hai, 12/5/2025")."""
    stripped = line.strip()
    place = _PLACE.match(stripped)
    return place is not None and not _WEEKDAY.match(stripped) and is_date_line(stripped[place.end():])


def is_date_line(line: str) -> bool:
    """A line that is only a date: "12/5/2025 10:30", "Thứ Hai, 12/5/2025", "Ngày 12/5/2025", and as official
    letters date themselves, "Hà Nội, ngày 12 tháng 5 năm 2025"."""
    if META_DATE.fullmatch(line):
        return True
    stripped = _WEEKDAY.sub("", line).strip(" ,|")
    for candidate in (stripped, _PLACE.sub("", stripped, count=1)):
        candidate = _DAY_WORD.sub("", _ISSUED.sub("", candidate))
        if _DATE_LINE.match(candidate) or _WORDS_DATE_LINE.match(candidate):
            return True
    return False
