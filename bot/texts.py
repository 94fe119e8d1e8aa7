"""Every string a user sees, in Vietnamese and English.

Values are HTML; callers escape what they fill in.
"""

from __future__ import annotations

import re

from telegram import User

from bot import texts_readers as readers
from bot import texts_sources as sources

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
    "weaker_waiting": "<i>{count} đoạn sau liên quan ít hơn, có thể không trả lời câu hỏi (Thêm kết quả ▶).</i>",
    "weaker": "<i>··· các đoạn dưới đây liên quan ít hơn, có thể không trả lời câu hỏi ···</i>",
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
    "cmd_start": "Giới thiệu bot",
    "cmd_help": "Hướng dẫn sử dụng",
    "cmd_ask": "Đặt câu hỏi",
    "cmd_sources": "Các bài trong bộ sưu tập",
    "cmd_stats": "Thống kê (quản trị)",
    "cmd_reindex": "Cập nhật chỉ mục (quản trị)",
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
    "unsupported_image": " Với ảnh HEIC/WEBP, hãy gửi dạng ảnh (không phải tệp) hoặc lưu lại dạng JPEG.",
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
    "remove_in_progress": "⏳ «{title}» đang được xóa (theo yêu cầu trước đó); kết quả hiện ở tin nhắn của yêu cầu ấy.",
    "removed": "🗑 Đã xóa «{title}» ({file}). Bộ sưu tập còn {documents} bài.",
    "sources_page": "Trang {page}/{pages}",
    "next_page": "Trang sau ▶",
    "feeds_usage": (
        "Cách dùng: <code>/feeds add URL</code> – theo dõi nguồn tin RSS/Atom; "
        "<code>/feeds remove URL</code> (hoặc số thứ tự) – bỏ theo dõi; <code>/feeds</code> – danh sách"
    ),
    "feeds_header": "<b>Đang theo dõi {count} nguồn tin</b> (kiểm tra mỗi {minutes} phút):",
    "feeds_line": "{n}. {url}",
    "feeds_failing": " ⚠️ lỗi {failures} lần liên tiếp",
    "feeds_empty": "Chưa theo dõi nguồn tin nào. Thêm bằng <code>/feeds add URL</code>.",
    "feed_exists": "ℹ️ Nguồn tin này đã được theo dõi rồi: không có gì thay đổi.",
    "feed_removed": "Đã bỏ theo dõi {url}.",
    "feed_unknown": "Không có nguồn tin {url} trong danh sách. Xem <code>/feeds</code>.",
    "feed_refused": "❌ Không theo dõi được {url}: {reason}",
    "feed_added": "✅ Đã theo dõi {url}; bot kiểm tra bài mới mỗi {minutes} phút.",
    "feed_nothing_new": "✅ Đã theo dõi {url}; hiện chưa có bài mới.",
    "feed_failing": (
        "⚠️ Nguồn tin {url} lỗi {failures} lần liên tiếp: {reason}. Bot vẫn thử lại và sẽ không nhắc lại "
        "cho đến khi nguồn tin hoạt động trở lại."
    ),
    "cmd_add": "Thêm bài báo từ đường liên kết (quản trị)",
    "cmd_remove": "Xóa một bài (quản trị)",
    "cmd_feeds": "Nguồn tin RSS/Atom (quản trị)",
    "reason_pdf_no_text": "tệp PDF không có lớp chữ (bản scan?); bot không nhận dạng chữ trong ảnh (OCR)",
    "reason_pdf_locked": "tệp PDF có mật khẩu; hãy bỏ mật khẩu rồi gửi lại",
    "reason_pdf_corrupt": "tệp PDF bị hỏng hoặc không trọn vẹn",
    "reason_docx_corrupt": "không đọc được tệp Word .docx (tệp hỏng, hoặc là tệp .doc cũ: hãy lưu lại thành .docx)",
    "reason_empty": "tệp trống, không có nội dung",
    "reason_database": (
        "cơ sở dữ liệu chỉ mục ngừng trả lời giữa chừng; những gì đã gửi vẫn được giữ và sẽ vào chỉ mục ở lần "
        "/reindex sau, khi cơ sở dữ liệu hoạt động lại"
    ),
    "reason_not_text": "nội dung nhị phân, không phải văn bản",
    "reason_encoding": "không nhận ra bảng mã của tệp văn bản này; hãy lưu lại dạng UTF-8 rồi gửi lại",
    "reason_legacy_font": "tệp được gõ bằng bảng mã cũ {font}, không phải Unicode; hãy chuyển sang Unicode (công cụ "
                          "chuyển mã của Unikey: {font} → Unicode) rồi gửi lại",
    "reason_no_paragraphs": (
        "không tìm thấy đoạn văn nào (dòng đầu được lấy làm tiêu đề, dòng dưới 5 từ không tính là đoạn văn)"
    ),
    "reason_not_article": "trang này không phải một bài báo (không có nội dung chính)",
    "reason_unsupported": (
        "bot chưa đọc được loại tệp này (hãy gửi PDF, DOCX, HTML, MD, TXT, JSONL, JPEG, PNG hoặc ZIP)"
    ),
    "reason_not_document": "đường liên kết không dẫn tới trang web hay tài liệu ({kind})",
    "reason_versions": "đã có quá nhiều phiên bản cùng tên; hãy đổi tên tệp",
    "reason_zip_corrupt": "tệp ZIP bị hỏng hoặc có mật khẩu",
    "reason_zip_files": "tệp ZIP chứa {count} tệp, quá giới hạn {limit} tệp",
    "reason_zip_size": "tệp ZIP giải nén ra hơn {size}, quá giới hạn cho phép",
    "reason_zip_nothing": "trong ZIP không có tệp nào đọc được ({items})",
    "reason_zip_empty": "tệp ZIP không chứa tệp nào",
    "reason_zip_nested": "ZIP nằm trong ZIP không được giải nén: hãy gửi riêng tệp đó",
    "reason_scheme": "chỉ thêm được đường liên kết http:// hoặc https://",
    "reason_host_unknown": "không tìm thấy máy chủ {host}",
    "reason_private_address": "{host} là địa chỉ nội bộ; chỉ thêm được trang công khai",
    "reason_http_status": "trang web trả lời lỗi HTTP {status}",
    "reason_timeout": "trang web không trả lời trong {seconds} giây (quá thời gian chờ)",
    "reason_too_slow": "trang web gửi dữ liệu quá chậm (quá thời gian chờ)",
    "reason_connect": "không kết nối được tới {host}: trang web từ chối hoặc ngắt kết nối",
    "reason_redirects": "trang chuyển hướng quá {count} lần",
    "reason_too_large": "trang lớn hơn {size}",
    "reason_not_feed": "đây không phải nguồn tin RSS/Atom (không đọc được XML)",
    "reason_jsonl_json": (
        "không dòng nào là một bài: dòng {line} không phải JSON hợp lệ (mỗi dòng là một đối tượng JSON có trường "
        "\"text\")"
    ),
    "reason_jsonl_field": (
        "không dòng nào là một bài: dòng {line} thiếu trường \"{field}\" hoặc trường này sai kiểu (\"text\" là "
        "chuỗi; \"title\", \"url\", \"date\", \"source\" là chuỗi nếu có)"
    ),
    "jsonl_skipped": "⚠️ {name}: bỏ qua {count} dòng không phải một bài (JSON lỗi hoặc thiếu \"text\"): dòng {lines}",
    "jsonl_undated": "⚠️ {name}: không đọc được ngày ở {count} dòng ({lines}); các bài đó không có ngày",
    "passage_removed": "<i>(Đoạn này không còn trong bộ sưu tập.)</i>",
    "reason_pdf_size": "nội dung trang của tệp PDF giải nén ra hơn {size} (có thể là bom nén); bot không đọc",
    "reason_docx_size": "tệp Word giải nén ra hơn {size} (có thể là bom nén); bot không đọc",
    "reason_parse_memory": "đọc tệp này cần hơn {limit} MB bộ nhớ (có thể là bom nén); bot không đọc",
    "reason_parse_time": "đọc tệp này mất hơn {seconds} giây; bot đã dừng",
    "reason_parse_failed": "tệp bị hỏng, không đọc được",
    "cmd_gaps": "Câu hỏi bộ sưu tập còn thiếu (quản trị)",
    "cmd_settings": "Cài đặt cho cuộc trò chuyện này",
    "inline_hint_title": "Gõ câu hỏi để tra cứu",
    "inline_hint_description": "Ví dụ: {mention} {example}",
    "inline_none_title": "Không tìm thấy",
    "inline_none_description": "Không tìm thấy đoạn nào trả lời câu hỏi này.",
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
    "settings_saved": "Đã lưu – {what}",
    "saved_top_k": "{n} kết quả mỗi câu trả lời",
    "saved_language": "ngôn ngữ: {name}",
    "saved_mentions": "trả lời khi được nhắc tên: {state}",
    "saved_limit": "giới hạn câu hỏi của nhóm: {limit}",
    "settings_unchanged": "Đây đã là lựa chọn hiện tại.",
    "settings_admins_only": "Chỉ quản trị viên của nhóm mới đổi được cài đặt.",
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
    "help_admin_private": "\nQuản trị viên: gửi /help trong chat riêng với bot để xem các lệnh quản trị.",
    "settings_language_auto": "theo Telegram ({name})",
    "settings_language_each": "theo Telegram của từng người",
    "settings_language_telegram": "🌐 Theo Telegram",
    "close_button": "✖ Đóng",
    "undo_button": "↩ Hoàn tác",
    "removed_undo": "Bấm ↩ Hoàn tác trong {hours} giờ tới để khôi phục.",
    "removed_for_good": "Không hoàn tác được: muốn có lại bài này, hãy gửi lại tệp hoặc liên kết.",
    "restored": "↩ Đã khôi phục «{title}» ({file}). Bộ sưu tập có {documents} bài.",
    "undo_expired": "Không hoàn tác được nữa: tệp đã bị xóa hẳn.",
    "undo_refused": "❌ Không hoàn tác được: {reason}. Bộ sưu tập không thay đổi.",
    "reason_restore_exists": (
        "«{file}» đã được gửi lại sau khi xóa; hãy /remove bản mới trước nếu muốn khôi phục bản cũ"
    ),
    "remove_more": "… và {count} bài khác ở các trang sau.",
    "reason_feed_link": (
        "đây là nguồn tin RSS/Atom chứ không phải một bài báo: dùng <code>/feeds add {url}</code> để theo dõi"
    ),
    "os_read_only": "thư mục dữ liệu chỉ cho đọc{where}: người vận hành cần cho bot quyền ghi vào đó",
    "os_disk_full": "ổ đĩa đã đầy{where}",
    "os_permission": "bot không có quyền ghi vào đó{where}",
    "os_is_directory": "ở chỗ cần một tệp lại là một thư mục{where}",
    "os_not_directory": "ở chỗ cần một thư mục lại là một tệp{where}",
    "os_missing": "không tìm thấy tệp hoặc thư mục{where}",
}

EN = {
    "help": (
        "<b>Tra Cứu</b> answers a question by quoting, word for word, the paragraphs of a collection of "
        "Vietnamese news articles that answer it, with their source. It never writes its own answer.\n\n"
        "The articles are in Vietnamese. Questions in English are answered only when the Vietnamese "
        "paragraphs clearly match them; ask in Vietnamese for the best results.\n\n"
        "<b>In a private chat:</b> just send your question. Follow up with «Còn Campuchia thì sao?» (\"what about "
        "Cambodia?\") to ask the question before again of another name.\n"
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
    "weaker_waiting": "<i>{count} more are less related and may not answer the question (More results ▶).</i>",
    "weaker": "<i>··· the paragraphs below are less related and may not answer the question ···</i>",
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
    "cmd_start": "What this bot does",
    "cmd_help": "How to use it",
    "cmd_ask": "Ask a question",
    "cmd_sources": "Articles in the collection",
    "cmd_stats": "Statistics (admins)",
    "cmd_reindex": "Rebuild the index (admins)",
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
    "unsupported_image": " A HEIC or WEBP picture: send it as a photo (not as a file), or save it as a JPEG.",
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
    "remove_in_progress": (
        "⏳ «{title}» is already being removed (asked for earlier); that request's message says how it ends."
    ),
    "removed": "🗑 Removed «{title}» ({file}). The collection now has {documents} articles.",
    "sources_page": "Page {page}/{pages}",
    "next_page": "Next ▶",
    "feeds_usage": (
        "Usage: <code>/feeds add URL</code> – follow an RSS/Atom feed; "
        "<code>/feeds remove URL</code> (or its number) – stop; <code>/feeds</code> – the list"
    ),
    "feeds_header": "<b>Following {count} feeds</b> (checked every {minutes} minutes):",
    "feeds_line": "{n}. {url}",
    "feeds_failing": " ⚠️ failed {failures} times in a row",
    "feeds_empty": "No feeds yet. Add one with <code>/feeds add URL</code>.",
    "feed_exists": "ℹ️ This feed is already followed: nothing changed.",
    "feed_removed": "Stopped following {url}.",
    "feed_unknown": "{url} is not in the list. See <code>/feeds</code>.",
    "feed_refused": "❌ Could not follow {url}: {reason}",
    "feed_added": "✅ Following {url}; new items are checked every {minutes} minutes.",
    "feed_nothing_new": "✅ Following {url}; no new items yet.",
    "feed_failing": (
        "⚠️ The feed {url} failed {failures} times in a row: {reason}. The bot keeps trying and will not "
        "say so again until the feed works."
    ),
    "cmd_add": "Add an article from a link (admins)",
    "cmd_remove": "Remove an article (admins)",
    "cmd_feeds": "RSS/Atom feeds (admins)",
    "reason_pdf_no_text": "the PDF has no text layer (a scan?); text in images is not recognised (no OCR)",
    "reason_pdf_locked": "the PDF is password-protected; remove the password and send it again",
    "reason_pdf_corrupt": "the PDF is damaged or incomplete",
    "reason_docx_corrupt": "not a readable Word .docx file (damaged, or an old .doc: save it as .docx)",
    "reason_empty": "the file is empty",
    "reason_database": (
        "the index database stopped answering midway; what was sent is kept and goes into the index at the next "
        "/reindex, once the database is back"
    ),
    "reason_not_text": "binary content, not text",
    "reason_encoding": "the text's encoding is not recognised; save it as UTF-8 and send it again",
    "reason_legacy_font": "the file is typed in the old {font} font encoding, not Unicode; convert it to Unicode "
                          "(Unikey's converter: {font} → Unicode) and send it again",
    "reason_no_paragraphs": (
        "no paragraph of text found (the first line is read as the title, and lines of fewer than 5 words are "
        "not paragraphs)"
    ),
    "reason_not_article": "the page is not an article (no main text found)",
    "reason_unsupported": "this file type cannot be read (send PDF, DOCX, HTML, MD, TXT, JSONL, JPEG, PNG or ZIP)",
    "reason_not_document": "the link leads to neither a web page nor a document ({kind})",
    "reason_versions": "too many versions with this name; rename the file",
    "reason_zip_corrupt": "the ZIP is damaged or encrypted",
    "reason_zip_files": "the ZIP holds {count} files, more than the limit of {limit}",
    "reason_zip_size": "the ZIP unpacks to more than {size}, over the limit",
    "reason_zip_nothing": "nothing in the ZIP could be read ({items})",
    "reason_zip_empty": "the ZIP holds no file",
    "reason_zip_nested": "a ZIP inside the ZIP is not unpacked: send it on its own",
    "reason_scheme": "only http:// and https:// links can be added",
    "reason_host_unknown": "the host {host} was not found",
    "reason_private_address": "{host} is a private or local address; only public sites can be added",
    "reason_http_status": "the site answered HTTP {status}",
    "reason_timeout": "no answer within {seconds} s (timed out)",
    "reason_too_slow": "the site sends the page too slowly (timed out)",
    "reason_connect": "could not connect to {host}: the site refused or dropped the connection",
    "reason_redirects": "more than {count} redirects",
    "reason_too_large": "the page is larger than {size}",
    "reason_not_feed": "not an RSS/Atom feed (not readable XML)",
    "reason_jsonl_json": (
        "no line is a document: line {line} is not valid JSON (each line is one JSON object with a \"text\" field)"
    ),
    "reason_jsonl_field": (
        "no line is a document: line {line} lacks a \"{field}\" field or has one of the wrong type (\"text\" "
        "must be a string; \"title\", \"url\", \"date\", \"source\" strings when given)"
    ),
    "jsonl_skipped": "⚠️ {name}: {count} lines skipped, not documents (bad JSON or no \"text\"): line {lines}",
    "jsonl_undated": "⚠️ {name}: the date of {count} lines was not understood ({lines}); those have no date",
    "passage_removed": "<i>(This passage is no longer in the collection.)</i>",
    "reason_pdf_size": "the PDF's page content unpacks to more than {size} (a zip bomb?); not read",
    "reason_docx_size": "the Word file unpacks to more than {size} (a zip bomb?); not read",
    "reason_parse_memory": "reading this file needs more than {limit} MB of memory (a zip bomb?); not read",
    "reason_parse_time": "reading this file took longer than {seconds} s; stopped",
    "reason_parse_failed": "the file is damaged and could not be read",
    "cmd_gaps": "Questions the collection lacks (admins)",
    "cmd_settings": "Settings for this chat",
    "inline_hint_title": "Type a question to search",
    "inline_hint_description": "For example: {mention} {example}",
    "inline_none_title": "Nothing found",
    "inline_none_description": "Nothing in the collection answers that question.",
    "inline_limited": "You are searching a bit fast; try again in {seconds} s",
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
    "settings_saved": "Saved – {what}",
    "saved_top_k": "{n} results per answer",
    "saved_language": "language: {name}",
    "saved_mentions": "answer when mentioned: {state}",
    "saved_limit": "group question limit: {limit}",
    "settings_unchanged": "That is the current choice already.",
    "settings_admins_only": "Only the group's admins can change its settings.",
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
    "help_admin_private": "\nAdmins: send /help in a private chat with the bot to see the admin commands.",
    "settings_language_auto": "from Telegram ({name})",
    "settings_language_each": "each member's Telegram language",
    "settings_language_telegram": "🌐 From Telegram",
    "close_button": "✖ Close",
    "undo_button": "↩ Undo",
    "removed_undo": "Press ↩ Undo within {hours} hours to restore it.",
    "removed_for_good": "This cannot be undone: to have it back, send the file or link again.",
    "restored": "↩ Restored «{title}» ({file}). The collection now has {documents} articles.",
    "undo_expired": "Too late to undo: the file has been deleted for good.",
    "undo_refused": "❌ Could not undo: {reason}. The collection is unchanged.",
    "reason_restore_exists": (
        "«{file}» was sent again after it was removed; /remove the new one first to bring back the old"
    ),
    "remove_more": "… and {count} more on the next pages.",
    "reason_feed_link": "this is an RSS/Atom feed, not an article: follow it with <code>/feeds add {url}</code>",
    "os_read_only": "the data folder is read-only{where}: the operator must give the bot write access to it",
    "os_disk_full": "the disk is full{where}",
    "os_permission": "the bot may not write there{where}",
    "os_is_directory": "a folder is where a file should be{where}",
    "os_not_directory": "a file is where a folder should be{where}",
    "os_missing": "a file or folder is missing{where}",
}

VI.update(sources.VI)
EN.update(sources.EN)
VI.update(readers.VI)
EN.update(readers.EN)
TEXTS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}


def language(user: User | None) -> str:
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "vi"


# English nouns after a count of exactly one lose their plural s ("1 paragraph", "every 1 minute")
_ONE = re.compile(
    r"(?<![\d.,])1 (paragraph|result|article|file|minute|second|day|time|feed|job|character|passage|match|page"
    r"|channel|post|subject)(e?s)\b"
)


def text(lang: str, key: str, **values: object) -> str:
    html = TEXTS.get(lang, VI)[key].format(**values)
    return _ONE.sub(r"1 \1", html) if lang == "en" else html
