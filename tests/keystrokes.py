"""Vietnamese written back as the raw Telex or VNI keystrokes that type it: what a reader sends when the
keyboard's input method is off. The other side of `retriever.query.telex`, for its tests and
`benchmarks.keystrokes`."""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0301": ("s", "1"), "\u0300": ("f", "2"), "\u0309": ("r", "3"), "\u0303": ("x", "4"), "\u0323": ("j", "5")}
_MARKS = {"\u0302": ("{}", "6"), "\u031b": ("w", "7"), "\u0306": ("w", "8")}  # Telex's circumflex doubles the vowel
_WORD = re.compile(r"\w+", re.UNICODE)


def typed_word(word: str, scheme: str) -> str:
    """`word` as its keystrokes in `scheme` ("telex" or "vni"): each letter's mark right after it, the
    tone at the end ("Việt" → "Vieetj", "Vie65t")."""
    vni = scheme == "vni"
    keys, tone = [], ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch][vni]
        elif ch in _MARKS:
            key = _MARKS[ch][vni]
            keys.append(key.format(keys[-1].lower()))
        elif ch in "đĐ":
            keys.append(("D" if ch == "Đ" else "d") + ("9" if vni else ("D" if ch == "Đ" else "d")))
        else:
            keys.append(ch)
    typed = "".join(keys) + tone
    return typed.upper() if word.isupper() and len(word) > 1 else typed


def typed_question(question: str, scheme: str) -> str:
    """Every word of `question` typed in `scheme`; the rest (spaces, punctuation) as it is."""
    return _WORD.sub(lambda match: typed_word(match.group(), scheme), unicodedata.normalize("NFC", question))
