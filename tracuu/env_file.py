"""How every settings class reads the environment and `.env`, what `.env`'s unreadable lines are told as, and
the two settings read before the others: the log format and the token."""

from __future__ import annotations

import logging
import re
from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tracuu.setting_checks import cleaned

# An empty value means "the default" (`KEY=` in .env, in a systemd EnvironmentFile or from compose's env_file),
# so a copied .env.example can never switch a feature off or point a path at nothing by leaving a line blank.
# no infinity or NaN: "inf" passed every check above zero, then stopped `serve` in words naming no setting
CONFIG = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True,
                            allow_inf_nan=False)


class _EnvLines(logging.Filter):
    """python-dotenv's warning about a line it cannot read names no file, and is said at every read of
    `.env` (settings are read more than once): said once per line, naming `.env`."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        match = re.match(r"python-dotenv could not parse statement starting at line (\d+)", record.getMessage())
        if match is None:
            return True
        if match.group(1) in self.said:
            return False
        self.said.add(match.group(1))
        record.msg, record.args = ".env line %s is not NAME=value: that line is ignored", (match.group(1),)
        return True


logging.getLogger("dotenv.main").addFilter(_EnvLines())


class LogSettings(BaseSettings):
    """What logging needs before anything else is read (a bad setting elsewhere is logged in this format)."""

    model_config = CONFIG
    log_format: Literal["text", "json"] = "text"

    @field_validator("log_format", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        return cleaned(value).lower() if isinstance(value, str) else value


class TokenSettings(BaseSettings):
    """Only the token: `make run` picks the bot or the terminal chat by it, and another setting's bad value is
    for `tracuu serve` to report, not a reason to pick the chat."""

    model_config = CONFIG
    telegram_bot_token: str = ""


def has_token() -> bool:
    """Whether `tracuu serve` would find a token. `make run` asks this instead of reading .env itself, so
    `export NAME=…`, spaces around `=`, quotes and blank values mean the same to both."""
    try:
        return bool(TokenSettings().telegram_bot_token.strip())  # serve strips it too
    except (OSError, UnicodeDecodeError):  # .env unreadable: the command `make run` starts says so in one line
        return False
