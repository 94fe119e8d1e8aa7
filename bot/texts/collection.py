"""What the admins see adding to the collection and taking out of it: uploads, links, feeds, removal and undo."""

from __future__ import annotations

VI = {
    "upload_caption_asks": (
        "ℹ️ Chú thích của tệp là một câu hỏi nên bot đã trả lời nó và chưa thêm tệp vào bộ sưu tập. "
        "Để thêm, hãy gửi lại tệp không kèm câu hỏi (hoặc với chú thích <code>title: …</code>)."
    ),
    "collection_admin_only": (
        "Chỉ quản trị viên mới thêm được tài liệu hoặc đường liên kết vào bộ sưu tập; bot chưa lưu gì. "
        "Nếu bạn muốn hỏi, hãy gõ câu hỏi bằng chữ."
    ),
    "upload_too_big": (
        "❌ {name}: tệp nặng {size} MB, quá giới hạn 20 MB mà Telegram cho bot tải về. "
        "Hãy chia nhỏ tệp rồi gửi lại."
    ),
    "upload_unsupported": (
        "❌ {name}: bot chưa đọc được loại tệp này. Hãy gửi PDF, DOCX, HTML, MD, TXT, JSONL, ảnh JPEG/PNG "
        "hoặc ZIP chứa các tệp đó."
    ),
    "unsupported_word": " Với tệp Word cũ hoặc LibreOffice, hãy mở rồi lưu lại dạng .docx (hoặc xuất PDF) và gửi lại.",
    "unsupported_sheet": " Với bảng tính hoặc bản trình chiếu, hãy xuất ra PDF rồi gửi lại.",
    "unsupported_image": " Với ảnh HEIC, hãy gửi dạng ảnh (không phải tệp) hoặc lưu lại dạng JPEG.",
    "caption_date_unread": (
        "⚠️ {name}: không hiểu ngày «{date}» trong chú thích (hãy viết như 28/05/2025). Tệp vẫn được thêm, "
        "với ngày ghi trong tệp."
    ),
    "job_queued": "⏳ Đã nhận {what}, đang chờ {ahead} việc cập nhật chỉ mục phía trước…",
    "job_started": "⏳ Đang xử lý {what}…",
    "upload_resumed": "⏳ {name}: bot vừa khởi động lại; những gì bạn gửi vẫn còn và đang được thêm vào bộ sưu tập…",
    "upload_refused": "❌ Không thêm được {name}: {reason}. Bộ sưu tập không thay đổi.",
    "download_failed": "❌ Không tải được {name} từ Telegram: {reason}",
    "added_header": "✅ Đã thêm vào bộ sưu tập ({seconds:.1f} giây):",
    "added_header_unchanged": "✅ Đã có sẵn trong bộ sưu tập, không có gì thay đổi:",
    "added_line": "• <b>{title}</b> — {date} · {paragraphs} đoạn",
    "added_duplicate": " (đã có sẵn, không đổi)",
    "added_same_as": "ℹ️ {name} giống hệt tệp {old} đã có: không thêm bản thứ hai.",
    "added_same_page": "ℹ️ {url} là cùng một trang với {old} đã có: không thêm bản thứ hai.",
    "added_beside": (
        "ℹ️ Đã có tệp {old} cùng tên: tệp này lưu thành {name}, tệp cũ vẫn còn (xóa bằng /remove nếu không cần)."
    ),
    "added_rejected": "⚠️ Bỏ qua {name}: {reason}",
    "added_cut": "⚠️ {name}: một đoạn dài {chars} ký tự bị cắt ở ký tự thứ {kept}; phần sau không tìm được",
    "added_more": "… và {count} bài khác",
    "added_more_notes": "… và {count} ghi chú khác",
    "link_usage": "Cách dùng: <code>/add https://…</code> (hoặc gửi thẳng đường liên kết)",
    "link_refused": "❌ Không thêm được {url}: {reason}. Bộ sưu tập không thay đổi.",
    "remove_usage": "Cách dùng: <code>/remove từ trong tiêu đề</code>",
    "remove_none": "Không tìm thấy bài nào có tiêu đề chứa «{words}». Xem /sources.",
    "remove_pick": "Chọn bài cần xóa ({count} kết quả); bài và tệp của nó sẽ rời khỏi bộ sưu tập:",
    "remove_whole_file": " ⚠️ tệp này có {count} bài: xóa bài này là xóa cả {count} bài",
    "remove_button": "🗑 Xóa: {title}",
    "cancel_button": "Hủy",
    "remove_cancelled": "Đã hủy, không xóa gì.",
    "remove_working": "⏳ Đang xóa «{title}»…",
    "remove_resumed": "⏳ Bot vừa khởi động lại; đang xóa «{title}»…",
    "restore_resumed": "⏳ Bot vừa khởi động lại; đang hoàn tác việc xóa…",
    "remove_in_progress": "⏳ «{title}» đang được xóa (theo yêu cầu trước đó); kết quả hiện ở tin nhắn của yêu cầu ấy.",
    "removed": "🗑 Đã xóa «{title}» ({file}). Bộ sưu tập còn {documents} bài.",
    "feeds_usage": (
        "Cách dùng: <code>/feeds add URL</code> – theo dõi nguồn tin RSS/Atom; "
        "<code>/feeds remove URL</code> (hoặc số thứ tự) – bỏ theo dõi; <code>/feeds</code> – danh sách"
    ),
    "feeds_header": "<b>Đang theo dõi {count} nguồn tin</b> (kiểm tra mỗi {minutes} phút):",
    "feeds_line": "{n}. {url}",
    "feeds_failing": " ⚠️ lỗi {failures} lần liên tiếp",
    "feeds_empty": "Chưa theo dõi nguồn tin nào. Thêm bằng <code>/feeds add URL</code>.",
    "feed_exists": "ℹ️ Nguồn tin này đã được theo dõi rồi: không có gì thay đổi.",
    "feed_removed": "Đã bỏ theo dõi {url}. Các bài đã lấy từ nguồn này vẫn ở trong bộ sưu tập (xóa bằng /remove).",
    "feed_unknown": "Không có nguồn tin {url} trong danh sách. Xem <code>/feeds</code>.",
    "feed_refused": "❌ Không theo dõi được {url}: {reason}",
    "feed_added": "✅ Đã theo dõi {url}; bot kiểm tra bài mới mỗi {minutes} phút.",
    "feed_nothing_new": "✅ Đã theo dõi {url}; hiện chưa có bài mới.",
    "feed_failing": (
        "⚠️ Nguồn tin {url} lỗi {failures} lần liên tiếp: {reason}. Bot vẫn thử lại và sẽ không nhắc lại "
        "cho đến khi nguồn tin hoạt động trở lại."
    ),
    "jsonl_skipped": "⚠️ {name}: bỏ qua {count} dòng không phải một bài (JSON lỗi hoặc thiếu \"text\"): dòng {lines}",
    "jsonl_undated": "⚠️ {name}: không đọc được ngày ở {count} dòng ({lines}); các bài đó không có ngày",
    "undo_button": "↩ Hoàn tác",
    "removed_undo": "Bấm ↩ Hoàn tác trong {hours} giờ tới để khôi phục.",
    "removed_for_good": "Không hoàn tác được: muốn có lại bài này, hãy gửi lại tệp hoặc liên kết.",
    "restored": "↩ Đã khôi phục «{title}» ({file}). Bộ sưu tập có {documents} bài.",
    "undo_expired": "Không hoàn tác được nữa: tệp đã bị xóa hẳn.",
    "undo_refused": "❌ Không hoàn tác được: {reason}. Bộ sưu tập không thay đổi.",
    "remove_more": "… và {count} bài khác ở các trang sau.",
}

EN = {
    "upload_caption_asks": (
        "ℹ️ The file's caption asks a question, so it was answered and the file was not added to the collection. "
        "To add it, send it again without a question (or with a caption such as <code>title: …</code>)."
    ),
    "collection_admin_only": (
        "Only administrators can add files or links to the collection; nothing was stored. "
        "To ask something, type your question."
    ),
    "upload_too_big": (
        "❌ {name}: the file is {size} MB, over the 20 MB Telegram lets bots download. "
        "Split it and send the parts."
    ),
    "upload_unsupported": (
        "❌ {name}: this file type cannot be read. Send PDF, DOCX, HTML, MD, TXT, JSONL, JPEG, PNG, or a ZIP of them."
    ),
    "unsupported_word": " An old Word or a LibreOffice file: save it as .docx (or export a PDF) and send it again.",
    "unsupported_sheet": " A spreadsheet or a presentation: export it as a PDF and send it again.",
    "unsupported_image": " A HEIC picture: send it as a photo (not as a file), or save it as a JPEG.",
    "caption_date_unread": (
        "⚠️ {name}: the date «{date}» in the caption was not understood (write it as 28/05/2025). The file is "
        "added all the same, with the date it gives itself."
    ),
    "job_queued": "⏳ Received {what}, waiting for {ahead} jobs ahead of it in the indexing queue…",
    "job_started": "⏳ Processing {what}…",
    "upload_resumed": "⏳ {name}: the bot restarted; what you sent is kept and is being added now…",
    "upload_refused": "❌ Could not add {name}: {reason}. The collection is unchanged.",
    "download_failed": "❌ Could not download {name} from Telegram: {reason}",
    "added_header": "✅ Added to the collection ({seconds:.1f} s):",
    "added_header_unchanged": "✅ Already in the collection, nothing changed:",
    "added_line": "• <b>{title}</b> — {date} · {paragraphs} paragraphs",
    "added_duplicate": " (already there, unchanged)",
    "added_same_as": "ℹ️ {name} is the very same file as {old}, already there: no second copy added.",
    "added_same_page": "ℹ️ {url} is the same page as {old}, already there: no second copy added.",
    "added_beside": (
        "ℹ️ A file named {old} was there already: this one is stored as {name}, the old one stays (/remove it if "
        "unneeded)."
    ),
    "added_rejected": "⚠️ Skipped {name}: {reason}",
    "added_cut": "⚠️ {name}: a paragraph of {chars} characters was cut at {kept}; the rest is not searchable",
    "added_more": "… and {count} more",
    "added_more_notes": "… and {count} more notes",
    "link_usage": "Usage: <code>/add https://…</code> (or just send the link)",
    "link_refused": "❌ Could not add {url}: {reason}. The collection is unchanged.",
    "remove_usage": "Usage: <code>/remove words of the title</code>",
    "remove_none": "No article has a title with «{words}». See /sources.",
    "remove_pick": "Pick the article to remove ({count} found); it and its file leave the collection:",
    "remove_whole_file": " ⚠️ its file holds {count} articles: removing this one removes all {count}",
    "remove_button": "🗑 Remove: {title}",
    "cancel_button": "Cancel",
    "remove_cancelled": "Cancelled, nothing was removed.",
    "remove_working": "⏳ Removing «{title}»…",
    "remove_resumed": "⏳ The bot restarted; removing «{title}»…",
    "restore_resumed": "⏳ The bot restarted; undoing the removal…",
    "remove_in_progress": (
        "⏳ «{title}» is already being removed (asked for earlier); that request's message says how it ends."
    ),
    "removed": "🗑 Removed «{title}» ({file}). The collection now has {documents} articles.",
    "feeds_usage": (
        "Usage: <code>/feeds add URL</code> – follow an RSS/Atom feed; "
        "<code>/feeds remove URL</code> (or its number) – stop; <code>/feeds</code> – the list"
    ),
    "feeds_header": "<b>Following {count} feeds</b> (checked every {minutes} minutes):",
    "feeds_line": "{n}. {url}",
    "feeds_failing": " ⚠️ failed {failures} times in a row",
    "feeds_empty": "No feeds yet. Add one with <code>/feeds add URL</code>.",
    "feed_exists": "ℹ️ This feed is already followed: nothing changed.",
    "feed_removed": "Stopped following {url}. The articles already taken from it stay in the collection (/remove "
                    "removes them).",
    "feed_unknown": "{url} is not in the list. See <code>/feeds</code>.",
    "feed_refused": "❌ Could not follow {url}: {reason}",
    "feed_added": "✅ Following {url}; new items are checked every {minutes} minutes.",
    "feed_nothing_new": "✅ Following {url}; no new items yet.",
    "feed_failing": (
        "⚠️ The feed {url} failed {failures} times in a row: {reason}. The bot keeps trying and will not "
        "say so again until the feed works."
    ),
    "jsonl_skipped": "⚠️ {name}: {count} lines skipped, not documents (bad JSON or no \"text\"): line {lines}",
    "jsonl_undated": "⚠️ {name}: the date of {count} lines was not understood ({lines}); those have no date",
    "undo_button": "↩ Undo",
    "removed_undo": "Press ↩ Undo within {hours} hours to restore it.",
    "removed_for_good": "This cannot be undone: to have it back, send the file or link again.",
    "restored": "↩ Restored «{title}» ({file}). The collection now has {documents} articles.",
    "undo_expired": "Too late to undo: the file has been deleted for good.",
    "undo_refused": "❌ Could not undo: {reason}. The collection is unchanged.",
    "remove_more": "… and {count} more on the next pages.",
}
