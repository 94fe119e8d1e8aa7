"""Logging at the edge. With LOG_FORMAT=json every line the process writes to stderr is one JSON object, from
the first: log records, Python warnings, the index report and the one-line errors (`notice`)."""

from __future__ import annotations

import json
import logging
import sys

from tracuu.redact import RedactingFormatter, redact
from tracuu.render import terminal

log = logging.getLogger("tracuu")


class JsonLines(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json), for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        # masked before encoding: a secret holding a quote or a backslash is escaped in the JSON text
        entry = {"time": self.formatTime(record, self.datefmt), "level": record.levelname, "logger": record.name,
                 "message": redact(record.getMessage())}
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TerminalLines(logging.Formatter):
    """Log lines for a terminal: a file name or title in a message cannot carry escape sequences there."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal(super().format(record))


class AsDebug(logging.Filter):
    """A library's error line, with its traceback, about what the error it raises says again (PTB logs an answer
    that is not JSON, then raises the HTTP status): shown with -v only, as a debug line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


AS_DEBUG = AsDebug()


class NetworkInOneLine(logging.Filter):
    """PTB's polling loop logs each failed attempt to reach Telegram with a traceback of some 90 lines, and
    retries by itself: a 20-second outage made 587 lines. Such a failure (Telegram unreachable, timed out,
    5xx) is one warning line; any other error keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        from telegram.error import Conflict, NetworkError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError):
            said = "Telegram could not be reached while polling for updates (%s): retrying"
        elif isinstance(error, Conflict):
            # a second `tracuu serve` (or another program) polls with the same token: Telegram answers 409 to
            # one of them at every poll, and each came with a traceback of 27 lines
            said = "another process polls Telegram with this bot's token (%s): stop it, one bot polls at a time"
        else:
            return True
        record.msg, record.args, record.exc_info, record.exc_text = said, (error,), None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


NETWORK_IN_ONE_LINE = NetworkInOneLine()


class _State:
    json_lines = False


def setup_logging(level: int) -> None:
    from tracuu.settings import LogSettings

    try:
        json_lines = LogSettings().log_format == "json"
    except (ValueError, OSError):
        json_lines = False  # a bad LOG_FORMAT, or a .env it cannot read, is reported with the other settings
    handler = logging.StreamHandler(sys.stderr)
    # every line is masked from the first: a password in a URL needs no registering (tracuu/redact.py)
    if json_lines:
        handler.setFormatter(RedactingFormatter(JsonLines("%(message)s", "%Y-%m-%dT%H:%M:%S%z")))
    else:
        handler.setFormatter(RedactingFormatter(TerminalLines("%(asctime)s %(levelname)s %(name)s: %(message)s")))
    logging.basicConfig(level=level, handlers=[handler])
    logging.captureWarnings(True)  # a library's warning is a log record too, not a bare line
    logging.getLogger("telegram.request.BaseRequest").addFilter(AS_DEBUG)
    logging.getLogger("telegram.ext.Updater").addFilter(NETWORK_IN_ONE_LINE)
    _State.json_lines = json_lines


def notice(message: str, level: int = logging.INFO) -> None:
    """A message for the person at the terminal: printed as it is, or one JSON log record per message. Secrets
    are masked either way."""
    if _State.json_lines:
        log.log(level, message)
    else:
        print(terminal(redact(message)), file=sys.stderr)
