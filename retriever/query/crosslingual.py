"""Questions in another language (in practice English) asked of the Vietnamese collection.

They share no words with it, only its names and numbers ("Bui Thanh Son", "UNCLOS", "35th"). The encoder
is given the question as typed, with accents put back on its capitalised words only: restoring every
word, as for a Vietnamese question typed without diacritics, turned English into nonsense Vietnamese
("the" → "thế", "to" → "tổ", "on" → "ơn") that the encoder then read as such.
"""

from __future__ import annotations

import re

_PARTS = re.compile(r"\w+|\W+", re.UNICODE)


def names_restored(text: str, restored: str) -> str:
    """`restored`: `text` with accents put back on every word (`restore_accents`); keep them only on its
    capitalised words, the names ("Le Hoai Trung" → "Lê Hoài Trung")."""
    typed, accented = _PARTS.findall(text), _PARTS.findall(restored)
    if len(typed) != len(accented):
        return text
    return "".join(new if old[:1].isupper() else old for old, new in zip(typed, accented, strict=True))
