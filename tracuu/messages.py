"""Every line the command line prints for a person (the bot's strings live in bot/texts.py)."""

from __future__ import annotations

NOTHING = (
    "Không tìm thấy đoạn nào trong bộ sưu tập nói về điều này. "
    "Hãy hỏi cụ thể hơn (tên người, địa danh, sự kiện) hoặc dùng từ khác."
)
CHAT_GREETING = "Tra Cứu — gõ câu hỏi rồi Enter (Ctrl-D để thoát)."
STAGES = {"reading": "Đọc tệp", "encoding": "Mã hoá đoạn văn", "indexing": "Lập chỉ mục", "done": "Xong"}
TEASER_LABEL = " [giới thiệu bài khác{other}, không phải nội dung bài này]"

EMPTY_QUESTION = 'the question is empty: ask something, e.g. tracuu ask "Hai nước ký hiệp ước năm nào?"'
NO_DATA_FOLDER = "Data folder {path} does not exist. Create it or pass --data DIR."
BAD_SETTING = "bad setting {name}: {reason}"
NOT_A_CHECKOUT = "tracuu bench runs from a source checkout (benchmarks/ is not installed): run `make bench` there"
UNEXPECTED = "unexpected error: {kind}: {error} (run with -v for details)"

INDEX_UP_TO_DATE = "Index up to date: {documents} documents, {passages} passages"
INDEXED = (
    "Indexed {documents} documents, {passages} passages in {seconds:.1f} s: {added} added, {changed} changed, "
    "{removed} removed; {encoded} passages encoded"
)
SKIPPED_COUNT = ", {count} files skipped."
SKIPPED_FILE = "  skipped {path}: {reason}"
