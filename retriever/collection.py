"""Files entering and leaving the collection from outside the shell: uploads, ZIPs, fetched pages.

Every file is parsed before it is stored, so a file that cannot be read changes nothing. Where the originals
are kept is the backend's (`retriever.originals`): the data folder, or the database every replica shares.
Names are made safe (no path parts, no hidden files) and never replace a different file: a second upload
with the same name and other content is kept apart as `name-2.pdf`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from retriever.errors import UnreadableInputError
from retriever.ingest.files import DEFAULT_OCR, SUPPORTED, SourceFile, SourceMeta, overridden, parse_source
from retriever.ingest.jsonl import JsonlNotes
from retriever.ingest.news import NO_PARAGRAPHS
from retriever.ingest.ocr import OcrOptions, OcrReport, PageProgress
from retriever.ingest.ocr_cache import cache_path, read_report
from retriever.ingest.web import Fetched, link_key, page_address
from retriever.models import Document
from retriever.originals import LINKS, UPLOADS, Originals, meta_bytes, originals_of, source_hash
from retriever.originals import write_file as write_file
from retriever.zips import ZipLimits as ZipLimits
from retriever.zips import zip_members

__all__ = ["LINKS", "UPLOADS", "Added", "Rejected", "ZipLimits", "remove_file", "store_page", "store_upload",
           "write_file"]
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json"})
MAX_NAME = 80
MAX_NAME_BYTES = 200  # in UTF-8, with room for "-2" and the ".….partial" a write goes through
NO_META = SourceMeta()
CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


@dataclass(frozen=True)
class Added:
    relative: str
    documents: tuple[Document, ...]
    duplicate: bool  # the very same file was already there: nothing new to index
    ocr: OcrReport | None = None  # how well a scan or photo was read
    # a JSONL file's lines left out: not documents, or a date not understood
    lines: JsonlNotes = field(default_factory=JsonlNotes)
    beside: str = ""  # another file already had this name: it stays, and this one is stored under `relative`
    sent_as: str = ""  # the very same file was there under another name (`relative`): the name it was sent as
    # a link: the address the page is held under, when the one sent (`sent_as`) is another form of it
    same_page: str = ""


@dataclass(frozen=True)
class Rejected:
    name: str
    error: ValueError

    @property
    def reason(self) -> str:
        return str(self.error)


def safe_name(name: str) -> str:
    """A plain file name: the last path part, no control or shell-special characters, not hidden."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[^\w.\-]+", "_", base).strip("._") or "file"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    whole = stem
    stem = stem[: MAX_NAME - len(suffix) - 1]
    # file systems count bytes (255 on ext4), and a letter may take four: 80 of "𠀀" did not fit
    while len(f"{stem}.{suffix}".encode()) > MAX_NAME_BYTES and len(stem) > 1:
        stem = stem[:-1]
    if stem != whole:  # cut: what tells two long names apart is often their end ("…-dot-1", "…-dot-2"), so the
        # whole name's digest stands in for what was cut, and another name is never taken for the same file
        stem = f"{stem[: len(stem) - 7]}-{hashlib.sha256(whole.encode()).hexdigest()[:6]}"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def store_file(where: Path | Originals, folder: str, name: str, raw: bytes, meta: SourceMeta = NO_META,
               ocr: OcrOptions = DEFAULT_OCR, progress: PageProgress | None = None) -> Added:
    """Parse `raw` as the file `name` (scans and photos read with `ocr`), then store it under `folder`.
    Raises ValueError with the reason."""
    originals = originals_of(where)
    sent, name = name, safe_name(name)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableInputError(
            "unsupported",
            f"unsupported file type {suffix or '(none)'!r}: send PDF, DOCX, HTML, MD, TXT, JSONL, JPEG, PNG or ZIP",
        )
    relative, duplicate = _place(originals, f"{folder}/{name}", raw)
    if duplicate and meta == NO_META:
        meta = originals.meta(relative)  # what the index read it with: the reply must say the same
    # the same bytes with a new caption: its title, date or source change, so it is no "unchanged" copy
    duplicate = duplicate and meta == originals.meta(relative)
    sidecar = None if meta == NO_META else meta
    digest = source_hash(raw, meta_bytes(sidecar))
    sent_as = ""
    # looked for among all the uploads, a ZIP's folder included: a file sent alone, then again in a ZIP (or in
    # a second ZIP), was kept twice and its paragraph quoted twice
    if not duplicate and (same := originals.holding(PurePosixPath(folder).parts[0], raw, digest)) is not None:
        # the same bytes under another name ("Lễ hội (bản sao).txt"): the stored one is the article, once
        sent_as, relative, duplicate = sent, same, True
    cache = originals.cache_dir  # where OCR keeps what it read (None: read again when indexed)
    notes = JsonlNotes()
    try:
        documents = parse_source(SourceFile(Path(name), relative, digest, raw, meta, cache), ocr, progress, notes)
        if not any(document.paragraphs for document in documents):
            raise UnreadableInputError("no_paragraphs", NO_PARAGRAPHS)
    except ValueError:
        if not duplicate and cache is not None:  # what OCR kept of a file that is not added goes too
            cache_path(cache, relative).unlink(missing_ok=True)
        raise
    if not sent_as:
        originals.write(relative, raw, sidecar)
    report = read_report(cache, relative, ocr) if cache is not None else None
    beside = "" if duplicate or relative == f"{folder}/{name}" else f"{folder}/{name}"
    return Added(relative, tuple(documents), duplicate, report, notes, beside, sent_as)


def store_upload(
    where: Path | Originals, name: str, raw: bytes, meta: SourceMeta = NO_META, limits: ZipLimits = ZipLimits(),  # noqa: B008 (frozen)
    ocr: OcrOptions = DEFAULT_OCR, progress: PageProgress | None = None,
) -> tuple[list[Added], list[Rejected]]:
    """One file, or each supported member of a ZIP (within `limits`). Raises ValueError for a whole-file
    failure; a bad member of a ZIP is only rejected."""
    if not PurePosixPath(name).suffix and (suffix := unnamed_kind(raw)):
        name += suffix  # "baocao", as a phone or a chat app names what it shares: read as what it holds
    elif (suffix := PurePosixPath(name).suffix.lower()) in _SIGNED and (held := _signed(raw)) \
            and _SIGNED[suffix] != held:
        # a Word file renamed "….pdf" (or a PDF "….docx") was refused as a damaged PDF: the admin went to
        # export it again. Its first bytes say what it is, and it is read and kept as that
        name = f"{PurePosixPath(name).stem}{held}"
    if PurePosixPath(name).suffix.lower() != ".zip":
        return [store_file(where, UPLOADS, name, raw, meta, ocr, progress)], []
    members = zip_members(raw, limits)
    folder = f"{UPLOADS}/{safe_name(PurePosixPath(name).stem)}"
    added, rejected = [], []
    if not members:
        raise UnreadableInputError("zip_empty", "the ZIP holds no file")
    for member, content in members:
        try:
            if PurePosixPath(member).suffix.lower() == ".zip":  # not "send a ZIP", said of a ZIP
                raise UnreadableInputError("zip_nested", "a ZIP inside the ZIP is not unpacked: send it on its own")
            added.append(store_file(where, folder, member, content, meta, ocr))
        except ValueError as error:
            rejected.append(Rejected(member, error))
    return added, rejected


def store_page(
    where: Path | Originals, fetched: Fetched, meta: SourceMeta = NO_META, fallback: SourceMeta = NO_META
) -> Added:
    """A fetched link, named after its URL: fetching the same URL again updates the same file, and so does
    another form of it (`link_key`: a slash, `www.`, http), which keeps the address first sent. `fallback`: the
    date and source to keep where the page names none (a feed's item date and title)."""
    originals = originals_of(where)
    kind = fetched.content_type.split(";")[0].strip().lower()
    suffix = CONTENT_TYPES.get(kind) or PurePosixPath(urlsplit(fetched.url).path).suffix.lower()
    if suffix not in SUPPORTED and kind in {"", "application/octet-stream"}:
        suffix = _sniffed(fetched.body) or suffix
    if kind in FEED_TYPES or (kind in {"application/xml", "text/xml", ""} and _looks_like_feed(fetched.body)):
        raise UnreadableInputError(
            "feed_link", f"{fetched.url} is an RSS/Atom feed, not an article: follow it with /feeds add",
            url=fetched.url,
        )
    if suffix not in SUPPORTED or suffix == ".jsonl":
        raise UnreadableInputError(
            "not_document", f"the link is not a web page or a document ({kind or 'unknown type'})", kind=kind or "?"
        )
    address = page_address(fetched.url)
    parts = urlsplit(address)
    slug = re.sub(r"[^\w]+", "-", PurePosixPath(parts.path).stem or "index").strip("-")[:50] or "index"
    tag = hashlib.sha256(address.encode()).hexdigest()[:8]
    name = f"{safe_name(parts.hostname or 'site')}/{slug}-{tag}{suffix}"
    relative, sent_as, held = f"{LINKS}/{name}", "", ""
    if originals.read(relative) is None and (found := held_page(originals, address, suffix)):
        relative, held = found
        sent_as = address
    meta = SourceMeta(url=meta.url or held or address, title=meta.title, date=meta.date, source=meta.source)
    documents = parse_source(SourceFile(Path(relative), relative, source_hash(fetched.body, meta_bytes(meta)),
                                        fetched.body, meta, originals.cache_dir))
    filled = replace(meta, date=meta.date or ("" if any(d.date for d in documents) else fallback.date),
                     source=meta.source or ("" if any(d.source for d in documents) else fallback.source))
    if filled != meta:  # kept in the sidecar, so that every later build reads it the same
        meta, digest = filled, source_hash(fetched.body, meta_bytes(filled))
        documents = [replace(overridden(document, meta), content_hash=digest) for document in documents]
    if not any(document.paragraphs for document in documents):
        raise UnreadableInputError("no_paragraphs", NO_PARAGRAPHS)
    duplicate = originals.read(relative) == fetched.body
    originals.write(relative, fetched.body, meta)
    return Added(relative, tuple(documents), duplicate, sent_as=sent_as, same_page=held)


def held_page(originals: Originals, address: str, suffix: str = "") -> tuple[str, str] | None:
    """The stored link that is the same page as `address`, and the address it was stored with; with `suffix`,
    of the same kind, as the file's suffix says how it is read. None when the collection holds none."""
    key = link_key(address)
    return next(((relative, url) for relative, url in sorted(originals.addresses(LINKS).items())
                 if (not suffix or PurePosixPath(relative).suffix == suffix) and link_key(url) == key), None)


def _sniffed(body: bytes) -> str:
    """A page served without its type (no Content-Type, or a generic one): told by how it begins."""
    head = body[:1000].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return ".pdf"
    return ".html" if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:300] else ""


# how image files begin: a phone's "IMG_0042" shared without its ".jpg"
_IMAGES = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"))
_WEBP = re.compile(rb"^RIFF....WEBP", re.DOTALL)


# the kinds whose files say what they are in their first bytes, by suffix (as `_signed` names them)
_SIGNED = {".pdf": ".pdf", ".docx": ".docx", ".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".webp": ".webp"}


def _signed(raw: bytes) -> str:
    """The suffix a PDF, a Word file or a JPEG, PNG or WebP image has, told by its first bytes; "" for any other."""
    if raw.startswith(b"%PDF-"):
        return ".pdf"
    if raw.startswith(b"PK\x03\x04"):
        return ".docx" if b"word/document.xml" in raw[:65536] or b"word/" in raw[:4096] else ""
    if _WEBP.match(raw):
        return ".webp"
    return next((suffix for magic, suffix in _IMAGES if raw.startswith(magic)), "")


def unnamed_kind(raw: bytes) -> str:
    """The suffix a file sent without one should have, told by what it begins with: a PDF, a web page, a Word
    file, a JPEG, PNG or WebP image, or text (UTF-8, or any encoding its byte-order mark names); "" when none."""
    if sniffed := _sniffed(raw):
        return sniffed
    if kind := _signed(raw):
        return kind
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode": read by its mark
        return ".txt"
    try:
        text = raw[:65536].decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < 65536 - 4:  # not a character cut at the end of the sample
            return ""
        text = raw[: error.start].decode("utf-8")
    return ".txt" if text.strip() and "\x00" not in text else ""


def _looks_like_feed(body: bytes) -> bool:
    head = body[:2000].lstrip().lower()
    return b"<rss" in head or (b"<feed" in head and b"atom" in head)


def remove_file(where: Path | Originals, relative: str) -> None:
    """Delete a stored original, its metadata and what OCR kept of it; refuses paths outside the collection."""
    originals_of(where).remove(relative)


def _place(originals: Originals, relative: str, raw: bytes) -> tuple[str, bool]:
    """Where `raw` goes: `relative` when free or holding the same bytes, else the first free `-N` version."""
    path = PurePosixPath(relative)
    for version in range(1, 1000):
        candidate = str(path if version == 1 else path.with_name(f"{path.stem}-{version}{path.suffix}"))
        stored = originals.read(candidate)
        if stored is None:
            return candidate, False
        if stored == raw:
            return candidate, True
    raise UnreadableInputError("versions", f"too many versions of {path.name}: rename the file")
