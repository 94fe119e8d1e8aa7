"""Every string a user sees, in Vietnamese and English.

Values are HTML; callers escape what they fill in.
"""

from __future__ import annotations

from telegram import User

VI = {
    "help": (
        "<b>Tra Cứu</b> trả lời câu hỏi bằng cách trích nguyên văn những đoạn trong bộ sưu tập bài báo "
        "có câu trả lời, kèm nguồn. Bot không tự viết câu trả lời.\n\n"
        "<b>Trong chat riêng:</b> chỉ cần gửi câu hỏi.\n"
        "<b>Trong nhóm:</b> dùng <code>/ask câu hỏi</code>, nhắc tên {mention} "
        "hoặc trả lời tin nhắn của bot.\n"
        "<b>Trong bất kỳ cuộc trò chuyện nào:</b> gõ <code>{mention} câu hỏi</code> rồi chọn một trích dẫn.\n"
        "Bấm 👍 / 👎 dưới câu trả lời để góp ý.\n\n"
        "<b>Ví dụ:</b>\n"
        "• Đường biên giới Việt Nam - Lào dài bao nhiêu km?\n"
        "• Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?\n"
        "• Tham khảo chính trị Việt Nam - Lào lần thứ hai diễn ra ở đâu?\n\n"
        "<b>Lệnh:</b>\n"
        "/ask – hỏi (trong nhóm)\n"
        "/sources – các bài báo trong bộ sưu tập\n"
        "/settings – cài đặt cho cuộc trò chuyện này\n"
        "/help – hướng dẫn này"
    ),
    "help_admin": (
        "\n/stats – thống kê (quản trị)\n/reindex – cập nhật chỉ mục (quản trị)\n"
        "/gaps – câu hỏi bộ sưu tập còn thiếu; <code>/gaps csv</code> – xuất tệp CSV (quản trị)\n\n"
        "Chế độ inline cần được bật một lần: gửi /setinline cho @BotFather và chọn bot này."
    ),
    "ask_usage": "Cách dùng: <code>/ask câu hỏi của bạn</code>",
    "too_long": "Câu hỏi quá dài ({length} ký tự). Hãy hỏi ngắn gọn, dưới {limit} ký tự.",
    "rate_limited": "Bạn hỏi hơi nhanh. Vui lòng thử lại sau {seconds} giây.",
    "not_text": "Bot chỉ hiểu câu hỏi bằng chữ. Hãy gõ câu hỏi của bạn.",
    "unknown_command": "Không có lệnh này. Gõ /help để xem hướng dẫn.",
    "abstained": (
        "Bộ sưu tập không có thông tin về điều này.\n"
        "Hãy thử hỏi cụ thể hơn, dùng tên người, địa danh hoặc sự kiện, hoặc xem /sources."
    ),
    "question": "🔎 <i>{question}</i>",
    "page": "Kết quả {first}–{last} / {total}",
    "teaser": "Đoạn giới thiệu bài khác",
    "teaser_of": "Đoạn giới thiệu bài: {title}",
    "cut": "(đoạn văn bị cắt, xem toàn bài)",
    "more": "Thêm kết quả ▶",
    "prev": "◀ Trước",
    "article_button": "📄 Bài {n}",
    "expired": "Kết quả tìm kiếm này đã hết hạn. Hãy gửi lại câu hỏi.",
    "article_missing": "Bài báo này không còn trong bộ sưu tập.",
    "article_sent": "Đã gửi toàn bài.",
    "apology": "Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau.",
    "unavailable": "Xin lỗi, hệ thống đang tạm gián đoạn. Vui lòng thử lại sau ít phút.",
    "sources_header": "<b>Các bài trong bộ sưu tập ({count}):</b>",
    "sources_line": "{n}. <b>{title}</b> — {date} · {passages} đoạn",
    "sources_empty": "Bộ sưu tập đang trống.",
    "no_date": "không rõ ngày",
    "admin_only": "Lệnh này chỉ dành cho quản trị viên.",
    "stats": (
        "<b>Thống kê</b>\n"
        "Bài báo: {documents}\nĐoạn văn: {passages}\nMô hình: {model} ({backend}, {dim} chiều)\n"
        "Chỉ mục xây lúc: {built_at}\nThời gian chạy: {uptime}\nCâu hỏi đã trả lời: {answered}\n"
        "Độ trễ p50 / p95: {p50} / {p95}"
    ),
    "reindex_busy": "Đang cập nhật chỉ mục rồi, vui lòng chờ xong.",
    "reindex_started": "⏳ Bắt đầu cập nhật chỉ mục…",
    "reindex_progress": "⏳ Cập nhật chỉ mục: {stage} {done}/{total}",
    "stage_reading": "đọc bài",
    "stage_encoding": "mã hóa đoạn văn",
    "stage_indexing": "lập chỉ mục",
    "stage_done": "hoàn tất",
    "reindex_done": (
        "✅ Đã cập nhật chỉ mục trong {seconds:.1f} giây.\n"
        "Bài: {documents} (thêm {added}, sửa {changed}, xóa {removed})\n"
        "Đoạn: {passages} (thêm {passages_added}, xóa {passages_removed}, mã hóa {encoded})"
    ),
    "reindex_unchanged": (
        "✅ Không có thay đổi: chỉ mục hiện tại vẫn được dùng ({documents} bài, {passages} đoạn)."
    ),
    "reindex_skipped": "Bỏ qua {count} tệp:",
    "reindex_failed": "❌ Cập nhật chỉ mục thất bại, chỉ mục cũ vẫn hoạt động: {error}",
    "cmd_start": "Giới thiệu bot",
    "cmd_help": "Hướng dẫn sử dụng",
    "cmd_ask": "Đặt câu hỏi",
    "cmd_sources": "Các bài trong bộ sưu tập",
    "cmd_stats": "Thống kê (quản trị)",
    "cmd_reindex": "Cập nhật chỉ mục (quản trị)",
    "cmd_gaps": "Câu hỏi bộ sưu tập còn thiếu (quản trị)",
    "cmd_settings": "Cài đặt cho cuộc trò chuyện này",
    "inline_hint_title": "Gõ câu hỏi để tra cứu",
    "inline_hint_description": "Ví dụ: {mention} Đường biên giới Việt Nam - Lào dài bao nhiêu km?",
    "inline_none_title": "Không tìm thấy",
    "inline_none_description": "Bộ sưu tập không có thông tin về điều này.",
    "inline_limited": "Bạn tìm hơi nhanh, thử lại sau {seconds} giây",
    "vote_up_thanks": "Cảm ơn bạn! Đã ghi nhận 👍",
    "vote_down_thanks": "Cảm ơn bạn! Đã ghi nhận 👎, quản trị viên sẽ xem lại câu hỏi này.",
    "vote_changed": "Đã đổi đánh giá thành {vote}.",
    "gaps_header": "<b>Bộ sưu tập còn thiếu gì</b> ({days} ngày qua)",
    "gaps_unanswered": "<b>Câu hỏi bot chưa trả lời được:</b>",
    "gaps_downvoted": "<b>Câu trả lời bị chấm 👎:</b>",
    "gaps_line": "{count}× {question}",
    "gaps_variants": " <i>(+{variants} cách hỏi tương tự)</i>",
    "gaps_none": "Chưa có.",
    "gaps_usage": "Cách dùng: <code>/gaps [số ngày]</code> hoặc <code>/gaps csv [số ngày]</code>",
    "gaps_csv_caption": "Câu hỏi chưa trả lời được và bị chấm 👎 trong {days} ngày qua.",
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
    "settings_saved": "Đã lưu.",
    "settings_admins_only": "Chỉ quản trị viên của nhóm mới đổi được cài đặt.",
    "group_limited": "Nhóm đã hỏi nhiều trong phút qua. Vui lòng thử lại sau {seconds} giây.",
}

EN = {
    "help": (
        "<b>Tra Cứu</b> answers a question by quoting, word for word, the paragraphs of a collection of "
        "Vietnamese news articles that answer it, with their source. It never writes its own answer.\n\n"
        "<b>In a private chat:</b> just send your question.\n"
        "<b>In groups:</b> use <code>/ask question</code>, mention {mention} "
        "or reply to one of my messages.\n"
        "<b>In any chat:</b> type <code>{mention} question</code> and pick a quote.\n"
        "Tap 👍 / 👎 under an answer to tell us how it did.\n\n"
        "<b>Examples:</b>\n"
        "• Đường biên giới Việt Nam - Lào dài bao nhiêu km?\n"
        "• Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?\n"
        "• Tham khảo chính trị Việt Nam - Lào lần thứ hai diễn ra ở đâu?\n\n"
        "<b>Commands:</b>\n"
        "/ask – ask a question (in groups)\n"
        "/sources – the articles in the collection\n"
        "/settings – settings for this chat\n"
        "/help – this help"
    ),
    "help_admin": (
        "\n/stats – statistics (admins)\n/reindex – rebuild the index (admins)\n"
        "/gaps – questions the collection lacks; <code>/gaps csv</code> – as a CSV file (admins)\n\n"
        "Inline mode must be switched on once: send /setinline to @BotFather and pick this bot."
    ),
    "ask_usage": "Usage: <code>/ask your question</code>",
    "too_long": "Your question is too long ({length} characters). Please keep it under {limit}.",
    "rate_limited": "You are asking a bit fast. Please try again in {seconds} seconds.",
    "not_text": "I only understand questions written as text. Please type your question.",
    "unknown_command": "Unknown command. Send /help to see what I can do.",
    "abstained": (
        "The collection has nothing on that.\n"
        "Try a more specific question with names, places or events, or see /sources."
    ),
    "question": "🔎 <i>{question}</i>",
    "page": "Results {first}–{last} of {total}",
    "teaser": "Teaser of another article",
    "teaser_of": "Teaser of: {title}",
    "cut": "(paragraph shortened, see the full article)",
    "more": "More results ▶",
    "prev": "◀ Back",
    "article_button": "📄 Article {n}",
    "expired": "This search has expired. Please send your question again.",
    "article_missing": "This article is no longer in the collection.",
    "article_sent": "Full article sent.",
    "apology": "Sorry, something went wrong. Please try again later.",
    "unavailable": "Sorry, the service is briefly unavailable. Please try again shortly.",
    "sources_header": "<b>Articles in the collection ({count}):</b>",
    "sources_line": "{n}. <b>{title}</b> — {date} · {passages} paragraphs",
    "sources_empty": "The collection is empty.",
    "no_date": "undated",
    "admin_only": "This command is for administrators only.",
    "stats": (
        "<b>Statistics</b>\n"
        "Articles: {documents}\nParagraphs: {passages}\nEncoder: {model} ({backend}, {dim} dims)\n"
        "Index built: {built_at}\nUptime: {uptime}\nQuestions answered: {answered}\n"
        "Latency p50 / p95: {p50} / {p95}"
    ),
    "reindex_busy": "A reindex is already running, please wait for it to finish.",
    "reindex_started": "⏳ Reindex started…",
    "reindex_progress": "⏳ Reindexing: {stage} {done}/{total}",
    "stage_reading": "reading articles",
    "stage_encoding": "encoding paragraphs",
    "stage_indexing": "indexing",
    "stage_done": "done",
    "reindex_done": (
        "✅ Index rebuilt in {seconds:.1f} s.\n"
        "Articles: {documents} (added {added}, changed {changed}, removed {removed})\n"
        "Paragraphs: {passages} (added {passages_added}, removed {passages_removed}, encoded {encoded})"
    ),
    "reindex_unchanged": (
        "✅ Nothing changed: the current index stays ({documents} articles, {passages} paragraphs)."
    ),
    "reindex_skipped": "Skipped {count} files:",
    "reindex_failed": "❌ Reindex failed, the old index keeps serving: {error}",
    "cmd_start": "What this bot does",
    "cmd_help": "How to use it",
    "cmd_ask": "Ask a question",
    "cmd_sources": "Articles in the collection",
    "cmd_stats": "Statistics (admins)",
    "cmd_reindex": "Rebuild the index (admins)",
    "cmd_gaps": "Questions the collection lacks (admins)",
    "cmd_settings": "Settings for this chat",
    "inline_hint_title": "Type a question to search",
    "inline_hint_description": "For example: {mention} Đường biên giới Việt Nam - Lào dài bao nhiêu km?",
    "inline_none_title": "Nothing found",
    "inline_none_description": "The collection has nothing on that.",
    "inline_limited": "Searching a bit fast, try again in {seconds} s",
    "vote_up_thanks": "Thanks! Recorded 👍",
    "vote_down_thanks": "Thanks! Recorded 👎, the admins will look at this question.",
    "vote_changed": "Changed your vote to {vote}.",
    "gaps_header": "<b>What the collection lacks</b> (last {days} days)",
    "gaps_unanswered": "<b>Questions the bot could not answer:</b>",
    "gaps_downvoted": "<b>Answers voted 👎:</b>",
    "gaps_line": "{count}× {question}",
    "gaps_variants": " <i>(+{variants} similar)</i>",
    "gaps_none": "Nothing yet.",
    "gaps_usage": "Usage: <code>/gaps [days]</code> or <code>/gaps csv [days]</code>",
    "gaps_csv_caption": "Unanswered and 👎 questions of the last {days} days.",
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
    "settings_saved": "Saved.",
    "settings_admins_only": "Only the group's admins can change its settings.",
    "group_limited": "This group has asked a lot this minute. Please try again in {seconds} seconds.",
}

TEXTS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}


def language(user: User | None) -> str:
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "vi"


def text(lang: str, key: str, **values: object) -> str:
    return TEXTS.get(lang, VI)[key].format(**values)
