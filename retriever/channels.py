"""Telegram channel posts as documents: one text file per post under `channels/<channel>/`, with a sidecar
that links the quote to the post (https://t.me/<channel>/<id>) and names its date and the channel.

An edited post is written over its file, so the next build replaces its passages; removing a channel
removes its posts. Posts are kept as admins' files are (`retriever.originals`): in the data folder, or with
PostgreSQL in the database, so that every replica sees, counts and removes the same posts."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from retriever.collection import Added
from retriever.errors import UnreadableInputError
from retriever.ingest.files import DEFAULT_OCR, SourceFile, SourceMeta, parse_source
from retriever.ingest.news import NO_PARAGRAPHS
from retriever.ingest.ocr import OcrOptions
from retriever.ingest.posts import POSTS
from retriever.originals import Originals

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


def store_post(originals: Originals, post: Post) -> Added:
    """Keep (or overwrite, for an edit) the post's text where admins' files are kept: with PostgreSQL, in
    the database every replica reads. Raises ValueError when it holds no text to quote."""
    # a caption added: the photo illustrates it
    return _store(originals, post, "txt", post.text.encode("utf-8"), DEFAULT_OCR, replaces="jpg")


def store_picture(originals: Originals, post: Post, raw: bytes, ocr: OcrOptions) -> Added:
    """Keep a post that is a photo alone (a notice photographed, as a ward's channel posts it), read by OCR.
    Raises ValueError (UnreadableInputError) when no text is read in it: a picture to look at, not a notice."""
    return _store(originals, post, "jpg", raw, ocr, replaces="txt")  # its caption taken off


def _store(originals: Originals, post: Post, kind: str, raw: bytes, ocr: OcrOptions, replaces: str) -> Added:
    """The post as a file of `kind` ("txt": its words; "jpg": its photo), in place of its file of `replaces`."""
    relative = _path(post.channel, post.message_id, kind)
    meta = SourceMeta(url=post.url, date=post.date, source=post.channel_title)
    [document] = parse_source(SourceFile(Path(relative), relative, hashlib.sha256(raw).hexdigest(), raw, meta), ocr)
    if not document.paragraphs:
        raise UnreadableInputError("no_paragraphs", NO_PARAGRAPHS)
    duplicate = originals.read(relative) == raw
    originals.write(relative, raw, meta)
    _remove(originals, _path(post.channel, post.message_id, replaces))
    return Added(relative, (document,), duplicate)


def _path(channel: str, message_id: int, kind: str) -> str:
    return f"{CHANNELS}/{channel}/{message_id}.{kind}"


def _remove(originals: Originals, relative: str) -> bool:
    if not originals.read(relative):
        return False
    originals.remove(relative)
    return True


def _posts(originals: Originals, channel: str) -> list[str]:
    """The stored posts of the channel, by path (each is kept with its post's address)."""
    return sorted(originals.addresses(f"{CHANNELS}/{channel}"))


def remove_channel_files(originals: Originals, channel: str) -> int:
    """Remove every stored post of the channel (with what was kept about it); returns how many there were."""
    posts = _posts(originals, channel)
    for relative in posts:
        originals.remove(relative)
    return len(posts)


def withdraw_post(originals: Originals, channel: str, message_id: int) -> bool:
    """A post edited to hold no text (its caption taken off): it goes, so the next build drops what it said.
    False when it was never stored."""
    said = _remove(originals, _path(channel, message_id, "txt"))
    return _remove(originals, _path(channel, message_id, "jpg")) or said


def posts_of(originals: Originals, channel: str) -> int:
    return len(_posts(originals, channel))
