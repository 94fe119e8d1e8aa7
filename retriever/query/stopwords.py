"""Vietnamese function and question words. They say what is asked, not what about, so they do not count
when measuring how much of a question a passage covers."""

from __future__ import annotations

from collections.abc import Sequence

from retriever.text import fold_word

_PAIRS = "như_thế thế_nào bao_nhiêu bao_lâu khi_nào tại_sao vì_sao làm_sao ra_sao như_nào ở_đâu là_gì là_ai hiện_nay"
_ENGLISH = "what which who whom whose where when why how is are was were the a an of to in on for by with and " \
    "or do does did has have had be been"

# with their diacritics: a folded syllable is often several words, one of them a function word and the
# others content ("dang": "đang" and "đảng", "đăng"; "to": "tổ" of "tổ chức"; "dau": "đâu" and "đầu",
# "dầu", "đau"; "thi": "thì" and "thi"). Folded, the 1,550 questions of the evaluation sets lost 1,284
# syllables that are not function words as written (`đầu` 88 times, `độ` 50, `tổ` 37, `đăng` 21, `đảng`
# 15); where the question's accents are known, they decide
FUNCTION_WORDS = frozenset(
    """
    ai gì nào đâu sao bao nhiêu lâu khi thế như tại vì làm ra có không là được bị của và với cho trong
    trên dưới ngoài từ đến ở thì mà này nay đó do kia đây những các một hai ba mỗi mọi mới đã đang sẽ vẫn
    còn cũng rất hơn nhất nữa lại vào lên xuống bởi theo về nếu hay hoặc chỉ cả mình họ nó ông bà anh chị
    em tôi chúng ta người việc điều cái con chiếc
    """.split()
    + _PAIRS.split()
    + _ENGLISH.split()
)
# particles that end or open a sentence ("… vậy ạ?", "hả?", "ủa"): no content, as written. Not folded into
# STOPWORDS: typed without diacritics, "ha" and "a" are as often "Hà" and "Á" ("nha", a particle typed so,
# is left out for "Nha Trang"). Counted as content, "hả?" alone was quoted paragraphs on Hà Nội and Hàn
# Quốc at the gate's full confidence
PARTICLES = frozenset("à ạ ả ơ ư hả hở hử ủa nhé nhỉ nhá chứ vậy đấy".split())
# folded (pairs too: folding leaves "_" as it is): for questions typed without diacritics, where "dang"
# may be either
STOPWORDS = frozenset(fold_word(word) for word in FUNCTION_WORDS)
FUNCTION_WORDS |= PARTICLES


def content_mask(tokens: list[str], spoken: Sequence[str] | None = None) -> list[bool]:
    """True for tokens that carry content: not a function word, and not a pair of two. `tokens`: folded
    syllables then syllable pairs (`retriever.text.lexical_tokens`); `spoken`: the same syllables with
    their diacritics (`retriever.text.syllables` of the text they came from), which decide where they
    match the tokens, else the folded forms do."""
    forms = None if spoken is None else [(word,) for word in spoken] + list(zip(spoken, spoken[1:]))
    if forms is None or len(forms) != len(tokens) or any(fold_word(w) != t for w, t in zip(spoken or (), tokens)):
        return [
            token not in STOPWORDS and not all(part in STOPWORDS for part in token.split("_"))
            for token in tokens
        ]
    return [
        "_".join(parts) not in FUNCTION_WORDS and not all(part in FUNCTION_WORDS for part in parts)
        for parts in forms
    ]
