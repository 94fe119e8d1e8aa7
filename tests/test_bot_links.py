"""Source links: the quoted sentence is reachable in the original page through a text fragment."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest

from bot.links import quote_link, text_directive
from tests.bot_fixtures import StartBot
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import ask

URL = "https://baotintuc.vn/thoi-su/le-hoi-hoa-da-lat-2024.htm?a=1&b=2"
ARTICLES = [
    {
        "id": "hoa", "title": "Đà Lạt mở Festival Hoa lần thứ 10", "url": URL, "date": "2024-12-20",
        "text": "Festival Hoa Đà Lạt lần thứ 10 diễn ra từ ngày 21 đến 25/12/2024, với hơn 100 hoạt động văn hóa, "
                "du lịch & trưng bày hoa tại nhiều điểm trong thành phố. Ban tổ chức - Sở Văn hóa, Thể thao và "
                "Du lịch Lâm Đồng - cho biết năm nay có hơn 500 nghìn chậu hoa dọc bờ hồ Xuân Hương.",
    },
    {
        "id": "ca-phe", "title": "Cà phê Việt Nam xuất khẩu kỷ lục", "date": "2024-12-30",
        "text": "Năm 2024, xuất khẩu cà phê của Việt Nam đạt 5,5 tỷ USD, cao nhất từ trước đến nay, "
                "dù sản lượng giảm do hạn hán ở Tây Nguyên.",
    },
]  # fmt: skip


def fragment_matches(href: str, sentence: str) -> bool:
    """Does the text directive in `href` select `sentence` (the spec's textStart[,textEnd], decoded)?"""
    directive = href.split("#:~:text=", 1)[1]
    parts = [unquote(part) for part in directive.split(",")]
    words = " ".join(sentence.split())
    if len(parts) == 1:
        return parts[0] == words
    start, end = parts
    return words.startswith(start) and words.endswith(end) and len(start) + len(end) < len(words)


def test_text_directive_encodes_the_reserved_characters() -> None:
    directive = text_directive("Ban tổ chức - Sở Văn hóa, Thể thao & Du lịch")
    assert "-" not in directive.removeprefix("text=") and "&" not in directive
    assert directive.count(",") == 1  # only the start/end separator: commas in the text are encoded
    assert quote_link("ftp://example.org/a", "x") == "" and quote_link("", "x") == ""
    assert quote_link("https://example.org/a#top", "Hai nước").endswith("#top:~:text=Hai%20n%C6%B0%E1%BB%9Bc")


@pytest.fixture(scope="module")
def url_library(e5: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from retriever.library import Library, LibraryConfig

    root = tmp_path_factory.mktemp("links")
    data = root / "data"
    data.mkdir()
    lines = "\n".join(json.dumps(article, ensure_ascii=False) for article in ARTICLES)
    (data / "news.jsonl").write_text(lines + "\n", encoding="utf-8")
    library, _ = Library.open(LibraryConfig(data_dir=data, index_dir=root / "index"), e5)  # type: ignore[arg-type]
    yield library
    library.close()


@pytest.mark.asyncio
async def test_the_source_line_links_to_the_bold_sentence_only_when_there_is_a_url(
    start_bot: StartBot, telegram: FakeTelegram, url_library: object, tmp_path: Path
) -> None:
    await start_bot(library=url_library, top_k=1)
    user = telegram.user(4001)
    chat = telegram.private_chat(user)
    _, reply = await ask(telegram, chat, user, "Ban tổ chức Festival Hoa Đà Lạt là ai?")
    html = reply.params["text"]
    bold = unescape(re.search(r"<b>(.*?)</b>", html, re.S).group(1))  # type: ignore[union-attr]
    href = unescape(re.search(r'<a href="([^"]+)">', html).group(1))  # type: ignore[union-attr]
    assert href.startswith(URL + "#:~:text=")
    assert fragment_matches(href, bold), (href, bold)

    _, plain = await ask(telegram, chat, user, "Xuất khẩu cà phê năm 2024 đạt bao nhiêu?")
    assert "5,5 tỷ USD" in plain.result["text"] and "<a " not in plain.params["text"]
    assert any(d.startswith("a:") for row in plain.params["reply_markup"]["inline_keyboard"]
               for d in [b["callback_data"] for b in row])  # fmt: skip
