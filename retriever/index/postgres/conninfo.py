"""What a database error may say about the database: where it is (never the user or password) and libpq's
reason on one line. The index's and the bot state's connections report through these alike."""

from __future__ import annotations

import psycopg


def location(url: str) -> str:
    """host:port/database of a connection URL or libpq key=value string, for messages. Never an error of its
    own (it is called while one is being reported, and libpq's would quote the URL, password and all)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "a connection string libpq cannot read"
    return f"{info.get('host', '')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


def reason(error: psycopg.Error) -> str:
    """libpq's message, which runs over several lines, as one."""
    return " ".join(line.strip() for line in str(error).splitlines()) or type(error).__name__
