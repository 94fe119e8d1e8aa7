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


# what libpq says when the server is not there yet, or not now: a restart may find it (exit 75). A wrong
# password, a database or role that does not exist, a host name that resolves to nothing, or an address that
# pg_hba.conf refuses are settings to fix (exit 2): restarting every 5 seconds would only repeat them
_PASSING = ("connection refused", "timeout expired", "timed out", "the database system is starting up",
            "the database system is shutting down", "the database system is in recovery mode",
            "server closed the connection", "no route to host", "network is unreachable",
            "could not receive data", "terminating connection", "too many clients", "connection reset",
            # the resolver not answering (EAI_AGAIN, at boot before the network is up), unlike a name it
            # answered does not exist ("Name or service not known")
            "temporary failure in name resolution")


def passing(error: psycopg.Error) -> bool:
    """True when the first connection failed for a reason that may pass by itself."""
    said = reason(error).lower()
    return isinstance(error, psycopg.OperationalError) and any(words in said for words in _PASSING)
