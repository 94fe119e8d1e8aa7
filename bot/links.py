"""Links to the quoted place: the document's URL with a text fragment (`#:~:text=`) that makes browsers
scroll to and highlight the bold sentence (https://wicg.github.io/scroll-to-text-fragment/)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# up to this many words the whole sentence is the fragment; longer ones become "start,end": a short
# directive survives small differences between the page and the indexed copy (ads, edits mid-sentence)
EXACT_WORDS = 8
EDGE_WORDS = 4


def _encode(words: list[str]) -> str:
    # the spec reserves '-', '&' and ',' as syntax inside the directive; quote() leaves '-' alone
    return quote(" ".join(words), safe="").replace("-", "%2D")


def text_directive(sentence: str) -> str:
    """`text=...` for `sentence`: exact when short, else `textStart,textEnd` of its first and last words."""
    words = sentence.split()
    if len(words) <= EXACT_WORDS:
        return "text=" + _encode(words)
    return f"text={_encode(words[:EDGE_WORDS])},{_encode(words[-EDGE_WORDS:])}"


def quote_link(url: str, sentence: str) -> str:
    """`url` pointing at `sentence`; "" when the URL is not a web address a reader can open."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    if not sentence.strip() or parts.netloc.lower() == "t.me":
        return url  # a channel post opens in Telegram, which has no text fragments
    # an existing fragment stays; the directive follows it after the ":~:" delimiter
    joiner = ":~:" if "#" in url else "#:~:"
    return f"{url}{joiner}{text_directive(sentence)}"
