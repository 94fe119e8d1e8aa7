"""What the fake Bot API's users do: their chats, and the messages, edits and button presses they send
(mixed into FakeTelegram)."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from tests.telegram_rules import utf16_len


class UsersApi:
    """Updates as Telegram's clients make them; uses FakeTelegram's chats, messages, push() and the ids it
    counts."""

    def user(self: Any, user_id: int, first_name: str = "Lan", language_code: str = "vi") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def private_chat(self: Any, user: dict) -> dict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[chat["id"]] = chat
        return chat

    def group_chat(self: Any, chat_id: int, title: str = "Nhóm thử", forum: bool = False) -> dict:
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        if forum:
            chat["is_forum"] = True
        self.chats[chat_id] = chat
        return chat

    def _next_message_id(self: Any, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def send_text(
        self: Any, chat: dict, user: dict, text: str, reply_to: dict | None = None, thread_id: int | None = None
    ) -> dict:
        message = self._message(chat, user, thread_id, reply_to)
        message["text"] = text
        entities = _entities_of(text)
        if entities:
            message["entities"] = entities
        return await self.push("message", message)

    async def send_sticker(self: Any, chat: dict, user: dict) -> dict:
        message = self._message(chat, user, None, None)
        message["sticker"] = {
            "file_id": "sticker1", "file_unique_id": "s1", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False,
        }  # fmt: skip
        return await self.push("message", message)

    async def edit_text(self: Any, message: dict, text: str) -> dict:
        edited = dict(message, text=text, edit_date=int(time.time()))
        return await self.push("edited_message", edited)

    async def press(self: Any, message: dict, data: str, user: dict) -> str:
        query_id = str(next(self._callback_ids))
        self._open_queries.add(query_id)
        stored = self.messages[(message["chat"]["id"], message["message_id"])]
        query = {"id": query_id, "from": user, "chat_instance": "ci", "message": stored, "data": data}
        await self.push("callback_query", query)
        return query_id

    def _message(self: Any, chat: dict, user: dict, thread_id: int | None, reply_to: dict | None) -> dict:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        # a reply joins its message's thread: a forum's topic, or the comments under a channel's post in its
        # discussion group (a thread that is no topic: Telegram takes no message_thread_id to send into it)
        if thread_id is None and reply_to is not None:
            thread_id = reply_to.get("message_thread_id")
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    @staticmethod
    def entities_of(text: str) -> list[dict]:
        return _entities_of(text)


def _entities_of(text: str) -> list[dict]:
    """Entities the Telegram client would attach: a leading /command and @mentions (UTF-16 offsets)."""
    entities = []
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        start = utf16_len(text[: mention.start()])
        entities.append({"type": "mention", "offset": start, "length": utf16_len(mention.group())})
    return entities
