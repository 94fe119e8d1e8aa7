"""Links the server fetches: DNS rebinding, and every disguise of a private address."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from retriever.ingest.web import FetchError, FetchLimits, check_url, fetch, is_public

LOCAL = [
    "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1",  # IPv4-mapped
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1",  # NAT64 of loopback, of 10.0.0.1; local-use NAT64
    "2002:7f00:1::", "2002:a9fe:a9fe::1",  # 6to4 of 127.0.0.1, of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo whose client is 127.0.0.1
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", LOCAL)
def test_every_form_of_a_private_address_is_refused(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not is_public(ipaddress.ip_address(address))
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))])
    with pytest.raises(FetchError, match="private or local address"):
        check_url("http://tin-tuc.example/bai", allow_private=False)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


class _Secret(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.hits.append(f"{self.headers['Host']}{self.path}")
        body = b"<html><body><article><p>internal secret</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def internal() -> Iterator[int]:
    """A service on 127.0.0.1 that a rebinding attack wants the bot to read."""
    _Secret.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Secret)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_dns_rebinding_cannot_reach_the_servers_own_network(internal: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is public for the check and 127.0.0.1 ever after: the connection goes to the checked
    address (here unreachable), the internal service is never asked, the admin gets one line."""
    lookups: list[str] = []

    def rebinding(host: str, port: object, *args: object, **kwargs: object) -> list[tuple]:
        lookups.append(host)
        answer = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, internal))]

    connects: list[str] = []
    real_connect = httpcore.SyncBackend.connect_tcp

    def recording(self: httpcore.SyncBackend, host: str, port: int, *args: object, **kwargs: object) -> object:
        connects.append(host)
        if host == "93.184.216.34":  # the sandbox has no internet: refused, as an unreachable site would be
            raise httpcore.ConnectError("unreachable")
        return real_connect(self, host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", recording)
    with pytest.raises(FetchError, match="could not connect"):
        fetch(f"http://rebind.example:{internal}/admin", FetchLimits(timeout=2))
    assert connects == ["93.184.216.34"] and lookups == ["rebind.example"]
    assert _Secret.hits == []


def test_a_pinned_fetch_keeps_the_links_host_name(internal: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests serve pages on 127.0.0.1 (allow_private): the name resolves once and the page arrives."""
    seen: list[str] = []
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: seen.append(host) or real("127.0.0.1", *a, **k))
    fetched = fetch(f"http://trang.example:{internal}/a", FetchLimits(timeout=5, allow_private=True))
    # the connection itself looks up the numeric address only (no DNS query)
    assert b"internal secret" in fetched.body and [host for host in seen if host != "127.0.0.1"] == ["trang.example"]
    assert _Secret.hits == [f"trang.example:{internal}/a"]
