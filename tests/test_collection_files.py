"""Storing uploads and links safely: names, versions, ZIP limits, and which addresses may be fetched."""

from __future__ import annotations

import io
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from retriever.collection import ZipLimits, remove_file, safe_name, store_file, store_upload, unnamed_kind
from retriever.ingest.files import meta_path
from retriever.ingest.web import WHOLE_FETCH, Checked, FetchError, FetchLimits, check_url, fetch
from tests.collection_fixtures import trickling_server

ARTICLE = "Tiêu đề bài viết thử nghiệm\n\nMột đoạn văn đủ dài để được lập chỉ mục trong bộ sưu tập.".encode()


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../../etc/passwd.txt", "passwd.txt"), ("C:\\x\\bài báo.PDF", "bài_báo.pdf"), (".hidden.md", "hidden.md"),
     ("a/..", "file"), ("tin; rm -rf.txt", "tin_rm_-rf.txt")],
)
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_a_long_name_in_four_byte_letters_is_stored_under_a_name_the_file_system_takes(tmp_path: Path) -> None:
    name = "𠀀" * 120 + ".txt"  # 80 letters of four bytes each were over 255: "File name too long", with the path
    added = store_file(tmp_path, "uploads", name, ARTICLE)
    stored = Path(added.relative).name
    assert stored.endswith(".txt") and len(stored.encode()) <= 200 and (tmp_path / added.relative).is_file()


def test_two_long_names_that_differ_only_at_their_end_are_two_files(tmp_path: Path) -> None:
    stem = "Quyet-dinh-so-1234-QD-UBND-ve-viec-phe-duyet-ke-hoach-to-chuc-le-hoi-van-hoa-nam-2025-dot-"
    first = store_file(tmp_path, "uploads", f"{stem}1.txt", ARTICLE)
    second = store_file(tmp_path, "uploads", f"{stem}2.txt", ARTICLE + " Thêm một câu nữa.".encode())
    # cut to 80 letters from the end, both were "…-van-hoa.txt", and the second was told it was a new version
    assert first.relative != second.relative and not second.beside
    assert first.relative == store_file(tmp_path, "uploads", f"{stem}1.txt", ARTICLE).relative  # the same again
    assert Path(first.relative).name.startswith("Quyet-dinh-so-1234") and len(Path(first.relative).name) <= 80


def test_a_different_file_with_the_same_name_is_kept_apart(tmp_path: Path) -> None:
    first = store_file(tmp_path, "uploads", "a.txt", ARTICLE)
    same = store_file(tmp_path, "uploads", "a.txt", ARTICLE)
    other = store_file(tmp_path, "uploads", "a.txt", ARTICLE + " Thêm một câu nữa.".encode())
    assert (first.relative, same.relative, other.relative) == ("uploads/a.txt", "uploads/a.txt", "uploads/a-2.txt")
    assert same.duplicate and not other.duplicate
    assert (tmp_path / "uploads/a.txt").read_bytes() == ARTICLE


def test_a_file_that_cannot_be_read_is_not_stored(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported file type"):
        store_file(tmp_path, "uploads", "a.exe", b"MZ")
    with pytest.raises(ValueError, match="no paragraph of text"):
        store_file(tmp_path, "uploads", "a.txt", b"ok")
    assert not any(tmp_path.rglob("*.*"))


def test_zip_bomb_is_refused_even_when_the_sizes_lie(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"x" * 2_000_000)
    raw = bytearray(buffer.getvalue())
    # forge the declared size in the central directory: only reading may tell
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(ValueError, match="unpacks to more than|damaged"):
        store_upload(tmp_path, "x.zip", bytes(raw), limits=ZipLimits(max_files=5, max_bytes=100_000))
    assert not (tmp_path / "uploads").exists()


def test_remove_stays_inside_the_data_folder(tmp_path: Path) -> None:
    added = store_file(tmp_path, "uploads", "a.txt", ARTICLE)
    with pytest.raises(ValueError, match="not inside"):
        remove_file(tmp_path, "../outside.txt")
    remove_file(tmp_path, added.relative)
    assert not (tmp_path / added.relative).exists() and not meta_path(tmp_path, added.relative).exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1/a", "http://localhost/a", "http://10.1.2.3/", "http://[::1]/",
                                 "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "javascript:x"])
def test_private_and_non_http_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local|only http"):
        check_url(url, allow_private=False)


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/secret")
            self.end_headers()
            return
        body = b"<p>" + b"x" * 5000 + b"</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)  # no Content-Length: the cap must hold while reading

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_caps_the_size_and_checks_every_redirect(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with pytest.raises(FetchError, match="larger than"):
        fetch(server + "/page", FetchLimits(timeout=5, max_bytes=1000, allow_private=True))
    assert len(fetch(server + "/page", FetchLimits(timeout=5, allow_private=True)).body) > 5000
    checked: list[str] = []
    monkeypatch.setattr("retriever.ingest.web.check_url",
                        lambda url, allow: checked.append(url) or Checked("127.0.0.1", "127.0.0.1"))
    with pytest.raises(FetchError, match="could not connect"):
        fetch(server + "/redirect", FetchLimits(timeout=5, allow_private=True))
    assert checked == [server + "/redirect", "http://127.0.0.1:1/secret"]


def test_a_site_trickling_its_headers_is_cut_off_at_the_whole_fetch_deadline() -> None:
    """Each byte restarts the read timeout; the whole fetch still ends at WHOLE_FETCH times the timeout."""
    limits = FetchLimits(timeout=0.5, allow_private=True)
    with trickling_server() as site:
        started = time.monotonic()
        with pytest.raises(FetchError, match="too slowly") as refused:
            fetch(site + "/bai.html", limits)
    assert refused.value.code == "too_slow"
    assert time.monotonic() - started < WHOLE_FETCH * limits.timeout + 1.5


def test_every_refusal_reason_is_said_in_both_languages() -> None:
    import re

    from bot.admins.jobs import reason
    from bot.texts import TEXTS
    from retriever.errors import UnreadableInputError

    root = Path(__file__).resolve().parent.parent
    sources = "".join(p.read_text("utf-8") for folder in ("retriever", "bot") for p in (root / folder).rglob("*.py"))
    codes = set(re.findall(r'(?:UnreadableInputError|FetchError)\(\s*"(\w+)"', sources))
    assert len(codes) >= 20
    for lang in TEXTS:
        assert not {f"reason_{code}" for code in codes} - set(TEXTS[lang]), lang
    error = UnreadableInputError("http_status", "the site answered HTTP 404", status=404)
    assert reason("en", error) == "the site answered HTTP 404" and "lỗi HTTP 404" in reason("vi", error)
    assert reason("vi", ValueError("a <b>")) == "a &lt;b&gt;"


def test_a_zip_in_a_zip_and_an_empty_zip_are_said_as_such(tmp_path: Path) -> None:
    from retriever.errors import UnreadableInputError
    from tests.collection_fixtures import zipped

    inner = zipped({"b.txt": ARTICLE})
    added, rejected = store_upload(tmp_path, "goi.zip", zipped({"a.txt": ARTICLE, "trong.zip": inner}))
    # "send PDF, … or ZIP", said of a ZIP
    codes = [(r.name, getattr(r.error, "code", "")) for r in rejected]
    assert len(added) == 1 and codes == [("trong.zip", "zip_nested")]
    with pytest.raises(UnreadableInputError) as empty:
        store_upload(tmp_path, "rong.zip", zipped({}))
    assert empty.value.code == "zip_empty"  # "nothing could be read (–)"


def test_an_upload_into_a_data_folder_that_is_gone_is_refused_and_does_not_make_it_again(tmp_path: Path) -> None:
    from bot.admins.jobs import reason

    data = tmp_path / "data"  # deleted while the bot served, or a volume not mounted
    with pytest.raises(FileNotFoundError) as refused:
        store_upload(data, "hoi-an.txt", "Hội An\n\nPhố cổ Hội An cấm xe máy từ ngày 1/6.\n".encode())
    # made again around the one upload, the next reindex took every other document out of the collection
    assert not data.exists()
    assert reason("vi", refused.value) == f"không tìm thấy tệp hoặc thư mục ({data})"


class _CodePageName(zipfile.ZipInfo):
    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's own name)
        return self.filename.encode("cp437"), self.flag_bits  # the bytes as they are, no UTF-8 flag


def _windows_zip(names: dict[bytes, str]) -> bytes:
    """A ZIP as Windows' "Send to compressed folder" writes it: names in the system's code page (cp1258 on a
    Vietnamese Windows), without the UTF-8 flag."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for raw_name, text in names.items():
            archive.writestr(_CodePageName(raw_name.decode("cp437")), text.encode())
    return buffer.getvalue()


def _cp1258(text: str) -> bytes:
    """Windows-1258: a vowel with its hat, horn or breve is one byte, its tone a combining mark after it."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    composed = []
    for char in text:
        split = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in split if c not in tones))
        composed.append(base + "".join(c for c in split if c in tones))
    return "".join(composed).encode("cp1258")


def test_a_zip_from_windows_keeps_its_vietnamese_names_and_leaves_office_lock_files_out(tmp_path: Path) -> None:
    other = ARTICLE.decode().replace("thử nghiệm", "khác")
    raw = _windows_zip({_cp1258("Giờ làm việc.txt"): ARTICLE.decode(), _cp1258("~$ch họp.docx"): "x",
                        "Lịch họp.txt".encode(): other})
    added, rejected = store_upload(tmp_path, "van-ban.zip", raw)
    assert sorted(Path(a.relative).name for a in added) == ["Giờ_làm_việc.txt", "Lịch_họp.txt"]
    assert rejected == []  # the lock file Word leaves beside an open file is no document to complain of


def test_a_file_without_a_name_is_read_as_what_it_begins_with() -> None:
    from PIL import Image

    pictures = {}
    for kind, suffix in (("JPEG", ".jpg"), ("PNG", ".png")):  # a phone's "IMG_0042" shared without its suffix
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(out, kind)
        pictures[suffix] = out.getvalue()
    assert {suffix: unnamed_kind(raw) for suffix, raw in pictures.items()} == {".jpg": ".jpg", ".png": ".png"}
    assert unnamed_kind("Thông báo".encode("utf-16")) == ".txt"  # Notepad's "Unicode", by its byte-order mark
    assert unnamed_kind("Thông báo".encode("utf-16-le")) == ""  # without its mark, nothing says what it is
    assert unnamed_kind(bytes(range(256))) == ""


def test_a_file_renamed_to_another_kind_is_read_as_what_it_holds(tmp_path: Path) -> None:
    from tests.documents import DOCX_TITLE, PDF_TITLE, make_docx, make_pdf

    word = make_docx(tmp_path / "bao-cao.docx").read_bytes()
    pdf = make_pdf(tmp_path / "ca-phe.pdf").read_bytes()
    data = tmp_path / "data"
    data.mkdir()
    # a Word file renamed ".pdf" was refused as a damaged PDF
    [added], _ = store_upload(data, "word-that-is.pdf", word)
    assert added.relative.endswith("word-that-is.docx") and added.documents[0].title == DOCX_TITLE
    [added], _ = store_upload(data, "pdf-that-is.DOCX", pdf)
    assert added.relative.endswith("pdf-that-is.pdf") and added.documents[0].title == PDF_TITLE
