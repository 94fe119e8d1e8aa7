"""Vietnamese function and question words (folded). They say what is asked, not what about, so
they do not count when measuring how much of a question a passage covers."""

from __future__ import annotations

STOPWORDS = frozenset(
    """
    ai gi nao dau sao bao nhieu lau khi the nhu tai vi lam ra co khong la duoc bi cua va voi cho trong
    tren duoi ngoai tu den o thi ma nay do kia day nhung cac mot hai moi da dang se van con cung rat
    hon nhat nua lai vao len xuong boi theo ve neu hay hoac chi ca minh ho no ong ba anh chi em toi
    chung ta nguoi viec dieu cai con chiec nhu_the the_nao bao_nhieu bao_lau khi_nao tai_sao vi_sao
    lam_sao ra_sao nhu_nao o_dau la_gi la_ai hien_nay
    what which who whom whose where when why how is are was were the a an of to in on for by with and
    or do does did has have had be been
    """.split()
)


def content_mask(tokens: list[str]) -> list[bool]:
    """True for tokens that carry content: not a stopword, and not a pair of two stopwords."""
    return [
        token not in STOPWORDS and not all(part in STOPWORDS for part in token.split("_"))
        for token in tokens
    ]
