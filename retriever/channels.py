"""Telegram channel posts as documents: one text file per post under `channels/<channel>/`, with a sidecar
that links the quote to the post (https://t.me/<channel>/<id>) and names its date and the channel.

An edited post is written over its file, so the next build replaces its passages; removing a channel
removes its folder."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from retriever.collection import Added, write_file
from retriever.errors import UnreadableInputError
from retriever.ingest.files import META_DIR, SourceFile, SourceMeta, parse_source, write_meta
from retriever.ingest.news import NO_PARAGRAPHS
from retriever.ingest.ocr_cache import OCR_DIR
from retriever.ingest.posts import POSTS

CHANNELS = POSTS
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")


@dataclass(frozen=True)
class Post:
    channel: str  # the public @username without "@", or "c<id>" for a channel without one
    message_id: int
    text: str
    date: str  # ISO date the post was published
    channel_title: str
    url: str


def username(given: str) -> str:
    """`@name`, `name` or `https://t.me/name` as the bare username; "" when it cannot be one."""
    given = given.strip().removeprefix("https://").removeprefix("http://").removeprefix("t.me/")
    match = _USERNAME.match(given)
    return match.group(1) if match else ""


def folder_of(channel_username: str | None, chat_id: int) -> str:
    """The channel's folder name: its username (case folded, as t.me treats it), else its numeric id."""
    return channel_username.lower() if channel_username else f"c{_internal(chat_id)}"


def post_url(channel_username: str | None, chat_id: int, message_id: int) -> str:
    if channel_username:
        return f"https://t.me/{channel_username}/{message_id}"
    return f"https://t.me/c/{_internal(chat_id)}/{message_id}"  # members of a private channel can open it


def _internal(chat_id: int) -> str:
    """-1001234567890 (the Bot API's channel id) is 1234567890 in t.me/c/ links."""
    digits = str(abs(chat_id))
    return digits[3:] if digits.startswith("100") and len(digits) > 10 else digits


def store_post(data_dir: Path, post: Post) -> Added:
    """Write (or overwrite, for an edit) the post's file. Raises ValueError when it holds no text to quote."""
    relative = f"{CHANNELS}/{post.channel}/{post.message_id}.txt"
    raw = post.text.encode("utf-8")
    meta = SourceMeta(url=post.url, date=post.date, source=post.channel_title)
    [document] = parse_source(SourceFile(Path(relative), relative, hashlib.sha256(raw).hexdigest(), raw, meta))
    if not document.paragraphs:
        raise UnreadableInputError("no_paragraphs", NO_PARAGRAPHS)
    target = data_dir / relative
    duplicate = target.is_file() and target.read_bytes() == raw
    write_file(target, raw)
    write_meta(data_dir, relative, meta)
    return Added(relative, (document,), duplicate)


def remove_channel_files(data_dir: Path, channel: str) -> int:
    """Delete every stored post of the channel (and their sidecars); returns how many there were."""
    count = posts_of(data_dir, channel)
    for root in (data_dir, data_dir / META_DIR, data_dir / OCR_DIR):
        shutil.rmtree(root / CHANNELS / channel, ignore_errors=True)
    return count


def withdraw_post(data_dir: Path, channel: str, message_id: int) -> bool:
    """A post edited to hold no text (its caption taken off): its file and sidecar go, so the next build drops
    what it said. False when it was never stored."""
    relative = f"{CHANNELS}/{channel}/{message_id}.txt"
    stored = data_dir / relative
    if not stored.is_file():
        return False
    stored.unlink()
    (data_dir / META_DIR / f"{relative}.json").unlink(missing_ok=True)
    return True


def posts_of(data_dir: Path, channel: str) -> int:
    folder = data_dir / CHANNELS / channel
    return sum(1 for _ in folder.glob("*.txt")) if folder.is_dir() else 0
