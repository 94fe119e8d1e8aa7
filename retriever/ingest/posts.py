"""A Telegram channel's post, stored as a text file under `channels/<channel>/`.

A post is not an article: most are one line ("Từ 22h tối nay, trạm biến áp 110kV … tạm ngừng cấp điện"),
some end with hashtags or a photo credit ("(Ảnh: Nguyễn Đông)"), some are a list ("Lịch cắt điện ngày mai:"
and a line per district). Read with the article rules, a one-line post became a title with no paragraph,
a line with "Ảnh:" was taken for a photo's caption, and such posts were dropped without a word. Here the
post's text is what is quoted: each block between blank lines one paragraph, its lines joined, hashtags
closing the post left out. A short first line above more text is the post's headline.
"""

from __future__ import annotations

import re

from retriever.ingest.news import ParsedText, derive_title
from retriever.models import Paragraph
from retriever.text import collapse_spaces, nfc, word_count

POSTS = "channels"  # the data folder's subfolder of channel posts
HEADLINE_WORDS = 14  # a first line this short, above more text, heads the post
_BLOCK_BREAK = re.compile(r"\n\s*\n")
_TRAILING_TAGS = re.compile(r"(?:\s*#[^\s#]+)+\s*$")  # "… 86,5 triệu đồng/lượng. #vàng #giávàng"
_CLOSED = re.compile(r"[.!?…:;,]$")


def is_post(relative: str) -> bool:
    return relative.startswith(f"{POSTS}/")


def parse_post(text: str, fallback_title: str) -> ParsedText:
    blocks = []
    for block in _BLOCK_BREAK.split(nfc(text).replace("\r\n", "\n").strip()):
        lines = [collapse_spaces(line) for line in block.splitlines() if line.strip()]
        blocks.append(lines)
    if blocks and blocks[-1]:
        blocks[-1][-1] = _TRAILING_TAGS.sub("", blocks[-1][-1])
    blocks = [[line for line in lines if line] for lines in blocks]
    blocks = [lines for lines in blocks if lines]
    title = ""
    first = blocks[0][0] if blocks else ""
    more = sum(len(lines) for lines in blocks) > 1
    if more and word_count(first) <= HEADLINE_WORDS and not _CLOSED.search(first):
        title = first
        blocks[0] = blocks[0][1:]
        blocks = [lines for lines in blocks if lines]
    paragraphs = tuple(Paragraph(" ".join(lines)) for lines in blocks)
    if title:
        return ParsedText(title, False, "", "", paragraphs)
    return ParsedText(derive_title(paragraphs[0].text) if paragraphs else fallback_title, True, "", "", paragraphs)
