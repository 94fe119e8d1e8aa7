"""The /settings menu of a chat and what it says when a choice is saved."""

from __future__ import annotations

VI = {
    "settings": (
        "<b>Cài đặt cho cuộc trò chuyện này</b>\n"
        "Số kết quả mỗi câu trả lời: {top_k}\n"
        "Ngôn ngữ: {language}\n"
        "Trả lời khi được nhắc tên: {mentions}\n"
        "Giới hạn câu hỏi của nhóm: {limit}"
    ),
    "settings_private": (
        "<b>Cài đặt của bạn</b>\nSố kết quả mỗi câu trả lời: {top_k}\nNgôn ngữ: {language}"
    ),
    "settings_on": "bật",
    "settings_off": "tắt",
    "settings_mentions": "Nhắc tên: {state}",
    "settings_no_limit": "không giới hạn",
    "settings_per_minute": "{n} câu/phút",
    "settings_saved": "Đã lưu – {what}",
    "saved_top_k": "{n} kết quả mỗi câu trả lời",
    "saved_language": "ngôn ngữ: {name}",
    "saved_mentions": "trả lời khi được nhắc tên: {state}",
    "saved_limit": "giới hạn câu hỏi của nhóm: {limit}",
    "settings_unchanged": "Đây đã là lựa chọn hiện tại.",
    "settings_admins_only": "Chỉ quản trị viên của nhóm mới đổi được cài đặt.",
    "settings_language_auto": "theo Telegram ({name})",
    "settings_language_each": "theo Telegram của từng người",
    "settings_language_telegram": "🌐 Theo Telegram",
    "close_button": "✖ Đóng",
}

EN = {
    "settings": (
        "<b>Settings for this chat</b>\n"
        "Results per answer: {top_k}\n"
        "Language: {language}\n"
        "Answer when mentioned: {mentions}\n"
        "Group question limit: {limit}"
    ),
    "settings_private": "<b>Your settings</b>\nResults per answer: {top_k}\nLanguage: {language}",
    "settings_on": "on",
    "settings_off": "off",
    "settings_mentions": "Mentions: {state}",
    "settings_no_limit": "no limit",
    "settings_per_minute": "{n}/min",
    "settings_saved": "Saved – {what}",
    "saved_top_k": "{n} results per answer",
    "saved_language": "language: {name}",
    "saved_mentions": "answer when mentioned: {state}",
    "saved_limit": "group question limit: {limit}",
    "settings_unchanged": "That is the current choice already.",
    "settings_admins_only": "Only the group's admins can change its settings.",
    "settings_language_auto": "from Telegram ({name})",
    "settings_language_each": "each member's Telegram language",
    "settings_language_telegram": "🌐 From Telegram",
    "close_button": "✖ Close",
}
