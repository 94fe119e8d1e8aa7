"""Put diacritics back on a question typed without them, using the collection's own vocabulary.

The dense encoder barely understands `bien gioi`; it understands `biên giới`. Pairs of syllables are
restored first (their accents are far less ambiguous than single syllables), then single ones. The
accented forms and their counts come from `retriever.wordforms`, kept by the index as it is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retriever.text import fold_word

_TOKEN = re.compile(r"\w+|\W+", re.UNICODE)

Lookup = Callable[[list[str]], dict[str, str]]


def restore_accents(text: str, lookup: Lookup) -> tuple[str, bool]:
    """Return (restored text, whether anything changed). `lookup` maps folded forms to accented ones."""
    parts = _TOKEN.findall(text)
    words = [i for i, part in enumerate(parts) if part[0].isalnum() or part[0] == "_"]
    folded = [fold_word(parts[i]) for i in words]
    pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:])]
    forms = lookup(sorted(set(folded) | set(pairs)))
    out = list(parts)
    done: set[int] = set()
    for n, pair in enumerate(pairs):
        if pair not in forms:
            continue
        for position, form in zip((n, n + 1), forms[pair].split(" ")):
            if position not in done:
                out[words[position]] = _match_case(parts[words[position]], form)
                done.add(position)
    for n, word in enumerate(folded):
        if n not in done and word in forms:
            out[words[n]] = _match_case(parts[words[n]], forms[word])
    restored = "".join(out)
    return restored, restored != text


def _match_case(original: str, form: str) -> str:
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
