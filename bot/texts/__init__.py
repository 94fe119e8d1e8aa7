"""Every string a user sees, in Vietnamese and English.

Values are HTML; callers escape what they fill in. Each module of this package holds the strings of one audience
or one part of the bot, its Vietnamese table above its English one; here they merge into one table per language.
"""

from __future__ import annotations

import re

from telegram import User

from bot.texts import collection, conversation, operators, readers, refusals, settings_menu, sources

_PARTS = (readers, operators, collection, refusals, settings_menu, sources, conversation)
VI: dict[str, str] = {key: value for part in _PARTS for key, value in part.VI.items()}
EN: dict[str, str] = {key: value for part in _PARTS for key, value in part.EN.items()}
TEXTS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}


def language(user: User | None) -> str:
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "vi"


# English nouns after a count of exactly one lose their plural s ("1 paragraph", "every 1 minute")
_ONE = re.compile(
    r"(?<![\d.,])1 (paragraph|result|article|file|minute|second|day|time|feed|job|character|passage|match|page"
    r"|channel|post|subject)(e?s)\b"
)


def text(lang: str, key: str, **values: object) -> str:
    html = TEXTS.get(lang, VI)[key].format(**values)
    return _ONE.sub(r"1 \1", html) if lang == "en" else html
