"""The fake Bot API's channels (mixed into FakeTelegram): channels with administrators, their posts and edits
delivered as channel_post / edited_channel_post, posts forwarded to the bot, and getChat."""

from __future__ import annotations

import time
from typing import Any

from tests.botapi_spec import check_object
from tests.telegram_rules import ApiError

GIFTS = {"unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True, "premium_subscription": True,
         "gifts_from_channels": True}


class ChannelsApi:
    """Uses FakeTelegram's chats, messages, admins, push() and _next_message_id()."""

    def channel(self: Any, chat_id: int, username: str, title: str, bot_is_admin: bool = True) -> dict:
        from tests.fake_readers import BOT_USER

        chat = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        self.chats[chat_id] = chat
        if bot_is_admin:
            self.admins.setdefault(chat_id, set()).add(BOT_USER["id"])
        return chat

    async def post_to_channel(self: Any, chat: dict, text: str | None = None, photo: bool | bytes = False,
                              document: tuple[str, bytes] | None = None, album: str | None = None) -> dict:
        """A post in the channel, as Telegram delivers it to the channel's administrator bots. `document`: a
        file (name, content) posted with `text` as its caption; `photo`: a picture's bytes, stored (True: one
        that cannot be downloaded); `album`: the media group it is one of."""
        from tests.fake_files import StoredFile

        message: dict[str, Any] = {"message_id": self._next_message_id(chat["id"]), "date": int(time.time()),
                                   "chat": chat, "sender_chat": chat}
        if album:
            message["media_group_id"] = album
        if text is not None:
            message["caption" if photo or document else "text"] = text
        if document:
            number = len(self.uploads) + 1
            stored = StoredFile(f"chan{number}", f"c{number}", document[1], len(document[1]))
            self.uploads[stored.file_id] = stored
            message["document"] = {"file_id": stored.file_id, "file_unique_id": stored.unique_id,
                                   "file_name": document[0], "file_size": stored.size}
        if isinstance(photo, bytes):
            message["photo"] = self.photo_sizes(photo)
        elif photo:
            message["photo"] = [{"file_id": "chanphoto", "file_unique_id": "cp", "width": 90, "height": 90}]
        self.messages[(chat["id"], message["message_id"])] = message
        await self._push_if_admin(chat, "channel_post", message)
        return message

    async def edit_channel_post(self: Any, chat: dict, message_id: int, text: str | None) -> dict:
        """`text`: the post's new text, or a photo's new caption (None: the caption taken off)."""
        message = dict(self.messages[(chat["id"], message_id)])
        key = "caption" if "photo" in message else "text"
        message.pop(key, None)
        message.update({key: text} if text is not None else {}, edit_date=int(time.time()))
        self.messages[(chat["id"], message_id)] = message
        await self._push_if_admin(chat, "edited_channel_post", message)
        return message

    async def _push_if_admin(self: Any, chat: dict, kind: str, message: dict) -> None:
        from tests.fake_readers import BOT_USER

        if BOT_USER["id"] in self.admins.get(chat["id"], set()):  # Telegram sends posts to admin bots only
            await self.push(kind, message)

    async def forward_to_bot(self: Any, user: dict, post: dict, album: str | None = None) -> dict:
        """`user` forwards a channel's `post` to the bot in their private chat (`album`: one of several)."""
        chat = self.private_chat(user)
        message = self._message(chat, user, None, None)
        if album:
            message["media_group_id"] = album
        message["forward_origin"] = {"type": "channel", "chat": post["chat"], "message_id": post["message_id"],
                                     "date": post["date"]}
        for key in ("text", "caption", "photo", "document"):
            if key in post:
                message[key] = post[key]
        return await self.push("message", message)

    async def _api_getChat(self: Any, params: dict) -> dict:
        given = str(params.get("chat_id", ""))
        if given.startswith("@"):
            chat = next((c for c in self.chats.values() if c.get("username", "").lower() == given[1:].lower()), None)
        else:
            chat = self.chats.get(int(given)) if given.lstrip("-").isdigit() else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        info = {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": GIFTS}
        check_object("ChatFullInfo", info)
        return info
