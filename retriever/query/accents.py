"""Put diacritics back on a question typed without them, using the collection's own vocabulary.

The dense encoder barely understands `bien gioi`; it understands `biên giới`. Pairs of syllables are
restored first (their accents are far less ambiguous than single syllables), then single ones. The
accented forms and their counts come from `retriever.wordforms`, kept by the index as it is built.

A collection states; it seldom asks. Restored from its text alone, a question's own words came back wrong
("bao nhieu" as "báo nhiều", "khi nao" as "khí nào", "la ai" as "là ái"), and with them what kind of
answer it asks for and which of its words are its content. Question words and the words readers frame a
question with are the language's, not the collection's: they come from `QUESTION_FORMS`, each kind
(pairs, then single words) before the collection's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retriever.text import fold_word

_TOKEN = re.compile(r"\w+|\W+", re.UNICODE)

Lookup = Callable[[list[str]], dict[str, str]]

# folded → accented: how Vietnamese asks and frames a question. A pair names its words together (the
# collection's pairs still come before single words: "ai cap" is "Ai Cập" where the collection says so)
QUESTION_FORMS = {
    **{f"{folded} nao": f"{form} nào" for folded, form in (
        ("khi", "khi"), ("luc", "lúc"), ("nam", "năm"), ("ngay", "ngày"), ("thang", "tháng"), ("nuoc", "nước"),
        ("nguoi", "người"), ("cai", "cái"), ("noi", "nơi"), ("the", "thế"), ("tinh", "tỉnh"), ("thanh", "thành"))},
    # not "tu dau", "di dau", "nam dau": "từ đầu", "đi đầu", "năm đầu" are as common as the questions
    "o dau": "ở đâu", "tai dau": "tại đâu",
    **{f"{folded} gi": f"{form} gì" for folded, form in (
        ("la", "là"), ("cai", "cái"), ("dieu", "điều"), ("viec", "việc"), ("gom", "gồm"), ("co", "có"))},
    **{f"{folded} may": f"{form} mấy" for folded, form in (("co", "có"), ("gom", "gồm"), ("thu", "thứ"))},
    "may gio": "mấy giờ", "bao nhieu": "bao nhiêu", "bao lau": "bao lâu", "bao gio": "bao giờ", "bao xa": "bao xa",
    "la ai": "là ai", "ra sao": "ra sao", "lam sao": "làm sao", "vi sao": "vì sao", "tai sao": "tại sao",
    "nhu the": "như thế", "lan thu": "lần thứ", "co phai": "có phải", "phai khong": "phải không",
    "duoc khong": "được không", "hay khong": "hay không", "hay chua": "hay chưa",
    # framing: "cho mình hỏi", "mình muốn biết", "xin chào"
    "cho hoi": "cho hỏi", "xin hoi": "xin hỏi", "cho minh": "cho mình", "minh hoi": "mình hỏi", "em hoi": "em hỏi",
    "toi hoi": "tôi hỏi", "muon hoi": "muốn hỏi", "muon biet": "muốn biết", "can hoi": "cần hỏi",
    "minh muon": "mình muốn", "toi muon": "tôi muốn", "xin chao": "xin chào", "cam on": "cảm ơn",
    # single words whose other readings a question seldom means
    "gi": "gì", "nao": "nào", "ai": "ai", "khong": "không", "chua": "chưa", "vay": "vậy", "oi": "ơi", "nhe": "nhé",
    "o": "ở",
}


def restore_accents(text: str, lookup: Lookup) -> tuple[str, bool]:
    """Return (restored text, whether anything changed). `lookup` maps folded forms to accented ones."""
    parts = _TOKEN.findall(text)
    words = [i for i, part in enumerate(parts) if part[0].isalnum() or part[0] == "_"]
    folded = [fold_word(parts[i]) for i in words]
    pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:])]
    found = lookup(sorted(set(folded) | set(pairs)))
    out = list(parts)
    done: set[int] = set()
    for forms in (QUESTION_FORMS, found):
        for n, pair in enumerate(pairs):
            if pair not in forms:
                continue
            for position, form in zip((n, n + 1), forms[pair].split(" ")):
                if position not in done:
                    out[words[position]] = _match_case(parts[words[position]], form)
                    done.add(position)
    for forms in (QUESTION_FORMS, found):
        for n, word in enumerate(folded):
            if n not in done and word in forms:
                out[words[n]] = _match_case(parts[words[n]], forms[word])
                done.add(n)
    restored = "".join(out)
    return restored, restored != text


def _match_case(original: str, form: str) -> str:
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
