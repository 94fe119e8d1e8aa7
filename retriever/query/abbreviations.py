"""Abbreviations Vietnamese readers type, written out before a question is looked up.

Readers type "VN và Lào lập quan hệ từ bao giờ", "bộ trưởng ngoại giao lào tên là j", "k biết…", "ktx
đóng cửa mấy giờ". The collection writes "Việt Nam", "gì", "không", "ký túc xá": the abbreviation shares
no word with it, counts as content the collection never uses, and the gate declined questions that it
answers once written out. Only the forms with one reading are listed ("bn" is "bao nhiêu" and "bạn",
"đk" "điều kiện" and "đăng ký", "vs" "với" and "versus": left as typed), and an abbreviation is written
out only where the collection never uses it: a collection of official documents that says "UBND" is
searched for "UBND".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retriever.query.language import looks_vietnamese
from retriever.text import fold, has_diacritics

# chat shorthand: what readers type in a hurry (lower case only: "K" may be a name's initial)
CHAT = {
    "k": "không", "ko": "không", "kg": "không", "khg": "không", "hok": "không", "hem": "không",
    "j": "gì", "dc": "được", "đc": "được", "ntn": "như thế nào", "trc": "trước", "mk": "mình",
    "mik": "mình", "cx": "cũng", "cg": "cũng", "nhìu": "nhiều", "bít": "biết", "hum": "hôm",
}
# acronyms of names and institutions, in any case ("VN", "vn", "Tp")
ACRONYMS = {
    "vn": "Việt Nam", "hn": "Hà Nội", "tphcm": "Thành phố Hồ Chí Minh", "hcm": "Hồ Chí Minh",
    "tp": "thành phố", "tw": "Trung ương", "lhq": "Liên Hợp Quốc", "xhcn": "xã hội chủ nghĩa",
    "chxhcn": "Cộng hòa xã hội chủ nghĩa", "chdcnd": "Cộng hòa Dân chủ Nhân dân", "ubnd": "Ủy ban nhân dân",
    "hđnd": "Hội đồng nhân dân", "đh": "đại học", "thpt": "trung học phổ thông", "thcs": "trung học cơ sở",
    "sv": "sinh viên", "gv": "giáo viên", "hs": "học sinh", "ktx": "ký túc xá", "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội", "cccd": "căn cước công dân", "cmnd": "chứng minh nhân dân",
    "sđt": "số điện thoại", "qđ": "quyết định", "nđ": "nghị định", "gs": "giáo sư", "ts": "tiến sĩ",
    # the state's and the Party's, as the press abbreviates them; typed with "đ" or without it
    "hdnd": "Hội đồng nhân dân", "đcs": "Đảng Cộng sản", "dcs": "Đảng Cộng sản", "đcsvn": "Đảng Cộng sản Việt Nam",
    # not "qh" (readers mean "quan hệ" as often as "Quốc hội"), "BCT" (also Bộ Công Thương), "BCH" (Ban chỉ huy)
    "dcsvn": "Đảng Cộng sản Việt Nam", "ndcm": "Nhân dân Cách mạng",
    "tbt": "Tổng Bí thư", "ctn": "Chủ tịch nước", "ttg": "Thủ tướng", "ttcp": "Thủ tướng Chính phủ",
    "ptt": "Phó Thủ tướng", "bng": "Bộ Ngoại giao", "đsq": "Đại sứ quán", "dsq": "Đại sứ quán", "ub": "Ủy ban",
}
_WORD = re.compile(r"\w+", re.UNICODE)


def expansion(word: str) -> str | None:
    """What `word` abbreviates, or None."""
    lower = word.lower()
    if word == lower and lower in CHAT:
        return CHAT[lower]
    return ACRONYMS.get(lower)


def _stands_alone(question: str, words: list[re.Match[str]], i: int) -> bool:
    """A single letter is shorthand only among Vietnamese words: not an initial ("J. K. Rowling"), nor a
    letter after a foreign word ("vitamin k")."""
    match = words[i]
    if len(match.group()) > 1:
        return True
    if question[match.end():match.end() + 1] == ".":
        return False
    return i == 0 or looks_vietnamese(words[i - 1].group())


def written_out(question: str, unused: Callable[[list[str]], list[bool]]) -> str:
    """`question` with each abbreviation the collection does not use written out. `unused(words)` says,
    for each folded word, whether the collection never uses it. A question typed without diacritics gets
    the expansions without them too, so that its accents are still restored from the collection as a
    whole."""
    words = list(_WORD.finditer(question))
    found = [(match, full) for i, match in enumerate(words)
             if (full := expansion(match.group())) and _stands_alone(question, words, i)]
    if not found:
        return question
    keep_accents = has_diacritics(question)
    absent = unused([fold(match.group()) for match, _ in found])
    out, at = [], 0
    for (match, full), missing in zip(found, absent, strict=True):
        if missing:
            out += [question[at:match.start()], full if keep_accents else fold(full)]
            at = match.end()
    return "".join(out) + question[at:]
