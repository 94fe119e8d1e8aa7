"""Vietnamese official documents (quyết định, công văn, thông báo…) open with a letterhead the state's
format for them sets out (Nghị định 30/2020/NĐ-CP): the issuing body, the national motto, the number, the
place and date, then the kind of document in capitals and its subject ("Về việc …", "V/v …"). The
letterhead answers nothing, and the document's name is its kind and subject, not the issuing body."""

from __future__ import annotations

import re
from collections.abc import Sequence

from retriever.ingest.sections import in_capitals

# the national motto heading every Vietnamese official document
MOTTO = re.compile(
    r"^\W*(cộng (hòa|hoà) xã hội chủ nghĩa việt nam|độc lập\s*[-–—]\s*tự do\s*[-–—]\s*hạnh phúc)\W*$", re.IGNORECASE
)
_NUMBER = re.compile(r"^số\s*:?\s*[\w.]+/[\w./-]+$", re.IGNORECASE)  # "Số: 1234/QĐ-UBND"
_KINDS = (
    "quyết định|nghị quyết|nghị định|thông tư|chỉ thị|công văn|thông báo|kế hoạch|báo cáo|tờ trình|"
    "hướng dẫn|quy chế|quy định|chương trình|công điện|giấy mời|đề án"
)
_KIND = re.compile(rf"^({_KINDS})$", re.IGNORECASE)
_SUBJECT = re.compile(r"^(v/v|về việc|về)\s+\S", re.IGNORECASE)
_JOINED = re.compile(rf"^({_KINDS})\s+((?:về việc|v/v)\s+\S.*)$", re.IGNORECASE)
_KIND_FIRST = re.compile(rf"^({_KINDS})\s+(\S.*)$", re.IGNORECASE)  # "THÔNG TƯ Ban hành Quy chế …", one line
_LETTER_SUBJECT = re.compile(r"^v/v\s*:?\s+(\S.*)$", re.IGNORECASE)
LETTERHEAD_LINES = 16  # the kind and subject come within this many lines of the start


# "Nơi nhận:" opens the block that closes an official document: its recipients ("- Như Điều 3;", "- Lưu:
# VT, KGVX.") and its signature ("KT. CHỦ TỊCH", the signer's name). None of it answers anything; an annex
# after it opens with a label ("Phụ lục 1", "Điều …"), where the text goes on
_RECIPIENTS = re.compile(r"^nơi nhận\s*:(?P<rest>.*)$", re.IGNORECASE)
_SIGNING = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s")  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH": on whose behalf


def opens_recipients(line: str) -> bool:
    """"Nơi nhận:" alone or over its list, or beside the signature where a PDF's line runs across both
    columns ("Nơi nhận: TM. ỦY BAN NHÂN DÂN"); not "Nơi nhận: Bộ phận một cửa …", where to hand in a file."""
    found = _RECIPIENTS.match(line.strip())
    if found is None:
        return False
    rest = found.group("rest").strip()
    words = rest.split()[:2]
    return not rest or rest[0] in "-–•+" or bool(_SIGNING.match(rest)) or (
        len(words) == 2 and all(len(word) > 1 and word.isupper() for word in words))


def goes_on(line: str) -> bool:
    """A paragraph of text after "Nơi nhận:" in a document without a letterhead: that line named where to
    hand something in ("Nơi nhận:" over "Bộ phận một cửa UBND xã, số 5 đường …, trong giờ hành chính."),
    and the text goes on. The recipients ("- Như trên;") and the signature ("GIÁM ĐỐC") are short lines."""
    stripped = line.strip()
    return len(stripped.split()) >= 12 and stripped[0] not in "-–•+"


_ADDRESSED = re.compile(r"^kính gửi\s*:", re.IGNORECASE)  # "Kính gửi: - Sở Y tế; - UBND các huyện…"


def is_form_line(line: str, before_text: bool) -> bool:
    """In an official document, a short line all in capitals is part of its form where it comes before any
    text (the issuing authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM") or opens what follows
    ("QUYẾT ĐỊNH:"); within the text, one in capitals is emphasis ("NGHIÊM CẤM …"), and is quoted. So are,
    before any text, the addressees of a letter ("Kính gửi: …"), and a rule drawn under a line ("-------")."""
    if before_text and (_ADDRESSED.match(line.strip()) or not any(ch.isalnum() for ch in line)):
        return True
    return in_capitals(line, 4) and len(line.split()) <= 12 and (before_text or line.rstrip().endswith(":"))


def _named(kind: str, subject: str) -> bool:
    """"KẾ HOẠCH" in capitals and under it what it is about, without "Về việc" ("Tổ chức Tháng hành động vì
    an toàn thực phẩm năm 2025"): a line in sentence case that is no sentence and no numbered section."""
    words = subject.split()
    return (kind.isupper() and 2 <= len(words) <= 30 and subject[:1].isupper() and not subject.isupper()
            and not re.search(r"[.!?;:,]$", subject) and not re.match(r"^([IVXLC]+|\d+)[.)]", subject))


def is_letterhead(line: str) -> bool:
    """The motto or the document's number: lines of the letterhead that are never text to quote."""
    line = line.strip()
    return bool(MOTTO.match(line) or _NUMBER.match(line))


def _titled(kind: str, subject: str) -> str:
    """"QUYẾT ĐỊNH" and "Về việc công bố …" → "Quyết định về việc công bố …". The authority under the subject
    ("GIÁM ĐỐC SỞ GIAO THÔNG VẬN TẢI"), which a scan's reading joins to it, is left out."""
    words = subject.split()
    end = len(words)
    while end > 1 and len(words[end - 1]) > 1 and words[end - 1].isupper() and words[end - 1].isalpha():
        end -= 1
    subject = " ".join(words[:end]) if len(words) - end >= 3 else subject
    return f"{kind.capitalize()} {subject[0].lower()}{subject[1:]}".rstrip(".")


def official_title(lines: Sequence[str]) -> tuple[str, int] | None:
    """(title, where the text starts) for an official document's opening `lines`: its kind and subject,
    "QUYẾT ĐỊNH" / "Về việc công bố …" → "Quyết định về việc công bố …". None for anything else: no kind
    followed by its subject, or a kind neither in capitals nor under the motto."""
    head = [line.strip() for line in lines[:LETTERHEAD_LINES]]
    motto = any(MOTTO.match(line) for line in head)
    for index, line in enumerate(head[:-1]):
        subject = head[index + 1]
        # the kind printed in capitals, as the format sets it, is enough where a copy left the motto out
        if _KIND.match(line) and (motto or line.isupper()) and (_SUBJECT.match(subject) or _named(line, subject)):
            return _titled(line, subject), index + 2
    for index, line in enumerate(head):
        # a PDF's layout joins the kind, its subject and the authority under them, all set in bold, into one
        # block: "QUYẾT ĐỊNH Về việc ban hành … Hà Nội CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
        if motto and (joined := _JOINED.match(line)) and joined.group(1).isupper():
            words = joined.group(2).split()
            # the authority: the first three words in a row set in capitals
            end = next((i for i in range(1, len(words) - 2) if all(len(w) > 1 and w.isupper() for w in words[i:i + 3])),
                       len(words))
            return _titled(joined.group(1), " ".join(words[:end])), index + 1
    for index, line in enumerate(head):
        # a scan reads the kind and a subject without "Về việc" as one line ("THÔNG TƯ Ban hành Quy chế …"):
        # the kind in capitals, the subject in sentence case
        first = _KIND_FIRST.match(line)
        if motto and first and first.group(1).isupper() and _named(first.group(1), first.group(2)):
            return _titled(first.group(1), first.group(2)), index + 1
    numbered = any(_NUMBER.match(line) for line in head)
    for index, line in enumerate(head):
        # a công văn prints no kind: under the motto or its number ("Số: 789/UBND-KGVX"; a scan's reading
        # leaves the motto out), its "V/v …" (về việc) line is its subject
        if (motto or numbered) and (found := _LETTER_SUBJECT.match(line)):
            wrapped = _wrapped(head[index + 1:index + 1 + SUBJECT_LINES])
            subject = " ".join([found.group(1), *wrapped])
            return f"Công văn về việc {subject}".rstrip("."), index + 1 + len(wrapped)
    return None


SUBJECT_LINES = 2  # a subject wrapped in the letterhead's narrow column runs on over this many lines at most


def _wrapped(lines: Sequence[str]) -> list[str]:
    """The lines a letter's subject runs on over, narrow as the letterhead's column is ("V/v tăng cường
    công tác phòng cháy," / "chữa cháy tại khu dân cư"): each goes on in lower case, a phrase, no sentence."""
    taken = []
    for line in lines:
        if not (line[:1].islower() and len(line.split()) <= 12 and not line.endswith(":")):
            break
        taken.append(line)
    return taken


def addressees_end(lines: Sequence[str], start: int) -> int:
    """Where a letter's text starts once its addressees are passed: "Kính gửi:" and the list under it, one
    addressee a line ("- Các sở, ban, ngành thành phố;"). Each was quoted as the letter's first paragraphs."""
    end = start
    while end < len(lines) and not _ADDRESSED.match(lines[end].strip()):
        line = lines[end].strip()
        # what a letterhead's columns, read one after the other, still hold after the subject: the motto,
        # the issuing body in capitals, the place and date, a rule
        head = is_letterhead(line) or _PLACE_DATE.search(line) or (in_capitals(line, 4) and len(line.split()) <= 12)
        if any(ch.isalnum() for ch in line) and not head:
            return start  # text before any "Kính gửi": the letter's own
        end += 1
    if end == len(lines):
        return start
    addressed = _ADDRESSED.match(lines[end].strip())
    end += 1
    if addressed is None or lines[end - 1].strip()[addressed.end():].strip():
        return end  # "Kính gửi: Trưởng các ấp.": the addressee on its line; dash lines under it are the text
    # under "Kính gửi:" alone, one addressee a line, each ending with ";" and the last with "."
    while end < len(lines) and (line := lines[end].strip())[:1] in _ITEM_MARKS and len(line.split()) <= 20 \
            and line.endswith((";", ".")):
        end += 1
        if line.endswith("."):
            break
    return end


_ITEM_MARKS = frozenset("-–—+•")
_PLACE_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
