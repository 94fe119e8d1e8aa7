"""When two links are the same page (`link_key`): the forms an app or a browser shares a link in are one
article; a real query parameter is another page. Stored in a data folder (PostgreSQL: test_pg_collection.py)."""

from __future__ import annotations

from pathlib import Path
from random import Random
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retriever.collection import store_page
from retriever.ingest.web import Fetched, link_key
from tests.collection_fixtures import news_page

LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
HOST = st.lists(LABEL, min_size=1, max_size=3).map(lambda labels: ".".join([*labels, "vn"]))
SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.~ứơ", min_size=1, max_size=10).filter(
    lambda s: s not in {".", ".."})
PATH = st.lists(SEGMENT, max_size=4).map(lambda parts: "/" + "/".join(parts))
PARAMS = st.dictionaries(st.sampled_from(["id", "p", "page", "cat", "q"]), LABEL, max_size=3)
TRACKING = st.dictionaries(st.sampled_from(["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
                                            "fbclid", "gclid", "zarsrc", "gidzl", "msclkid"]), LABEL, max_size=3)


def _url(scheme: str, host: str, path: str, pairs: list[tuple[str, str]], fragment: str = "") -> str:
    query = f"?{urlencode(pairs)}" if pairs else ""
    return f"{scheme}://{host}{path}{query}{fragment}"


@given(HOST, PATH, PARAMS, TRACKING, st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.randoms())
def test_the_forms_a_link_is_shared_in_have_one_key(host: str, path: str, params: dict[str, str],
                                                    tracking: dict[str, str], http: bool, www: bool, upper: bool,
                                                    slash: bool, random: Random) -> None:
    plain = _url("https", host, path, sorted(params.items()))
    pairs = [*params.items(), *tracking.items()]
    random.shuffle(pairs)
    shared = _url("http" if http else "HTTPS", ("WWW." if www else "") + (host.upper() if upper else host),
                  path + ("/" if slash else ""), pairs, "#doan-2")
    assert link_key(shared) == link_key(plain)
    assert link_key(link_key(shared)) == link_key(shared)  # a key is its own key


@given(HOST, PATH, st.sampled_from(["id", "p", "page"]), LABEL, LABEL)
def test_a_real_query_parameter_is_another_page(host: str, path: str, name: str, one: str, other: str) -> None:
    assert (link_key(_url("https", host, path, [(name, one)])) == link_key(_url("https", host, path, [(name, other)]))
            ) == (one == other)


@pytest.mark.parametrize(("first", "second"), [
    ("https://example.vn/bai-viet", "https://example.vn/bai-viet/"),
    ("https://example.vn/bai-viet", "https://Example.VN:443/bai-viet#binh-luan"),
    ("http://www.example.vn/bai-viet", "https://example.vn/bai-viet?utm_source=zalo&utm_medium=social"),
    ("https://example.vn/tin?id=1&cat=2", "https://example.vn/tin/?cat=2&fbclid=IwAR0&id=1"),
    ("https://example.vn/tin-tức", "https://example.vn/tin-t%e1%bb%a9c"),
    ("https://example.vn", "http://www.example.vn/"),
])
def test_the_same_page(first: str, second: str) -> None:
    assert link_key(first) == link_key(second)


@pytest.mark.parametrize(("first", "second"), [
    ("https://example.vn/tin?id=1", "https://example.vn/tin?id=2"),
    ("https://example.vn/Tin", "https://example.vn/tin"),  # a path may tell case apart
    ("https://example.vn:8443/tin", "https://example.vn/tin"),
    ("https://tin.example.vn/a", "https://example.vn/a"),
    ("https://www.com/a", "https://com/a"),  # "www." is the name there, not a prefix
    ("https://example.vn/a%2Fb", "https://example.vn/a/b"),
])
def test_other_pages(first: str, second: str) -> None:
    assert link_key(first) != link_key(second)


def test_a_link_sent_again_in_another_form_updates_the_page_held_under_its_first_address(tmp_path: Path) -> None:
    page = news_page("Giá lúa Cần Thơ tăng", "Giá lúa IR50404 tại Cần Thơ tăng lên 7.200 đồng mỗi ký.").encode()
    first = store_page(tmp_path, Fetched("https://example.vn/bai-viet", "text/html", page))
    again = store_page(tmp_path, Fetched("http://www.example.vn/bai-viet/?utm_source=zalo", "text/html", page))
    # stored as a second file, and quoted twice
    assert again.relative == first.relative and again.duplicate
    assert again.same_page == "https://example.vn/bai-viet" and again.sent_as == "http://www.example.vn/bai-viet/"
    assert [d.url for d in again.documents] == ["https://example.vn/bai-viet"]  # the readers' source link
    other = store_page(tmp_path, Fetched("https://example.vn/bai-viet?id=2", "text/html", page))
    assert other.relative != first.relative and not other.same_page
    assert len(list((tmp_path / "links").rglob("*.html"))) == 2
