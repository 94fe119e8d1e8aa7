"""The fake Bot API's file downloads (mixed into FakeTelegram): users send documents, the bot fetches them
with getFile and GET /file/bot<token>/<path>, refused like Telegram above 20 MB."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from PIL import Image

from tests.telegram_rules import TOKEN, ApiError

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses larger files for bots


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    content: bytes
    size: int  # as Telegram reports it (tests may claim more than they store)
    path: str = ""


class FilesApi:
    """Uses FakeTelegram's uploads, downloads, push() and _message()."""

    async def send_document(
        self: Any, chat: dict, user: dict, name: str, content: bytes, caption: str | None = None,
        claimed_size: int | None = None, sized: bool = True, album: str | None = None,
    ) -> dict:
        """A file as a Telegram client sends it; `claimed_size` fakes a large file without storing one.
        `sized=False`: without `file_size`, which the Bot API leaves optional."""
        number = len(self.uploads) + 1
        stored = StoredFile(f"up{number}-{name}"[:60], f"u{number}", content, claimed_size or len(content))
        self.uploads[stored.file_id] = stored
        message = self._message(chat, user, None, None)
        message["document"] = {
            "file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_name": name,
            "mime_type": "application/octet-stream", "file_size": stored.size,
        }  # fmt: skip
        if not sized:
            del message["document"]["file_size"]
        if album:  # one of several files sent together: Telegram delivers each as a message of its own
            message["media_group_id"] = album
        if caption:
            message["caption"] = caption
            if entities := self.entities_of(caption):  # a caption's command and mentions, as the client marks
                message["caption_entities"] = entities
        return await self.push("message", message)

    async def send_animation(self: Any, chat: dict, user: dict, caption: str | None = None,
                             forward_origin: dict | None = None) -> dict:
        """A GIF as Telegram delivers it: an `animation` (an MPEG-4 clip without sound) that the message also
        carries as its `document`, as old clients expect."""
        message = self._message(chat, user, None, None)
        clip = {"file_id": "gif1", "file_unique_id": "g1", "file_name": "giphy.mp4", "mime_type": "video/mp4",
                "file_size": 120_000}
        message["animation"] = {**clip, "width": 320, "height": 240, "duration": 2}
        message["document"] = clip
        if forward_origin:
            message["forward_origin"] = forward_origin
        if caption:
            message["caption"] = caption
            if entities := self.entities_of(caption):
                message["caption_entities"] = entities
        return await self.push("message", message)

    async def send_photo(self: Any, chat: dict, user: dict, content: bytes, caption: str | None = None) -> dict:
        """A photo as Telegram delivers it: the same picture in several sizes (PhotoSize), smallest first."""
        message = self._message(chat, user, None, None)
        message["photo"] = self.photo_sizes(content)
        if caption:
            message["caption"] = caption
            if entities := self.entities_of(caption):  # a caption's command and mentions, as the client marks
                message["caption_entities"] = entities
        return await self.push("message", message)

    def photo_sizes(self: Any, content: bytes) -> list[dict]:
        """`content` stored in two sizes, as Telegram keeps a photo: the PhotoSize list of a message."""
        image = Image.open(io.BytesIO(content))
        sizes = []
        for side in (320, max(image.size)):
            scaled = image.copy()
            scaled.thumbnail((side, side))
            out = io.BytesIO()
            scaled.convert("RGB").save(out, "JPEG", quality=85)
            number = len(self.uploads) + 1
            stored = StoredFile(f"ph{number}-photo.jpg", f"p{number}", out.getvalue(), len(out.getvalue()))
            self.uploads[stored.file_id] = stored
            sizes.append({"file_id": stored.file_id, "file_unique_id": stored.unique_id, "width": scaled.width,
                          "height": scaled.height, "file_size": stored.size})
        return sizes

    async def _api_getFile(self: Any, params: dict) -> dict:
        stored = self.uploads.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        # named by the file itself: two admins' files asked for at once got one path, and both the first file
        stored.path = stored.path or f"documents/file_{stored.unique_id}{_suffix(stored)}"
        return {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": stored.size,
                "file_path": stored.path}

    async def _download(self: Any, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        stored = next((f for f in self.uploads.values() if f.path and f.path == path), None)
        if stored is None:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(path)
        return web.Response(body=stored.content, content_type="application/octet-stream")


def _suffix(stored: StoredFile) -> str:
    name = stored.file_id.rsplit("-", 1)[-1]
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""
