"""The fake Bot API's checks against the published Bot API refuse what Telegram would (or what it would
silently ignore, hiding a bug)."""

from __future__ import annotations

import pytest

from tests.botapi_spec import check_call, check_object, check_update
from tests.telegram_rules import ApiError


@pytest.mark.parametrize(
    ("method", "params", "error"),
    [
        ("sendMesage", {"chat_id": 1, "text": "x"}, "Not Found"),
        ("sendMessage", {"chat_id": 1}, "text is empty"),
        ("sendMessage", {"chat_id": 1, "text": "x", "reply_to": 3}, "no parameter 'reply_to'"),
        ("getChatMember", {"chat_id": "@kenh", "user_id": "bảy"}, "wrong type of parameter user_id"),
    ],
)
def test_calls_telegram_would_refuse_are_refused(method: str, params: dict, error: str) -> None:
    with pytest.raises(ApiError, match=error):
        check_call(method, params)


def test_form_encoded_calls_and_uploads_pass() -> None:
    check_call("getChatMember", {"chat_id": "-1001987654321", "user_id": "7000001"})
    check_call("sendMessage", {"chat_id": 5, "text": "x", "reply_markup": {"inline_keyboard": [[
        {"text": "🔔", "callback_data": "f:abc"}]]}})


def test_updates_are_checked_as_telegram_sends_them() -> None:
    chat = {"id": -1001987654321, "type": "channel", "title": "Tin tức", "username": "tintuc"}
    post = {"message_id": 3, "date": 1764900000, "chat": chat, "sender_chat": chat, "text": "Bài đăng"}
    check_update({"update_id": 1, "channel_post": post})
    origin = {"type": "channel", "chat": chat, "message_id": 3, "date": 1764900000}
    check_object("MessageOrigin", origin)
    with pytest.raises(AssertionError, match="has type 'channel'"):
        check_object("MessageOriginChannel", {**origin, "type": "chat"})
    with pytest.raises(AssertionError, match="has no field 'forward_from_chat'"):
        check_update({"update_id": 2, "message": {**post, "forward_from_chat": chat}})
    with pytest.raises(AssertionError, match="PhotoSize.width is required|not"):
        check_update({"update_id": 3, "message": {**post, "photo": [{"file_id": "a", "file_unique_id": "b",
                                                                     "height": 9}]}})
