"""Page furniture: the lines around an article that are none of its text (view counters, share buttons,
image captions, URL slugs, a list of attachments to download)."""

from __future__ import annotations

import re

from retriever.text import has_diacritics, word_count

_CAPTION = re.compile(
    r"(\s-\s*Ảnh\s*\d+\.?$)|(\(Ảnh\s*:?[^)]*\)\.?$)|((^|\.\s)Ảnh\s*:)|(^Ảnh\s*\d*\s*:)", re.IGNORECASE
)
_FURNITURE = re.compile(
    r"^(lượt xem:?\s*\d+|trả lời|bình luận|chia sẻ|in bài|xin chờ trong giây lát\.*|phiên bản di động|"
    r"chú thích ảnh|trang chủ\b.*|aa+|a\s*a|\[video\].*|xem thêm:?|quảng cáo|(©|copyright\b|\(c\)\s*\d{4}).{0,80})$",
    re.IGNORECASE,
)


def is_slug(line: str) -> bool:
    """URL slugs printed as text (`infographic ky nang ...`): lower-case ASCII with no punctuation."""
    return line == line.lower() and not has_diacritics(line) and re.fullmatch(r"[a-z0-9 ]+", line) is not None


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE.match(line)) or bool(_CAPTION.search(line) and word_count(line) < 40) or is_slug(line) \
        or is_attachment(line)


# a page's attachments: the box under an article that lists its files to download ("Tệp đính kèm:
# KH-45-SGDĐT.pdf Tải về"), which the page's own words label (Vietnamese sites' "Tệp/File/Văn bản/Tài liệu đính
# kèm", English "Attachments") or whose links' buttons say what they do ("Tải về", "Tải xuống", "Download",
# "Xem trực tuyến"). Common words, not a site's: a file's name and a download button say nothing a reader asks
_ATTACHMENT_LABEL = re.compile(
    r"^(?:(?:(?:tệp|tập tin|file|văn bản|tài liệu)\s+)?đính\s+kèm|attachments?|attached\s+files?|downloads?)"
    r"\s*(?::|$)", re.IGNORECASE)
_DOWNLOAD = r"tải\s+(?:về|xuống)|download|xem\s+trực\s+tuyến|xem\s+(?:tệp|file)"
# a button: capitalised as one and last ("… .pdf Tải về"), or set apart in brackets or by a bar ("(tải xuống)",
# "| Download"); "Người dân có thể tải về ứng dụng", "Download ứng dụng VNeID để …" are sentences
_BUTTON = re.compile(r"(?:^|(?<=\s))(?:Tải\s+(?:về|xuống)|Download|Xem\s+trực\s+tuyến|Xem\s+(?:tệp|file))"
                     r"(?=\s*(?:$|[|)\]]))"
                     rf"|(?i:[(\[|]\s*(?:{_DOWNLOAD})|(?:{_DOWNLOAD})\s*[)\]|])")
_FILE = re.compile(r"[^\s;:]+\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|rtf|txt|zip|rar|7z|jpe?g|png)\b", re.IGNORECASE)
_FILE_SIZE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:[KMG]i?B|bytes?)\b", re.IGNORECASE)
ATTACHMENT_WORDS = 12  # besides its files and buttons, an attachment's line names a document at most


def is_attachment(line: str) -> bool:
    """A line of a page's attachments: opened by their label ("Tệp đính kèm:"), or a download button with
    little else than files' names and sizes beside it ("Tên tệp: KH-45.pdf; Dung lượng: 245 KB; Tải về")."""
    if _ATTACHMENT_LABEL.match(line):
        return True
    if not _BUTTON.search(line) or line.endswith((".", "!", "?", "…")):
        return False
    rest = _FILE_SIZE.sub(" ", _FILE.sub(" ", re.sub(_DOWNLOAD, " ", line, flags=re.IGNORECASE)))
    return word_count(rest) <= ATTACHMENT_WORDS
