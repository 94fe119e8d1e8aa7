"""Telegram's checks on what a bot sends: its HTML subset and length counted in UTF-16 units."""

from __future__ import annotations

import html
import re

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"  # the bot token the fake accepts

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*>")
ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")
ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def utf16_len(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def parse_html(markup: str) -> str:
    """The plain text Telegram would show, or ApiError as Telegram's HTML parser reports it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(markup):
        char = markup[i]
        offset = len(markup[:i].encode())
        if char == "<":
            match = TAG_RE.match(markup, i)
            if not match:
                raise _entities(f"Unsupported start tag at byte offset {offset}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                raise _entities(f'Unsupported start tag "{name}" at byte offset {offset}')
            if closing:
                if not stack or stack[-1] != name:
                    expected = stack[-1] if stack else "nothing"
                    raise _entities(f'Unmatched end tag at byte offset {offset}, expected "</{expected}>"')
                stack.pop()
            else:
                _check_attributes(name, attrs, offset)
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = ENTITY_RE.match(markup, i)
            if not match:
                raise _entities(f"Unsupported HTML entity at byte offset {offset}")
            out.append(html.unescape(match.group()))
            i = match.end()
        elif char == ">":
            raise _entities(f"Unexpected > at byte offset {offset}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise _entities(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _entities(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def _check_attributes(name: str, attrs: str, offset: int) -> None:
    found = {m.group(1).lower(): m.group(2) or m.group(3) or "" for m in ATTR_RE.finditer(attrs)}
    if name == "span" and found.get("class") != "tg-spoiler":
        raise _entities(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "a" and "href" not in found:
        raise _entities(f'Tag "a" must have attribute "href" at byte offset {offset}')
    if name == "blockquote" and set(found) - {"expandable"}:
        raise _entities(f"Unsupported blockquote attribute at byte offset {offset}")


def check_markup(params: dict) -> None:
    """Inline keyboards: callback data of 1 to 64 bytes."""
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
