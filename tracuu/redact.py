"""Secrets never reach any output: log lines, tracebacks (PTB puts the token in request URLs and in the
InvalidToken message; libpq quotes a connection string it cannot parse) or the CLI's last line. Registered at
the edge (`settings_for`, `tracuu serve`)."""

from __future__ import annotations

import logging
import re

_SECRETS: dict[str, str] = {}  # secret -> what stands for it
MASK = "<token>"
SECRET = "<secret>"
PASSWORD = "<password>"
# the password of any URL, whether registered or not: a value libpq echoes, a proxy's or a feed's URL. Greedy
# up to the last "@" before a space, so that a password holding an unescaped "@" is masked whole
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*:)\S*@")
# PTB's debug line of setWebhook shows its parameters; a short WEBHOOK_SECRET is too short to register
_SECRET_PARAMETER = re.compile(r"""(secret_token['"]?\s*[:=]\s*)(['"]?)[^'"\s,}&]*\2""")
MIN_LENGTH = 8  # an empty or tiny value would mask ordinary text
# any bot token's shape (the bot id, ":", 35 characters of secret), registered or not: a token pasted into
# another setting (WEBHOOK_URL's path, the ADMIN_IDS line) was echoed by that setting's error before
# `tracuu serve` had registered it. No word boundary before the id: in ".../bot123456789:AA…", the Bot API's
# own address pasted into TELEGRAM_API_BASE_URL, a letter comes right before it
_TOKEN_SHAPE = re.compile(r"(?<![0-9])(\d{5,}):[A-Za-z0-9_-]{30,}")


def add_secret(secret: str, mask: str = MASK) -> None:
    """Register `secret` (shown as `mask`) and mask it in every log handler configured now (the root's)."""
    if len(secret) < MIN_LENGTH:
        return
    _SECRETS[secret] = mask
    # a bot token: the bot id before ':' is public, but the secret after it is what must never show
    if mask == MASK and ":" in secret:
        _SECRETS.setdefault(secret.split(":", 1)[1], mask)
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(handler.formatter))


def redact(value: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        value = value.replace(secret, _SECRETS[secret])
    value = _TOKEN_SHAPE.sub(rf"\1:{MASK}", value)
    value = _URL_PASSWORD.sub(rf"\1{PASSWORD}@", value)
    return _SECRET_PARAMETER.sub(rf"\1\2{SECRET}\2", value)


class RedactingFormatter(logging.Formatter):
    """Wraps a handler's formatter: the message, its arguments and the formatted traceback are all masked."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record))
