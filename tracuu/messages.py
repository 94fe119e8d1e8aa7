"""Every line the command line prints for a person (the bot's strings live in bot/texts/)."""

from __future__ import annotations

# the bot's words for the same meaning (bot/texts/readers.py "abstained"), without its /sources hint
NOTHING = (
    "Không tìm thấy đoạn nào trong bộ sưu tập trả lời câu hỏi này.\n"
    "Hãy thử hỏi cụ thể hơn, dùng tên người, địa danh hoặc sự kiện."
)
# a question in another language that the collection does not clearly answer: said in English, as the bot does
NOTHING_FOREIGN = (
    "The collection is in Vietnamese, and nothing in it clearly answers this question.\n"
    "Please ask in Vietnamese (names, places or events help), e.g. {example}"
)
# the first of the bot's DEFAULT_EXAMPLES (bot/config.py), for a deployment without EXAMPLE_QUESTIONS: the
# command line does not import the bot
EXAMPLE = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
CHAT_GREETING = "Tra Cứu — gõ câu hỏi rồi Enter (Ctrl-D để thoát) · type a question, Enter (Ctrl-D quits)."
# `tracuu index` after an update past the delta's bound (retriever/index/local/fold.py)
FOLDING = ("The update is in and searchable; now folding the index's recent changes into its main part "
           "(once every few thousand new passages)…")
STAGES = {"reading": "Đọc tệp", "encoding": "Mã hóa đoạn văn", "indexing": "Lập chỉ mục", "done": "Xong"}
TEASER_LABEL = " [giới thiệu bài khác{other}, không phải nội dung bài này]"
# between the quotes that pass the answer gate and the weaker related ones after them (the bot keeps those
# behind "more results")
WEAKER = "··· các đoạn dưới đây liên quan ít hơn, có thể không trả lời câu hỏi ···"
OCR_LABEL = " [nhận dạng từ ảnh quét (OCR), có thể sai vài chữ]"  # the bot's "ocr_quote", on the source line

EMPTY_QUESTION = 'the question is empty: ask something, e.g. tracuu ask "{example}"'
NO_WORDS = 'the question has no words to look up: ask in words, e.g. tracuu ask "{example}"'
NO_DATA_FOLDER = "Data folder {path} does not exist (DATA_DIR or --data): create it, or point DATA_DIR at another one."
DATA_FOLDER_IS_A_FILE = ("Data folder {path} (DATA_DIR or --data) is a file, not a folder: point DATA_DIR or --data "
                         "at the folder of articles.")
INDEX_FOLDER_IS_A_FILE = ("Index folder {path} (INDEX_DIR or --index) is a file, not a folder: give a folder, "
                          "which is made if it does not exist")
NO_INDEX_FOLDER = "Index folder {path} (INDEX_DIR or --index) cannot be made: {reason}"
INDEX_FOLDER_UNUSABLE = "Index folder {path} (INDEX_DIR or --index) cannot be used: {reason}"
INDEX_NOT_UPDATED = "Could not update the index in {path} (INDEX_DIR or --index): {reason}"
BAD_SETTING = "bad setting {name}: {reason}"
# systemd's EnvironmentFile and `docker run --env-file` keep what follows a value on its line; .env drops it
COMMENT_IN_VALUE = " (a comment after a value is not allowed here: put it on its own line)"
NOT_A_CHECKOUT = "tracuu bench runs from a source checkout (benchmarks/ is not installed): run `make bench` there"
UNEXPECTED = "unexpected error: {error} (run with -v for details)"
UNEXPECTED_BARE = "unexpected error (run with -v for details)"  # one that says nothing more about itself
STATE_PATH_IS_A_FOLDER = "STATE_PATH {path} is a folder: name the state file itself, e.g. {path}/bot-state.sqlite"
STATE_UNREADABLE = "cannot open the bot's state file {path} ({reason}): check STATE_PATH and that the bot may write it"
ENV_FOLDER = (
    "{path} is a folder, not the settings file (a container's bind mount of a file that did not exist makes one): "
    "remove it and copy .env.example there"
)
ENV_UNREADABLE = "cannot read {path} ({reason}): let the user running tracuu read it (chmod 600, owned by that user)"
ENV_NOT_UTF8 = (
    "{path} is not UTF-8 text (line {line} has a byte UTF-8 does not allow): save it as UTF-8 and start again"
)
NOT_A_DATABASE_URL = "{name} must be a URL such as postgresql://user:<password>@host:5432/db"
DATABASE_URL_SCHEME = (
    "{name} must start with postgresql:// (it starts with {scheme}), e.g. postgresql://user:<password>@host:5432/db"
)
DATABASE_URL_RESERVED = (
    "{name}: the user name or password holds '@' or '/', which a URL reads as its own: write @ as %40 and / as %2F"
)
DATABASE_URL_PERCENT = "{name}: the user name or password holds a '%' not followed by two hex digits: write % as %25"
DATABASE_UNREACHABLE = "cannot reach the index database at {name}{where}: {reason}"
# reached, and refused: a database or user that does not exist, a wrong password
DATABASE_REFUSED = "the index database at {name}{where} refused the connection: {reason}"
LISTEN_IN_USE = "{name} {address} is already in use: stop what listens there or pick another port, then start again"
LISTEN_NOT_HERE = "{name} {address} is not an address of this machine: use one it has, e.g. 127.0.0.1 or 0.0.0.0"
LISTEN_DENIED = "{name} {address} may not be used by this user (ports below 1024 need privileges): pick another port"
LISTEN_FAILED = "cannot listen on {name} {address}: {reason}"
API_URL_NOT_FOUND = (
    "TELEGRAM_API_BASE_URL {url} answered 404 Not Found: set it to the Bot API server's address, which usually "
    "ends in /bot (e.g. http://127.0.0.1:8081/bot), or leave it empty for api.telegram.org"
)
WEBHOOK_REFUSED = (
    "Telegram refused WEBHOOK_URL {url} ({reason}): it must be a public https URL that reaches this bot "
    "(port 443, 80, 88 or 8443), e.g. https://bot.example.org/telegram"
)
TELEGRAM_REFUSED = "Telegram refused a start-up request ({reason})"
TOKEN_REJECTED = (
    "Telegram rejected TELEGRAM_BOT_TOKEN (revoked, or not this bot's): get a valid token from @BotFather "
    "(/mybots → the bot → API Token), put it in .env, then start again"
)
TELEGRAM_UNREACHABLE = (
    "cannot reach Telegram at {url}: check this machine's network, firewall or proxy "
    "(or TELEGRAM_API_BASE_URL), then start again"
)

INDEX_UP_TO_DATE = "Index up to date: {documents} documents, {passages} passages"
INDEXED = (
    "Indexed {documents} documents, {passages} passages in {seconds:.1f} s: {added} added, {changed} changed, "
    "{removed} removed; {encoded} passages encoded"
)
SKIPPED_COUNT = ", {count} files skipped."
SKIPPED_FILE = "  skipped {path}: {reason}"
PARAGRAPH_CUT = "  cut {path}: a paragraph of {chars:,} characters was cut at {kept:,}; the rest is not searchable"
EMPTY_COLLECTION = (
    "  nothing to answer from yet: put articles (.txt, .md, .html, .jsonl, .pdf, .docx, scans as .jpg or .png) "
    "in the data folder, or send them to the bot as an admin"
)

NOT_A_SEARCH_OPTION = "--option {name}: not a search option (one of: {names})"
BAD_SEARCH_OPTION = "--option {name}={value}: {name} takes {wanted}"
CALIBRATE_NEEDS_SETS = (
    "calibrate needs two or more --set DATA_DIR QUESTIONS.jsonl: off-topic examples are each collection asked "
    "the other sets' questions"
)
OCR_LANGUAGE_MISSING = (
    "OCR_LANGUAGE={value}: this machine's Tesseract cannot read {missing}: install it (apt-get install {packages}) "
    "or set OCR_LANGUAGE to installed languages (tesseract --list-langs)"
)
NO_TESSERACT = (
    "OCR_LANGUAGE={value}: Tesseract is not installed, so scans and photos cannot be read: install it (apt-get "
    "install tesseract-ocr tesseract-ocr-vie), or leave OCR_LANGUAGE empty to refuse them with that reason"
)
NO_SET_FOLDER = "Collection folder {path} does not exist (--set DATA_DIR QUESTIONS.jsonl)."
SET_FOLDER_IS_A_FILE = "Collection folder {path} is a file, not a folder (--set DATA_DIR QUESTIONS.jsonl)."
