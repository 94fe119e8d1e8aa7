"""The fake Bot API's methods for inline mode, documents and chat members (mixed into FakeTelegram)."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from tests.telegram_rules import ApiError, check_markup, parse_html, utf16_len

BOT_USER = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "Tra Cứu",
    "username": "TraCuuTestBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}


class ReadersApi:
    """Inline queries, sendDocument and getChatMember; uses FakeTelegram's chats, messages, files, admins,
    inline_answers, push(), wait_for(), _chat() and _message()."""

    async def inline(self: Any, user: dict, query: str, offset: str = "") -> str:
        """The user typed `@bot query` (or scrolled to `offset`); returns the inline query id."""
        query_id = f"iq{next(self._inline_ids)}"
        self._open_inline[query_id] = time.monotonic()
        payload = {"id": query_id, "from": user, "query": query, "offset": offset, "chat_type": "sender"}
        await self.push("inline_query", payload)
        return query_id

    async def wait_inline(self: Any, query_id: str, since: int = 0, timeout: float = 15) -> Any:
        return await self.wait_for(
            lambda c: c.method == "answerInlineQuery" and c.params.get("inline_query_id") == query_id, since, timeout
        )

    async def _api_answerInlineQuery(self: Any, params: dict) -> bool:
        query_id = str(params.get("inline_query_id"))
        delivered = self._open_inline.pop(query_id, None)
        if delivered is None or time.monotonic() - delivered > INLINE_ANSWER_WINDOW:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        results = params.get("results") or []
        check_inline_results(results)
        if len(str(params.get("next_offset") or "").encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        if int(params.get("cache_time", 300)) < 0:
            raise ApiError(400, "Bad Request: CACHE_TIME_INVALID")
        self.inline_answers[query_id] = params
        return True

    async def _api_sendDocument(self: Any, params: dict) -> dict:
        chat = self._chat(params)
        upload = params.get("document")
        if not isinstance(upload, web.FileField):
            raise ApiError(400, "Bad Request: there is no document in the request")
        content = upload.file.read()
        if not content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if len(content) > 50 * 1024 * 1024:
            raise ApiError(413, "Request Entity Too Large")
        caption = str(params.get("caption", ""))
        shown = parse_html(caption) if str(params.get("parse_mode", "")).upper() == "HTML" else caption
        if utf16_len(shown) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = (upload.filename, content)
        reply = params.get("reply_parameters") or {}
        message = self._message(chat, BOT_USER, params.get("message_thread_id"),
                                self.messages.get((chat["id"], reply.get("message_id", -1))))  # fmt: skip
        message["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": upload.filename,
                               "file_size": len(content)}  # fmt: skip
        if shown:
            message["caption"] = shown
        return message

    async def _api_getChatMember(self: Any, params: dict) -> dict:
        chat = self._chat(params)
        user_id = int(params.get("user_id", 0))
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        if user_id in self.admins.get(chat["id"], set()):
            return {
                "status": "administrator", "user": user, "can_be_edited": False, "is_anonymous": False,
                "can_manage_chat": True, "can_delete_messages": True, "can_manage_video_chats": True,
                "can_restrict_members": True, "can_promote_members": False, "can_change_info": True,
                "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
                "can_delete_stories": False,
            }  # fmt: skip
        if chat["type"] == "channel":
            # a channel's member list is for its administrators: the bot gets "left" when it is not one
            if BOT_USER["id"] not in self.admins.get(chat["id"], set()):
                raise ApiError(400, "Bad Request: member list is inaccessible")
            return {"status": "left", "user": user}
        if chat["type"] == "private" and user_id == chat["id"]:
            return {"status": "member", "user": user}
        return {"status": "member" if chat["type"] != "private" else "left", "user": user}


INLINE_ANSWER_WINDOW = 10.0  # seconds Telegram waits for answerInlineQuery


def check_inline_results(results: list[dict]) -> None:
    """What Telegram checks in answerInlineQuery for article results (the only kind the bot sends)."""
    if len(results) > 50:
        raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
    ids = [str(r.get("id", "")) for r in results]
    if any(not 1 <= len(i.encode()) <= 64 for i in ids):
        raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
    if len(set(ids)) != len(ids):
        raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
    for result in results:
        if result.get("type") != "article" or not str(result.get("title", "")).strip():
            raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
        content = result.get("input_message_content") or {}
        raw = str(content.get("message_text", ""))
        shown = parse_html(raw) if str(content.get("parse_mode", "")).upper() == "HTML" else raw
        if not shown.strip():
            raise ApiError(400, "Bad Request: MESSAGE_EMPTY")
        if utf16_len(shown.strip()) > 4096:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        check_markup(result)


