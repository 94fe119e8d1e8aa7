"""What a reader sees asking a question and reading the answer: help, answers, articles, the list of sources,
inline results and votes."""

from __future__ import annotations

VI = {
    "help": (
        "<b>Tra Cứu</b> trả lời câu hỏi bằng cách trích nguyên văn những đoạn trong bộ sưu tập bài báo "
        "có câu trả lời, kèm nguồn. Bot không tự viết câu trả lời.\n\n"
        "<b>Trong chat riêng:</b> chỉ cần gửi câu hỏi. Hỏi tiếp như «Còn Campuchia thì sao?» để hỏi lại câu "
        "trước cho một tên khác.\n"
        "<b>Trong nhóm:</b> dùng <code>/ask câu hỏi</code>{or_mention} hoặc trả lời tin nhắn của bot.\n"
        "<b>Trong bất kỳ cuộc trò chuyện nào:</b> gõ <code>{mention} câu hỏi</code> rồi chọn một trích dẫn.\n"
        "Bấm 👍 / 👎 dưới câu trả lời để góp ý.\n\n"
        "<b>Ví dụ:</b>\n"
        "{examples}\n\n"
        "<b>Lệnh:</b>\n"
        "/ask – hỏi (trong nhóm)\n"
        "/sources – các bài báo trong bộ sưu tập\n"
        "/settings – cài đặt cho cuộc trò chuyện này\n"
        "/follow – báo cho bạn khi có thông tin mới về một chủ đề (hoặc bấm 🔔 dưới câu trả lời)\n"
        "/following – các chủ đề bạn đang theo dõi; /unfollow – bỏ theo dõi\n"
        "/help – hướng dẫn này"
    ),
    "ask_usage": "Cách dùng: <code>/ask câu hỏi của bạn</code>",
    "too_long": "Câu hỏi quá dài ({length} ký tự). Hãy hỏi ngắn gọn, dưới {limit} ký tự.",
    "rate_limited": "Bạn hỏi hơi nhanh. Vui lòng thử lại sau {seconds} giây.",
    "not_text": "Bot chỉ hiểu câu hỏi bằng chữ. Hãy gõ câu hỏi của bạn.",
    "no_words": "Tin nhắn này không có chữ nào để tra cứu. Hãy gõ câu hỏi bằng lời.",
    "unknown_command": "Không có lệnh này. Gõ /help để xem hướng dẫn.",
    "abstained": (
        "Không tìm thấy đoạn nào trong bộ sưu tập trả lời câu hỏi này.\n"
        "Hãy thử hỏi cụ thể hơn, dùng tên người, địa danh hoặc sự kiện, hoặc xem /sources."
    ),
    # a question in English gets the English one (bot.render.format_abstention); this one a question in another
    # language that does not read as English: Telex typed without its conversion, French
    "abstained_foreign": (
        "Bộ sưu tập gồm các bài tiếng Việt, và không có đoạn nào trả lời rõ câu hỏi này.\n"
        "Hãy hỏi bằng tiếng Việt có dấu hoặc không dấu (tên người, địa danh, sự kiện), hoặc xem /sources."
    ),
    "question": "🔎 <i>{question}</i>",
    "page": "Kết quả {first}–{last} / {total}",
    "page_one": "Kết quả {first} / {total}",
    "weaker_waiting": "<i>{count} đoạn sau liên quan ít hơn, có thể không trả lời câu hỏi (Thêm kết quả ▶).</i>",
    "weaker": "<i>··· các đoạn dưới đây liên quan ít hơn, có thể không trả lời câu hỏi ···</i>",
    "weaker_waiting_one": "<i>1 đoạn sau liên quan ít hơn, có thể không trả lời câu hỏi (Thêm kết quả ▶).</i>",
    "weaker_one": "<i>··· đoạn dưới đây liên quan ít hơn, có thể không trả lời câu hỏi ···</i>",
    "teaser": "Đoạn giới thiệu bài khác",
    "teaser_of": "Đoạn giới thiệu bài: {title}",
    "cut": "(đoạn văn bị cắt, xem toàn bài)",
    "more": "Thêm kết quả ▶",
    "prev": "◀ Trước",
    "article_button": "📄 Bài {n}",
    "expired": "Kết quả tìm kiếm này đã hết hạn. Hãy gửi lại câu hỏi.",
    "article_missing": "Bài báo này không còn trong bộ sưu tập.",
    "article_sent_before": "Bài này đã được gửi ngay dưới câu trả lời.",
    "article_sent": "Đã gửi toàn bài.",
    "article_file": "<b>{title}</b>\nBài dài nên được gửi dưới dạng tệp văn bản.",
    "buttons_rate_limited": "Bạn bấm nút hơi nhanh. Vui lòng thử lại sau {seconds} giây.",
    "apology": "Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau.",
    "unavailable": "Xin lỗi, hệ thống đang tạm gián đoạn. Vui lòng thử lại sau ít phút.",
    "sources_header": "<b>Các bài trong bộ sưu tập ({count}):</b>",
    "sources_line": "{n}. <b>{title}</b> — {date} · {passages} đoạn",
    "sources_empty": "Bộ sưu tập đang trống.",
    "no_date": "không rõ ngày",
    "source_link": "nguồn",
    "cmd_start": "Giới thiệu bot",
    "cmd_help": "Hướng dẫn sử dụng",
    "cmd_ask": "Đặt câu hỏi",
    "cmd_sources": "Các bài trong bộ sưu tập",
    "sources_page": "Trang {page}/{pages}",
    "next_page": "Trang sau ▶",
    "passage_removed": "<i>(Đoạn này không còn trong bộ sưu tập.)</i>",
    "cmd_settings": "Cài đặt cho cuộc trò chuyện này",
    "inline_hint_title": "Gõ câu hỏi để tra cứu",
    "inline_hint_description": "Ví dụ: {mention} {example}",
    "inline_none_title": "Không tìm thấy",
    "inline_none_description": "Không tìm thấy đoạn nào trả lời câu hỏi này.",
    "inline_limited": "Bạn tìm hơi nhanh, thử lại sau {seconds} giây",
    "vote_up_thanks": "Cảm ơn bạn! Đã ghi nhận 👍",
    "vote_down_thanks": "Cảm ơn bạn! Đã ghi nhận 👎, quản trị viên sẽ xem lại câu hỏi này.",
    "vote_changed": "Đã đổi đánh giá thành {vote}.",
    "vote_same": "Bạn đã chấm {vote} cho câu trả lời này rồi.",
    "group_limited": "Nhóm đã hỏi nhiều trong phút qua. Vui lòng thử lại sau {seconds} giây.",
    "start": (
        "<b>Xin chào!</b> Tra Cứu trả lời câu hỏi bằng cách trích nguyên văn những đoạn báo có câu trả lời, "
        "kèm nguồn.\n\n{how}\n"
        "{examples}\n\n"
        "/help – hướng dẫn đầy đủ"
    ),
    "start_private": "Hãy gửi câu hỏi, ví dụ:",
    "start_group": "Trong nhóm, hãy dùng <code>/ask câu hỏi</code> hoặc nhắc tên {mention}, ví dụ:",
    "help_or_mention": ", nhắc tên {mention}",
    "start_group_no_mentions": "Trong nhóm, hãy dùng <code>/ask câu hỏi</code> hoặc trả lời tin nhắn của bot, ví dụ:",
}

EN = {
    "help": (
        "<b>Tra Cứu</b> answers a question by quoting, word for word, the paragraphs of a collection of "
        "Vietnamese news articles that answer it, with their source. It never writes its own answer.\n\n"
        "The articles are in Vietnamese. Questions in English are answered only when the Vietnamese "
        "paragraphs clearly match them; ask in Vietnamese for the best results.\n\n"
        "<b>In a private chat:</b> just send your question. Follow up with «Còn Campuchia thì sao?» (\"what about "
        "Cambodia?\") to ask your previous question again about another name.\n"
        "<b>In groups:</b> use <code>/ask question</code>{or_mention} or reply to one of my messages.\n"
        "<b>In any chat:</b> type <code>{mention} question</code> and pick a quote.\n"
        "Tap 👍 / 👎 under an answer to tell us how it did.\n\n"
        "<b>Examples:</b>\n"
        "{examples}\n\n"
        "<b>Commands:</b>\n"
        "/ask – ask a question (in groups)\n"
        "/sources – the articles in the collection\n"
        "/settings – settings for this chat\n"
        "/follow – be told when something new appears on a subject (or tap 🔔 under an answer)\n"
        "/following – what you follow; /unfollow – stop following\n"
        "/help – this help"
    ),
    "ask_usage": "Usage: <code>/ask your question</code>",
    "too_long": "Your question is too long ({length} characters). Please keep it under {limit}.",
    "rate_limited": "You are asking a bit fast. Please try again in {seconds} seconds.",
    "not_text": "I only understand questions written as text. Please type your question.",
    "no_words": "There are no words in that message to look up. Please type your question in words.",
    "unknown_command": "Unknown command. Send /help to see what I can do.",
    "abstained": (
        "Nothing in the collection answers that question.\n"
        "Try a more specific question with names, places or events, or see /sources."
    ),
    "abstained_foreign": (
        "The collection is in Vietnamese, and nothing in it clearly answers this question.\n"
        "Please ask in Vietnamese (names, places or events help), e.g. "
        "<i>{example}</i>, or see /sources."
    ),
    "question": "🔎 <i>{question}</i>",
    "page": "Results {first}–{last} of {total}",
    "page_one": "Result {first} of {total}",
    "weaker_waiting": "<i>{count} more are less related and may not answer the question (More results ▶).</i>",
    "weaker": "<i>··· the paragraphs below are less related and may not answer the question ···</i>",
    "weaker_waiting_one": "<i>1 more is less related and may not answer the question (More results ▶).</i>",
    "weaker_one": "<i>··· the paragraph below is less related and may not answer the question ···</i>",
    "teaser": "Teaser of another article",
    "teaser_of": "Teaser of: {title}",
    "cut": "(paragraph shortened, see the full article)",
    "more": "More results ▶",
    "prev": "◀ Back",
    "article_button": "📄 Article {n}",
    "expired": "This search has expired. Please send your question again.",
    "article_missing": "This article is no longer in the collection.",
    "article_sent_before": "This article was sent under the answer already.",
    "article_sent": "Full article sent.",
    "article_file": "<b>{title}</b>\nThe article is long, so it comes as a text file.",
    "buttons_rate_limited": "You are pressing buttons a bit fast. Please try again in {seconds} seconds.",
    "apology": "Sorry, something went wrong. Please try again later.",
    "unavailable": "Sorry, the service is briefly unavailable. Please try again shortly.",
    "sources_header": "<b>Articles in the collection ({count}):</b>",
    "sources_line": "{n}. <b>{title}</b> — {date} · {passages} paragraphs",
    "sources_empty": "The collection is empty.",
    "no_date": "undated",
    "source_link": "source",
    "cmd_start": "What this bot does",
    "cmd_help": "How to use it",
    "cmd_ask": "Ask a question",
    "cmd_sources": "Articles in the collection",
    "sources_page": "Page {page}/{pages}",
    "next_page": "Next ▶",
    "passage_removed": "<i>(This passage is no longer in the collection.)</i>",
    "cmd_settings": "Settings for this chat",
    "inline_hint_title": "Type a question to search",
    "inline_hint_description": "For example: {mention} {example}",
    "inline_none_title": "Nothing found",
    "inline_none_description": "Nothing in the collection answers that question.",
    "inline_limited": "You are searching a bit fast; try again in {seconds} s",
    "vote_up_thanks": "Thanks! Recorded 👍",
    "vote_down_thanks": "Thanks! Recorded 👎, the admins will look at this question.",
    "vote_changed": "Changed your vote to {vote}.",
    "vote_same": "You already voted {vote} on this answer.",
    "group_limited": "This group has asked a lot this minute. Please try again in {seconds} seconds.",
    "start": (
        "<b>Hello!</b> Tra Cứu answers a question by quoting, word for word, the news paragraphs that answer "
        "it, with their source.\n\n{how}\n"
        "{examples}\n\n"
        "/help – the full guide"
    ),
    "start_private": "Send a question, for example:",
    "start_group": "In a group, use <code>/ask question</code> or mention {mention}, for example:",
    "help_or_mention": ", mention {mention}",
    "start_group_no_mentions": (
        "In a group, use <code>/ask question</code> or reply to the bot's messages, for example:"
    ),
}
