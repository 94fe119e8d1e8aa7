"""Why a file, a link or a feed was not added (reason_*) and what a disk error means (os_*): each fills the {reason}
of a message in bot/texts/collection.py."""

from __future__ import annotations

VI = {
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
    "reason_pdf_size": "nội dung trang của tệp PDF giải nén ra hơn {size} (có thể là bom nén); bot không đọc",
    "reason_docx_size": "tệp Word giải nén ra hơn {size} (có thể là bom nén); bot không đọc",
    "reason_parse_memory": "đọc tệp này cần hơn {limit} MB bộ nhớ (có thể là bom nén); bot không đọc",
    "reason_parse_time": "đọc tệp này mất hơn {seconds} giây; bot đã dừng",
    "reason_parse_failed": "tệp bị hỏng, không đọc được",
    "reason_restore_exists": (
        "«{file}» đã được gửi lại sau khi xóa; hãy /remove bản mới trước nếu muốn khôi phục bản cũ"
    ),
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
    "reason_pdf_size": "the PDF's page content unpacks to more than {size} (a zip bomb?); not read",
    "reason_docx_size": "the Word file unpacks to more than {size} (a zip bomb?); not read",
    "reason_parse_memory": "reading this file needs more than {limit} MB of memory (a zip bomb?); not read",
    "reason_parse_time": "reading this file took longer than {seconds} s; stopped",
    "reason_parse_failed": "the file is damaged and could not be read",
    "reason_restore_exists": (
        "«{file}» was sent again after it was removed; /remove the new one first to bring back the old"
    ),
    "reason_feed_link": "this is an RSS/Atom feed, not an article: follow it with <code>/feeds add {url}</code>",
    "os_read_only": "the data folder is read-only{where}: the operator must give the bot write access to it",
    "os_disk_full": "the disk is full{where}",
    "os_permission": "the bot may not write there{where}",
    "os_is_directory": "a folder is where a file should be{where}",
    "os_not_directory": "a file is where a folder should be{where}",
    "os_missing": "a file or folder is missing{where}",
}
