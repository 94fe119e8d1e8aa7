"""What the bot says to small talk and about where a command works."""

from __future__ import annotations

VI = {
    "admin_private_only": (
        "Lệnh này chỉ dùng trong chat riêng với bot: hãy mở chat với {mention} và gửi lệnh ở đó."
    ),
    "follow_start_first": (
        "🔔 Bot chưa nhắn riêng cho bạn được: hãy mở chat riêng với {mention}, bấm Bắt đầu (Start) rồi bấm 🔔 lần nữa."
    ),
    "follow_theirs": (
        "🔔 Câu này là lời của người khác nên bot không lưu để theo dõi. Hãy gửi /follow kèm những từ bạn muốn "
        "theo dõi."
    ),
    "check_no_words": "Tin nhắn ấy không có chữ nào để tra. Hãy gõ điều cần kiểm tra bằng lời.",
    "check_link": (
        "Bot không mở đường liên kết để kiểm tra. Hãy dán nguyên văn điều cần kiểm tra (hoặc tiêu đề bài) vào "
        "tin nhắn."
    ),
    "check_no_claim": (
        "Tin nhắn ấy chỉ là lời chào, lời cảm ơn hay một cái gật đầu, không nêu điều gì để tra. Hãy trả lời tin "
        "nhắn có điều cần kiểm tra."
    ),
    "check_what": "Để kiểm tra một tin nhắn, hãy trả lời (reply) tin nhắn ấy kèm «đúng không?».",
    "check_unseen": (
        "Bot không xem được tin nhắn ở cuộc trò chuyện khác. Hãy chọn trích đoạn cần kiểm tra khi trả lời, hoặc "
        "dán nó vào đây."
    ),
    "check_nothing": (
        "Câu trả lời ấy không trích đoạn nào: bộ sưu tập không có đoạn trả lời câu hỏi đó. Bot chỉ trích nguyên "
        "văn, không tự viết câu trả lời."
    ),
    "check_ours": (
        "Các đoạn ấy được trích nguyên văn từ bài báo ghi kèm mỗi đoạn; bot không tự viết câu trả lời nào. "
        "Muốn kiểm chứng, hãy mở bài gốc (📄 hoặc đường dẫn nguồn) và đọc đoạn đó trong cả bài."
    ),
    "group_welcome": (
        "Chào cả nhóm! Mình là Tra Cứu: mình trả lời bằng cách trích nguyên văn những đoạn bài viết có câu trả "
        "lời, kèm nguồn. Hỏi bằng <code>/ask câu hỏi</code>, nhắc tên {mention} hoặc trả lời tin nhắn của mình. "
        "/help để xem hướng dẫn, /settings để chỉnh cho nhóm (quản trị viên nhóm)."
    ),
    "group_welcome_no_mentions": (
        "Chào cả nhóm! Mình là Tra Cứu: mình trả lời bằng cách trích nguyên văn những đoạn bài viết có câu trả "
        "lời, kèm nguồn. Hỏi bằng <code>/ask câu hỏi</code> hoặc trả lời tin nhắn của mình. "
        "/help để xem hướng dẫn, /settings để chỉnh cho nhóm (quản trị viên nhóm)."
    ),
    "smalltalk_thanks": "Không có gì! Cứ hỏi tiếp nhé.",
    "smalltalk_ack": "👍 Cần tra gì cứ hỏi tiếp nhé.",
    "smalltalk_hello": (
        "Chào bạn! Mình là Tra Cứu: hỏi một câu, mình trích nguyên văn những đoạn báo trả lời kèm nguồn. "
        "Gõ /help để xem hướng dẫn."
    ),
}

EN = {
    "admin_private_only": (
        "This command works only in a private chat with the bot: open a chat with {mention} and send it there."
    ),
    "follow_start_first": (
        "🔔 The bot cannot message you yet: open a private chat with {mention}, press Start, then press 🔔 again."
    ),
    "follow_theirs": (
        "🔔 These are someone else's words, so the bot does not keep them to follow. Send /follow with the words "
        "you want to follow."
    ),
    "check_no_words": "That message has no words to look up. Type what you want checked.",
    "check_link": "The bot does not open links to check them. Paste the words to check (or the article's title).",
    "check_no_claim": (
        "That message is only a greeting, a thanks or a nod: it states nothing to look up. Reply to the message "
        "with the claim to check."
    ),
    "check_what": "To check a message, reply to it with «is this true?».",
    "check_unseen": (
        "The bot cannot see a message in another chat. Quote the part to check when you reply, or paste it here."
    ),
    "check_nothing": (
        "That reply quoted nothing: no paragraph of the collection answers that question. The bot only quotes, "
        "word for word; it writes no answer of its own."
    ),
    "check_ours": (
        "Those paragraphs are quoted word for word from the article named with each; the bot writes no answer "
        "of its own. To check, open the original (📄 or the source link) and read the paragraph in the whole article."
    ),
    "group_welcome": (
        "Hello, everyone! I'm Tra Cứu: I answer by quoting, word for word, the paragraphs that answer a question, "
        "with their sources. Ask with <code>/ask your question</code>, mention {mention}, or reply to my messages. "
        "/help for how, /settings for this group (its admins)."
    ),
    "group_welcome_no_mentions": (
        "Hello, everyone! I'm Tra Cứu: I answer by quoting, word for word, the paragraphs that answer a question, "
        "with their sources. Ask with <code>/ask your question</code> or reply to my messages. "
        "/help for how, /settings for this group (its admins)."
    ),
    "smalltalk_thanks": "You're welcome! Ask away.",
    "smalltalk_ack": "👍 Ask away whenever you need something looked up.",
    "smalltalk_hello": (
        "Hi! I'm Tra Cứu: ask a question and I quote the news paragraphs that answer it, with their sources. "
        "Send /help to see how."
    ),
}
