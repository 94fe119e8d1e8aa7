"""What the admins see running the bot: their help, statistics, reindexing and the collection's gaps."""

from __future__ import annotations

VI = {
    "help_admin": (
        "\n/stats – thống kê (quản trị)\n/reindex – cập nhật chỉ mục (quản trị)\n"
        "/gaps – câu hỏi bộ sưu tập còn thiếu; <code>/gaps csv</code> – xuất tệp CSV (quản trị)\n\n"
        "Chế độ inline cần được bật một lần: gửi /setinline cho @BotFather và chọn bot này.\n\n"
        "<b>Quản lý bộ sưu tập (quản trị, chat riêng):</b>\n"
        "• Gửi tệp PDF (cả bản quét), DOCX, HTML, MD, TXT, JSONL, ảnh hoặc ZIP để thêm vào bộ sưu tập. "
        "Chú thích có thể ghi đè: <code>title: … | date: … | source: …</code>\n"
        "• Gửi đường liên kết, hoặc <code>/add URL</code>, để thêm một bài báo trên mạng\n"
        "• <code>/feeds add URL</code> – theo dõi nguồn tin RSS/Atom; <code>/feeds</code> – danh sách\n"
        "• <code>/channels add @kenh</code> – lấy bài đăng của một kênh Telegram (bot là quản trị viên kênh); "
        "chuyển tiếp bài của kênh bất kỳ để thêm bài đó\n"
        "• <code>/remove từ trong tiêu đề</code> – xóa một bài"
    ),
    "admin_only": "Lệnh này chỉ dành cho quản trị viên.",
    "stats": (
        "<b>Thống kê</b>\n"
        "Bài báo: {documents}\nĐoạn văn: {passages}\nMô hình: {model} ({backend}, {dim} chiều)\n"
        "Chỉ mục xây lúc: {built_at}\nThời gian chạy: {uptime}\n"
        "Câu hỏi: {questions} (trả lời bằng trích dẫn {answered}, không tìm thấy đoạn trả lời {declined})\n"
        "Độ trễ p50 / p95: {p50} / {p95}"
    ),
    "reindex_busy": "Đang cập nhật chỉ mục rồi, vui lòng chờ xong.",
    "reindex_started": "⏳ Bắt đầu cập nhật chỉ mục…",
    "reindex_progress": "⏳ Cập nhật chỉ mục: {stage} {done}/{total}",
    "progress_left": " · còn khoảng {minutes} phút",
    "stage_reading": "đọc tệp",
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
    "index_stale": (
        "⚠️ Không cập nhật được chỉ mục khi khởi động, bot đang trả lời bằng chỉ mục cũ "
        "(có thể thiếu bài mới): {error}"
    ),
    "cmd_stats": "Thống kê (quản trị)",
    "cmd_reindex": "Cập nhật chỉ mục (quản trị)",
    "cmd_add": "Thêm bài báo từ đường liên kết (quản trị)",
    "cmd_remove": "Xóa một bài (quản trị)",
    "cmd_feeds": "Nguồn tin RSS/Atom (quản trị)",
    "cmd_gaps": "Câu hỏi bộ sưu tập còn thiếu (quản trị)",
    "gaps_header": "<b>Bộ sưu tập còn thiếu gì</b> ({days} ngày qua)",
    "gaps_unanswered": "<b>Câu hỏi bot chưa trả lời được:</b>",
    "gaps_downvoted": "<b>Câu trả lời bị chấm 👎:</b>",
    "gaps_line": "{count}× {question}",
    "gaps_variants": " <i>(+{variants} cách hỏi tương tự)</i>",
    "gaps_none": "Chưa có.",
    "gaps_usage": "Cách dùng: <code>/gaps [số ngày]</code> hoặc <code>/gaps csv [số ngày]</code>",
    "gaps_csv_caption": "Câu hỏi chưa trả lời được và bị chấm 👎 trong {days} ngày qua.",
    "help_admin_private": "\nQuản trị viên: gửi /help trong chat riêng với bot để xem các lệnh quản trị.",
}

EN = {
    "help_admin": (
        "\n/stats – statistics (admins)\n/reindex – rebuild the index (admins)\n"
        "/gaps – questions the collection lacks; <code>/gaps csv</code> – as a CSV file (admins)\n\n"
        "Inline mode must be switched on once: send /setinline to @BotFather and pick this bot.\n\n"
        "<b>Managing the collection (admins, private chat):</b>\n"
        "• Send a PDF (scans too), DOCX, HTML, MD, TXT, JSONL, photo or ZIP file to add it. A caption can override: "
        "<code>title: … | date: … | source: …</code>\n"
        "• Send a link, or <code>/add URL</code>, to add an article from the web\n"
        "• <code>/feeds add URL</code> – follow an RSS/Atom feed; <code>/feeds</code> – the list\n"
        "• <code>/channels add @channel</code> – take a Telegram channel's posts (the bot administers the "
        "channel); forward any channel's post to add that post\n"
        "• <code>/remove words of the title</code> – remove an article"
    ),
    "admin_only": "This command is for administrators only.",
    "stats": (
        "<b>Statistics</b>\n"
        "Articles: {documents}\nParagraphs: {passages}\nEncoder: {model} ({backend}, {dim} dims)\n"
        "Index built: {built_at}\nUptime: {uptime}\n"
        "Questions: {questions} ({answered} answered with quotes, {declined} with no paragraph that answers)\n"
        "Latency p50 / p95: {p50} / {p95}"
    ),
    "reindex_busy": "A reindex is already running, please wait for it to finish.",
    "reindex_started": "⏳ Reindex started…",
    "reindex_progress": "⏳ Reindexing: {stage} {done}/{total}",
    "progress_left": " · about {minutes} min left",
    "stage_reading": "reading files",
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
    "index_stale": (
        "⚠️ The index could not be updated at start-up; the bot answers from the previous one "
        "(new articles may be missing): {error}"
    ),
    "cmd_stats": "Statistics (admins)",
    "cmd_reindex": "Rebuild the index (admins)",
    "cmd_add": "Add an article from a link (admins)",
    "cmd_remove": "Remove an article (admins)",
    "cmd_feeds": "RSS/Atom feeds (admins)",
    "cmd_gaps": "Questions the collection lacks (admins)",
    "gaps_header": "<b>What the collection lacks</b> (last {days} days)",
    "gaps_unanswered": "<b>Questions the bot could not answer:</b>",
    "gaps_downvoted": "<b>Answers voted 👎:</b>",
    "gaps_line": "{count}× {question}",
    "gaps_variants": " <i>(+{variants} similar)</i>",
    "gaps_none": "Nothing yet.",
    "gaps_usage": "Usage: <code>/gaps [days]</code> or <code>/gaps csv [days]</code>",
    "gaps_csv_caption": "Unanswered and 👎 questions of the last {days} days.",
    "help_admin_private": "\nAdmins: send /help in a private chat with the bot to see the admin commands.",
}
