"""The fake Bot API's methods for messages, button answers and commands, refusing what Telegram refuses
(mixed into FakeTelegram)."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from tests.fake_readers import BOT_USER
from tests.telegram_rules import ApiError, check_markup, parse_html, utf16_len


class MessagesApi:
    """sendMessage, editMessageText, sendChatAction, answerCallbackQuery and the commands; uses FakeTelegram's
    chats, messages, commands, unreachable, the open callback queries and _message()."""

    def _chat(self: Any, params: dict) -> dict:
        chat = self.chats.get(int(params.get("chat_id", 0)))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _text(self: Any, params: dict) -> str:
        raw = str(params.get("text", ""))
        shown = parse_html(raw) if str(params.get("parse_mode", "")).upper() == "HTML" else raw
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(shown.strip()) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return shown

    @staticmethod
    def _check_markup(params: dict) -> None:
        check_markup(params)

    async def _api_sendMessage(self: Any, params: dict) -> dict:
        if int(params.get("chat_id", 0)) in self.unreachable:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        chat = self._chat(params)
        shown = self._text(params)
        self._check_markup(params)
        reply = params.get("reply_parameters") or {}
        if "reply_to_message_id" in params:
            reply = {"message_id": params["reply_to_message_id"]}
        replied = self.messages.get((chat["id"], reply.get("message_id", -1)))
        if reply and replied is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        thread = params.get("message_thread_id")
        if thread is not None and not chat.get("is_forum"):
            raise ApiError(400, "Bad Request: message thread not found")
        message = self._message(chat, BOT_USER, thread, replied)
        message["text"] = shown
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_editMessageText(self: Any, params: dict) -> dict:
        chat = self._chat(params)
        message = self.messages.get((chat["id"], int(params.get("message_id", 0))))
        if message is None or message["from"]["id"] != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        shown = self._text(params)
        self._check_markup(params)
        if shown == message["text"] and params.get("reply_markup") == message.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        message["text"] = shown
        message["edit_date"] = int(time.time())
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_sendChatAction(self: Any, params: dict) -> bool:
        self._chat(params)
        if params.get("action") not in {"typing", "upload_document", "find_location"}:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _api_answerCallbackQuery(self: Any, params: dict) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    async def _api_setMyCommands(self: Any, params: dict) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "chat" and int(scope["chat_id"]) not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        for command in params.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is too long")
        self.commands[_scope_key(scope, params.get("language_code", ""))] = list(params.get("commands", []))
        return True

    async def _api_getMyCommands(self: Any, params: dict) -> list[dict]:
        scope = params.get("scope") or {"type": "default"}
        return self.commands.get(_scope_key(scope, params.get("language_code", "")), [])


def _scope_key(scope: dict, language_code: str) -> str:
    return json.dumps(scope, sort_keys=True) + "|" + (language_code or "")
