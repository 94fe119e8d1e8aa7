"""URL settings checked at the edge, before anything is handed a URL its parser would quote back whole (libpq
quotes a connection string it cannot parse, password included)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from retriever.errors import TraCuuError
from tracuu import messages

SCHEMES = ("postgresql", "postgres")  # what libpq takes
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def database_url(name: str, value: str) -> str:
    """`value` of setting `name` as libpq should get it: spaces around it dropped (pasted with the value, as
    with the token); anything libpq would misread or quote back is refused in one line, password unshown."""
    url = value.strip()
    if "://" not in url:
        if "=" in url:  # libpq's own `host=… dbname=…` form: taken as it is
            return url
        raise TraCuuError(messages.NOT_A_DATABASE_URL.format(name=name))
    scheme, _, rest = url.partition("://")
    if scheme not in SCHEMES:
        shown = f"{scheme}://" if _SCHEME.fullmatch(scheme) else "something else"
        raise TraCuuError(messages.DATABASE_URL_SCHEME.format(name=name, scheme=shown))
    # libpq takes the user name and password up to the first "@" or "/": one the user meant as part of the
    # password would make the rest of it the host name, in every error message
    userinfo = rest.rpartition("@")[0]
    if "@" in userinfo or "/" in userinfo:
        raise TraCuuError(messages.DATABASE_URL_RESERVED.format(name=name))
    if _BAD_PERCENT.search(userinfo):
        raise TraCuuError(messages.DATABASE_URL_PERCENT.format(name=name))
    return url


def password(url: str) -> str:
    """The password a database URL carries ("" for none, or libpq's key=value form)."""
    if "://" not in url:
        match = re.search(r"(?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", url)
        return match.group(1).strip("'") if match else ""
    userinfo = url.partition("://")[2].rpartition("@")[0]
    return userinfo.partition(":")[2]


def api_base_url(value: str) -> str:
    """TELEGRAM_API_BASE_URL as PTB needs it: the token is appended to it, so `…/bot/` would ask for
    `…/bot/<token>`. Only a slash after a path is dropped: `http://host:8081/` keeps its own."""
    url = value.strip()
    if urlsplit(url).path.strip("/"):
        return url.rstrip("/")
    return url


def secrets_of(url: str) -> list[str]:
    """What of a database URL must never be shown: its password as written and as libpq decodes it."""
    raw = password(url)
    return [raw, unquote(raw)] if raw else []
