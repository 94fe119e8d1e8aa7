"""What the bot says about scans and photos, Telegram channels and follows."""

from __future__ import annotations

VI = {
    "stage_ocr": "nhận dạng chữ (OCR), trang",
    "ocr_read": "📷 Đọc bằng nhận dạng chữ (OCR): {pages} trang, độ tin cậy trung bình {confidence:.0f}%",
    "ocr_doubtful": "⚠️ Trang đọc kém, nên kiểm tra hoặc quét lại rõ hơn: {pages}",
    "ocr_quote": "🔍 Văn bản nhận dạng từ ảnh quét (OCR), có thể sai vài chữ",
    "photo_name": "ảnh",
    "reason_ocr_missing": "máy chủ chưa cài Tesseract nên không đọc được chữ trong ảnh",
    "reason_image_huge": "ảnh quá lớn ({width}×{height} điểm ảnh)",
    "reason_image_corrupt": "không đọc được tệp ảnh (hỏng hoặc không phải JPEG/PNG/WebP)",
    "reason_ocr_pages": "bản quét có {count} trang không có lớp chữ, quá giới hạn {limit} trang; hãy chia nhỏ tệp",
    "reason_ocr_failed": "không nhận dạng được chữ ({reason})",
    "reason_ocr_nothing": "không nhận ra chữ nào trong ảnh; hãy gửi ảnh chụp hoặc bản quét văn bản rõ nét, đủ sáng",
    "reason_ocr_blurred": "ảnh quét quá mờ, không đọc chắc chắn được (độ tin cậy {confidence}); hãy quét lại rõ hơn",
    "ocr_unread": "⚠️ Bỏ qua các trang không đọc được (quá mờ hoặc quá thời gian): {pages}",
    "cmd_channels": "Kênh Telegram làm nguồn (quản trị)",
    "channels_usage": (
        "Cách dùng: <code>/channels add @tenkenh</code> – lấy bài đăng của kênh vào bộ sưu tập (bot phải là quản "
        "trị viên của kênh); <code>/channels remove @tenkenh</code> (hoặc số thứ tự) – thôi lấy và xóa các bài "
        "của kênh; <code>/channels</code> – danh sách. Chuyển tiếp một bài từ bất kỳ kênh nào cho bot để thêm bài đó."
    ),
    "channels_empty": "Chưa lấy bài từ kênh nào. Thêm bằng <code>/channels add @tenkenh</code>.",
    "channels_header": "<b>Đang lấy bài từ {count} kênh:</b>",
    "channels_line": "{n}. {name} — {title} · {posts} bài",
    "channel_not_admin_now": "   ⚠️ Bot không còn là quản trị viên của {name}: bài mới của kênh không được lấy. "
                             "Hãy thêm lại bot làm quản trị viên, hoặc /channels remove {name}.",
    "channel_bad_name": "«{name}» không phải tên kênh Telegram. Ví dụ: <code>/channels add @tenkenh</code>",
    "channel_not_found": "Không tìm thấy kênh @{name}. Hãy kiểm tra tên kênh (kênh phải công khai).",
    "channel_not_channel": "@{name} không phải một kênh (channel). Bot chỉ lấy bài từ kênh.",
    "channel_not_admin": (
        "❌ Bot chưa là quản trị viên của @{name}, nên Telegram không gửi bài đăng của kênh cho bot. Hãy thêm bot "
        "làm quản trị viên (không cần quyền nào khác) rồi gửi lại lệnh."
    ),
    "channel_exists": "Đã lấy bài từ @{name} rồi.",
    "channel_added": (
        "✅ Đã lấy bài từ @{name} ({title}): mỗi bài đăng mới (và mỗi lần sửa) trở thành một bài trong bộ sưu tập. "
        "Bài đăng trước đây: chuyển tiếp chúng cho bot để thêm."
    ),
    "channel_unknown": "Không có kênh «{name}» trong danh sách. Xem <code>/channels</code>.",
    "channel_removed": "🗑 Đã thôi lấy bài từ {title} và xóa {posts} bài của kênh. Bộ sưu tập còn {documents} bài.",
    "channel_remove_failed": "❌ Không xóa được các bài của {title}: {reason}",
    "forward_no_text": "❌ Bài chuyển tiếp từ {channel} không có chữ nên không thêm được. Bộ sưu tập không thay đổi.",
    "forward_refused": "❌ Không thêm được bài {url}: {reason}. Bộ sưu tập không thay đổi.",
    "cmd_follow": "Báo cho tôi khi có thông tin mới về một chủ đề",
    "cmd_following": "Các chủ đề tôi đang theo dõi",
    "cmd_unfollow": "Thôi theo dõi một chủ đề",
    "follow_button": "🔔 Theo dõi",
    "follow_usage": (
        "Cách dùng: <code>/follow câu hỏi hoặc vài từ</code>, ví dụ <code>/follow giá vàng hôm nay</code>. Khi "
        "bộ sưu tập có đoạn văn mới trả lời điều đó, bot nhắn cho bạn."
    ),
    "follow_private_only": "Hãy dùng /follow trong chat riêng với bot: tin mới được gửi riêng cho bạn.",
    "follows_private_only": (
        "Các chủ đề bạn theo dõi nằm trong chat riêng với bot: hãy gửi /following hoặc /unfollow ở đó."
    ),
    "follow_too_short": "❌ Cần ít nhất {minimum} chữ cái hoặc chữ số để theo dõi. Hãy viết cụ thể hơn.",
    "follow_too_long": "❌ Nội dung theo dõi dài {length} ký tự, quá giới hạn {limit}. Hãy viết ngắn gọn hơn.",
    "follow_limit": "❌ Bạn đã theo dõi {limit} chủ đề, tối đa cho phép. Bỏ bớt bằng /unfollow.",
    "follow_added": (
        "🔔 Đã theo dõi «{words}». Khi có đoạn văn mới trả lời điều này, bot sẽ nhắn bạn (tối đa {daily} tin "
        "mỗi ngày). Xem /following, bỏ bằng /unfollow. Bot chỉ lưu nội dung này, thời điểm và ngôn ngữ để nhắn "
        "bạn, trong một năm."
    ),
    "follow_added_alert": (
        "🔔 Đã theo dõi «{words}». Có đoạn mới trả lời, bot nhắn riêng bạn. Chỉ lưu câu này, thời điểm, ngôn ngữ "
        "trong một năm; bỏ bằng /unfollow."
    ),
    "follow_already": "🔔 Bạn đã theo dõi «{words}» rồi. Xem /following, bỏ bằng /unfollow.",
    "following_empty": "Bạn chưa theo dõi chủ đề nào. Dùng <code>/follow câu hỏi</code> hoặc nút 🔔 dưới câu trả lời.",
    "following_header": "<b>Bạn đang theo dõi {count} chủ đề:</b>",
    "following_line": "{n}. {words}",
    "unfollow_usage": (
        "Cách dùng: <code>/unfollow số</code> (số thứ tự trong /following) hoặc <code>/unfollow all</code>."
    ),
    "unfollowed": "Đã thôi theo dõi: {words}",
    "unfollowed_all": "Đã thôi theo dõi cả {count} chủ đề.",
    "follow_news": "🔔 Có thông tin mới về «{words}»:",
    "follow_full_answer": "📖 Câu trả lời đầy đủ",
}

EN = {
    "stage_ocr": "reading text in the scan (OCR), page",
    "ocr_read": "📷 Read by text recognition (OCR): {pages} pages, mean confidence {confidence:.0f}%",
    "ocr_doubtful": "⚠️ Pages read poorly, worth checking or scanning again more sharply: {pages}",
    "ocr_quote": "🔍 Text recognised in a scan (OCR): a few words may be misread",
    "photo_name": "photo",
    "reason_ocr_missing": "Tesseract is not installed on the server, so text in images cannot be read",
    "reason_image_huge": "the image is too large ({width}×{height} pixels)",
    "reason_image_corrupt": "not a readable image (damaged, or not JPEG/PNG/WebP)",
    "reason_ocr_pages": "the scan has {count} pages without text, more than the limit of {limit}: split the file",
    "reason_ocr_failed": "the text could not be recognised ({reason})",
    "reason_ocr_nothing": "no text found in the image: send a sharp, well-lit photo or scan of a document",
    "reason_ocr_blurred": "the scan is too blurred to read reliably (confidence {confidence}): scan it again sharper",
    "ocr_unread": "⚠️ Pages left out, they could not be read (too blurred, or out of time): {pages}",
    "cmd_channels": "Telegram channels as sources (admins)",
    "channels_usage": (
        "Usage: <code>/channels add @channel</code> – take the channel's posts into the collection (the bot must be "
        "an administrator of the channel); <code>/channels remove @channel</code> (or its number) – stop and remove "
        "its posts; <code>/channels</code> – the list. Forward a post from any channel to add that post."
    ),
    "channels_empty": "No channel is followed yet. Add one with <code>/channels add @channel</code>.",
    "channels_header": "<b>Posts are taken from {count} channels:</b>",
    "channels_line": "{n}. {name} — {title} · {posts} posts",
    "channel_not_admin_now": "   ⚠️ The bot is no longer an administrator of {name}: its new posts are not taken. "
                             "Make the bot an administrator again, or /channels remove {name}.",
    "channel_bad_name": "«{name}» is not a Telegram channel name. Example: <code>/channels add @channel</code>",
    "channel_not_found": "Channel @{name} was not found. Check the name (the channel must be public).",
    "channel_not_channel": "@{name} is not a channel. The bot takes posts from channels only.",
    "channel_not_admin": (
        "❌ The bot is not an administrator of @{name}, so Telegram does not send it the channel's posts. Make the "
        "bot an administrator (it needs no other rights) and send the command again."
    ),
    "channel_exists": "Posts from @{name} are taken already.",
    "channel_added": (
        "✅ Taking posts from @{name} ({title}): each new post (and each edit) becomes an article of the collection. "
        "Earlier posts: forward them to the bot to add them."
    ),
    "channel_unknown": "No channel «{name}» in the list. See <code>/channels</code>.",
    "channel_removed": "🗑 Stopped taking posts from {title}, removed its {posts} posts. {documents} articles left.",
    "channel_remove_failed": "❌ Could not remove the posts of {title}: {reason}",
    "forward_no_text": "❌ The post forwarded from {channel} has no text, so it was not added. Nothing changed.",
    "forward_refused": "❌ Could not add the post {url}: {reason}. Nothing changed.",
    "cmd_follow": "Tell me when something new appears on a subject",
    "cmd_following": "The subjects I follow",
    "cmd_unfollow": "Stop following a subject",
    "follow_button": "🔔 Follow",
    "follow_usage": (
        "Usage: <code>/follow a question or some words</code>, e.g. <code>/follow gold price today</code>. When new "
        "paragraphs of the collection answer it, the bot messages you."
    ),
    "follow_private_only": "Use /follow in a private chat with the bot: the news is sent to you alone.",
    "follows_private_only": "What you follow is in your private chat with the bot: send /following or /unfollow there.",
    "follow_too_short": "❌ At least {minimum} letters or digits are needed to follow something. Be more specific.",
    "follow_too_long": "❌ What to follow is {length} characters long, over the limit of {limit}. Make it shorter.",
    "follow_limit": "❌ You follow {limit} subjects, the most allowed. Remove one with /unfollow.",
    "follow_added": (
        "🔔 Following «{words}». When new paragraphs answer it, the bot messages you (at most {daily} a day). "
        "See /following, stop with /unfollow. Only these words, the time and your language are kept, for a year."
    ),
    "follow_added_alert": (
        "🔔 Following «{words}»: new paragraphs that answer it are messaged to you. Kept: these words, the time, "
        "your language, for a year; stop with /unfollow."
    ),
    "follow_already": "🔔 You already follow «{words}». See /following, stop with /unfollow.",
    "following_empty": "You follow nothing yet. Use <code>/follow a question</code> or 🔔 under an answer.",
    "following_header": "<b>You follow {count} subjects:</b>",
    "following_line": "{n}. {words}",
    "unfollow_usage": "Usage: <code>/unfollow N</code> (its number in /following) or <code>/unfollow all</code>.",
    "unfollowed": "No longer following: {words}",
    "unfollowed_all": "No longer following any of your {count} subjects.",
    "follow_news": "🔔 Something new on «{words}»:",
    "follow_full_answer": "📖 Full answer",
}
