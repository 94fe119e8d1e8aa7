"""Secrets never reach any output: log lines, tracebacks (PTB puts the token in request URLs and in the
InvalidToken message) or the CLI's last line. Registered at the edge (`tracuu serve`)."""

from __future__ import annotations

import logging

_SECRETS: set[str] = set()
MASK = "<token>"


def add_secret(secret: str) -> None:
    """Register `secret` and mask it in every log handler configured now (the root's)."""
    if len(secret) < 8:  # an empty or tiny value would mask ordinary text
        return
    _SECRETS.add(secret)
    # the bot id before ':' is public, but the secret after it is what must never show
    if ":" in secret:
        _SECRETS.add(secret.split(":", 1)[1])
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(handler.formatter))


def redact(value: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        value = value.replace(secret, MASK)
    return value


class RedactingFormatter(logging.Formatter):
    """Wraps a handler's formatter: the message, its arguments and the formatted traceback are all masked."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record))
