"""Fetching a link safely: http/https only, public addresses only, time and size limits.

A link an admin sends (or a feed lists: chosen by third parties) is fetched by the server, so it must
not become a way to reach the server's own network: every address a host name resolves to, on every
redirect, must be public unless `allow_private` (tests serve pages on 127.0.0.1). The name is resolved
once per hop and the connection goes to the very address that was checked (`PinnedTransport`): a DNS
server that answers "public" to the check and "127.0.0.1" to the connection (DNS rebinding) gets the
public address both times. The Host header and TLS name stay the link's.

Two links are the same page when their `link_key`s are equal: the address as shared from an app (a slash, a
#fragment, `?utm_source=zalo`, `www.`, http or https) is no second article.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from retriever.errors import UnreadableInputError

MAX_REDIRECTS = 5
WHOLE_FETCH = 4  # a whole fetch may take this many times the timeout: a trickling server is cut off
_T = TypeVar("_T")
USER_AGENT = "TraCuuBot/0.1 (+https://github.com/; collects articles an admin asked for)"


class FetchError(UnreadableInputError):
    """A link that could not be fetched; the message names the reason."""


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 15.0  # seconds, for connecting and for each read
    max_bytes: int = 10 * 1024 * 1024
    allow_private: bool = False


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes

    def text(self) -> str:
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.3g} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: a site's own translators


@dataclass(frozen=True)
class Checked:
    """A hop's host (as the HTTP client names it) and the one address the connection must go to."""

    host: str
    address: str


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally reachable unicast, and so is every IPv4 address it carries (IPv4-mapped, NAT64, 6to4,
    Teredo): Python calls 64:ff9b::7f00:1 and 2002:7f00:1:: global, yet they reach 127.0.0.1."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return True
    if address in _NAT64_LOCAL:
        return False
    embedded = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in _NAT64:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return all(is_public(v4) for v4 in embedded if v4 is not None)


def check_url(url: str, allow_private: bool) -> Checked:
    """Resolve the link's host once and check every address; the first is the one to connect to."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError("scheme", "only http:// and https:// links can be added")
    try:
        host = httpx.URL(url).raw_host.decode("ascii").lower()  # IDNA, as the client will name it
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, httpx.InvalidURL) as error:
        raise FetchError("host_unknown", f"the host {parts.hostname} was not found", host=parts.hostname) from error
    addresses = [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos]
    if not allow_private and not all(is_public(address) for address in addresses):
        raise FetchError(
            "private_address", f"{parts.hostname} is a private or local address; only public sites can be added",
            host=parts.hostname,
        )
    return Checked(host, str(addresses[0]))


class _Deadline:
    """The whole fetch's end; `passed` tells a cut-off trickle from a server that went quiet."""

    def __init__(self, at: float) -> None:
        self.at, self.passed = at, False

    def limit(self, timeout: float | None) -> float:
        """The timeout for one socket operation: never past the deadline."""
        left = self.at - time.monotonic()
        if left <= 0:
            self.passed = True
            raise httpcore.ReadTimeout("the whole fetch took too long")
        return left if timeout is None else min(timeout, left)

    def run(self, timeout: float | None, operation: Callable[[float], _T]) -> _T:
        limit = self.limit(timeout)
        try:
            return operation(limit)
        except httpcore.TimeoutException:
            self.passed = self.passed or timeout is None or limit < timeout
            raise


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline: the client's read timeout restarts
    with each byte, so a server trickling its headers a byte a second would otherwise never time out."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.deadline.run(timeout, lambda limit: self.stream.read(max_bytes, limit))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.deadline.run(timeout, lambda limit: self.stream.write(buffer, limit))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self.deadline.run(timeout, lambda limit: self.stream.start_tls(ssl_context, server_hostname, limit))
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> object:
        return self.stream.get_extra_info(info)


class _PinnedBackend(httpcore.SyncBackend):
    """Connects only to addresses `check_url` approved for the host, never resolving it again, and ends
    every connection's reads and writes by the fetch's deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        self.pins: dict[str, str] = {}
        self.deadline = deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: object = None) -> httpcore.NetworkStream:
        address = self.pins.get(host.lower().strip("[]"))
        if address is None:
            raise httpcore.ConnectError(f"{host} was not checked")
        stream = self.deadline.run(timeout, lambda limit: super(_PinnedBackend, self).connect_tcp(
            address, port, limit, local_address, socket_options))  # type: ignore[arg-type]
        return _DeadlineStream(stream, self.deadline)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose connections go to pinned addresses."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__(trust_env=False)
        self.backend = _PinnedBackend(deadline)
        # the same pool httpx builds, with the pinning backend (httpx has no public argument for it)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=self.backend)

    def pin(self, checked: Checked) -> None:
        self.backend.pins[checked.host.strip("[]")] = checked.address


def fetch(url: str, limits: FetchLimits) -> Fetched:
    """GET `url`, following redirects (each checked), all of it (headers, body, every redirect) within
    WHOLE_FETCH times the timeout. Raises FetchError naming the reason."""
    timeout = httpx.Timeout(limits.timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"}
    deadline = _Deadline(time.monotonic() + WHOLE_FETCH * limits.timeout)
    transport = PinnedTransport(deadline)
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False, trust_env=False,
                      transport=transport) as client:
        for _ in range(MAX_REDIRECTS + 1):
            transport.pin(check_url(url, limits.allow_private))
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        status = response.status_code
                        raise FetchError("http_status", f"the site answered HTTP {status}", status=status)
                    body = _read_capped(response, limits.max_bytes)
                    return Fetched(str(response.url), response.headers.get("content-type", ""), body)
            except httpx.TimeoutException as error:
                if deadline.passed:  # it kept sending, but not all of it in time
                    raise FetchError("too_slow", "the site sends the page too slowly (timed out)") from error
                raise FetchError(
                    "timeout", f"no answer within {limits.timeout:g} s (timed out)", seconds=f"{limits.timeout:g}"
                ) from error
            except httpx.HTTPError as error:  # refused, reset, TLS: what the admin can act on is the host
                host = urlsplit(url).hostname or url
                raise FetchError("connect", f"could not connect to {host}", host=host) from error
    raise FetchError("redirects", f"more than {MAX_REDIRECTS} redirects", count=MAX_REDIRECTS)


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> FetchError:
    size = human_size(max_bytes)
    return FetchError("too_large", f"the page is larger than {size}", size=size)


# what a link shared from an app, a social site or a newsletter carries besides the page: the same article,
# another address (click ids of Facebook, Google, Microsoft, Yandex, TikTok, X, Instagram, Mailchimp, Zalo)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|ttclid|twclid|igshid|mc_cid|mc_eid"
                       r"|_ga|_gl|zarsrc|zaloappid|gidzl)$", re.IGNORECASE)
_DEFAULT_PORTS = {("http", 80), ("https", 443)}
_SLASH = re.compile("%2f", re.IGNORECASE)
_PATH_SAFE = "/:@!$&'()*+,;="  # left as written: an escaped "?" or "#" stays escaped, a "%" too


def page_address(url: str) -> str:
    """`url` without its #fragment and tracking parameters (`?utm_source=zalo`): what is kept as the page's
    address, shown to readers; as written otherwise."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not _TRACKING.match(key)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)  # as written, where nothing is taken off
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def link_key(url: str) -> str:
    """What two links to the same page have in common: scheme and host in lower case (http as https, `www.`
    left off, no default port), no #fragment, no tracking parameters, the others sorted, the path without a
    trailing slash and escaped one way ("/tin-tức" as "/tin-t%E1%BB%A9c"). Only compared, never fetched."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    while host.startswith("www.") and "." in host[4:]:  # "www.com" is a name of its own
        host = host[4:]
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address, bracketed again
    try:
        port = parts.port
    except ValueError:  # not a port number: compared as written
        port, host = None, parts.netloc.rpartition("@")[2].lower()
    if port is not None and (scheme, port) not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    user = parts.netloc.rpartition("@")[0]
    netloc = f"{user}@{host}" if user else host
    # "%2F" is a slash inside a name, not between two: it stays escaped
    path = "%2F".join(quote(unquote(piece, errors="surrogateescape"), safe=_PATH_SAFE, errors="surrogateescape")
                      for piece in _SLASH.split(parts.path))
    pairs = [pair for pair in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(pair[0])]
    scheme = "https" if scheme == "http" else scheme
    return urlunsplit((scheme, netloc, path.rstrip("/") or "/", urlencode(sorted(pairs)), ""))
