"""Vietnamese typed in the fonts of before Unicode: TCVN3 (.VnTime, "ABC") and VNI (VNI-Times).

Such a file's letters are Latin-1 characters a legacy font drew as Vietnamese: read as they are, "Lịch
cắt điện tại huyện Đông Anh" was indexed as "LÞch c¾t ®iÖn t¹i huyÖn §«ng Anh", listed with a ✅ and
never found. Re-saving the file keeps the same characters: it has to be converted (Unikey's converter,
"TCVN3 → Unicode" or "VNI Windows → Unicode"). Told apart from text in a Western language by characters
those languages do not use as letters (TCVN3's ¸ µ ¶ · ¹ ® «), or by VNI's tone marks after vowels (aø aù
aû aõ aï), with no Vietnamese letter of Unicode's."""

from __future__ import annotations

import re

from retriever.errors import UnreadableInputError

# đ Đ á à ả ã ạ ă … â ê ô ơ, drawn by TCVN3's fonts from symbols of Latin-1: inside a word ("c¾t", "t¹i",
# "th«ng", "®iÖn"), where Western text never puts ½ « ® (a recipe's "½ cup", "«Bonjour»", "Zalo®"); not ·
# (ã), which Catalan writes inside words ("col·lecció") and menus between them ("Home·About")
_IN_WORD = re.compile(r"(?<=[A-Za-z])[¸µ¶¹¨»¾¼½©ª«¬®](?=[A-Za-z])|(?<![^\W\d_])[®§](?=[A-Za-z])")
_VNI_MARKED = re.compile(r"[aeiouyAEIOUYâêôö][øùûõï]")
_UNICODE_VIETNAMESE = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
SHARE = 0.03  # of the letters: a quote of a TCVN3 name in a Unicode text is not the whole file
MIN_MARKS = 5
PLAIN = 0.6  # of the letters ASCII ones: Vietnamese typed in a legacy font is mostly its base letters


def legacy_font(text: str) -> str:
    """"TCVN3", "VNI" or "" (Unicode, or another language)."""
    if _UNICODE_VIETNAMESE.search(text):
        return ""
    letters = sum(char.isalpha() for char in text) or 1
    if sum("a" <= char.lower() <= "z" for char in text) < letters * PLAIN:
        return ""  # not words of Latin letters with marks: bytes of anything read as Latin-1
    tcvn3 = len(_IN_WORD.findall(text))
    if tcvn3 >= MIN_MARKS and tcvn3 / letters >= SHARE:
        return "TCVN3"
    marked = _VNI_MARKED.findall(text)
    tones = {mark[1] for mark in marked}
    # three tones at least, the grave (ø) among them: French writes "où", "naïve", "août", never "ø"
    if len(marked) >= MIN_MARKS and len(marked) * 2 / letters >= SHARE and "ø" in tones and len(tones) >= 3:
        return "VNI"
    return ""


def check_unicode(text: str) -> None:
    """Raises UnreadableInputError for text typed in a legacy Vietnamese font."""
    if font := legacy_font(text):
        raise UnreadableInputError(
            "legacy_font", f"written in the {font} font encoding, not Unicode: convert it to Unicode (Unikey's "
            f"converter, {font} → Unicode) and send it again", font=font,
        )
