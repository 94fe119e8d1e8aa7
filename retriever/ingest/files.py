"""The data folder: which files to read, and which converter turns each into Documents.

One bad file is skipped with a warning, never fatal. A file may have a sidecar in `.meta/` (same
relative path plus `.json`: url, title, date, source) that overrides what the file itself says;
uploads and fetched links record their origin there, so a rebuild from the folder keeps it."""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from charset_normalizer import from_bytes

from retriever.errors import DataFolderError, UnreadableInputError
from retriever.ingest.bounded import run_bounded
from retriever.ingest.dates import find_date
from retriever.ingest.jsonl import JsonlNotes, jsonl_documents
from retriever.ingest.legacy import check_unicode
from retriever.ingest.news import ParsedText
from retriever.ingest.ocr import IMAGE_SUFFIXES, OcrJob, OcrOptions, PageProgress
from retriever.ingest.ocr_cache import cache_path
from retriever.ingest.parsers import parse_content
from retriever.ingest.pdf import pdf_document, read_pdf
from retriever.ingest.plaintext import parse_markdown, parse_text
from retriever.ingest.posts import is_post, parse_post
from retriever.ingest.regular import not_a_file, read_capped
from retriever.ingest.scans import parse_image
from retriever.models import Document, SkippedFile
from retriever.text import collapse_spaces, nfc, shortened, strip_controls

log = logging.getLogger(__name__)
# one logger for "this file was left out": a server's operator reads it in the log, while the command line,
# which prints the build's own list of skipped files, quiets it (tracuu/cli.py)
skips = logging.getLogger("retriever.skipped")

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
BINARY_SUFFIXES = {".pdf", ".docx"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | BINARY_SUFFIXES | IMAGE_SUFFIXES
DEFAULT_OCR = OcrOptions()
META_DIR = ".meta"


@dataclass(frozen=True)
class SourceMeta:
    """What an admin or a fetch said about a file, overriding what the file says itself."""

    url: str = ""
    title: str = ""
    date: str = ""
    source: str = ""
    published: str = ""  # the day its source published it (a channel's post): the date of a file naming none


META_KEYS = ("url", "title", "date", "source", "published")  # a sidecar's; one it lacks is "" (older ones)


def meta_path(data_dir: Path, relative: str) -> Path:
    return data_dir / META_DIR / f"{relative}.json"


def write_meta(data_dir: Path, relative: str, meta: SourceMeta) -> None:
    path = meta_path(data_dir, relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sidecar_json(meta), "utf-8")


def sidecar_json(meta: SourceMeta) -> str:
    """What a sidecar holds: `published` only when given, so a sidecar without it reads (and hashes) as it
    did before the field was kept."""
    fields = {key: value for key, value in asdict(meta).items() if key != "published" or value}
    return json.dumps(fields, ensure_ascii=False)


def meta_of(fields: Mapping[str, object]) -> SourceMeta:
    """SourceMeta from a sidecar's (or a held record's) fields: the ones this version knows, each a string.
    Those a newer version added are left out; those an older one lacked are ""."""
    return SourceMeta(**{key: str(fields.get(key) or "") for key in META_KEYS})


def read_meta(data_dir: Path, relative: str) -> SourceMeta:
    path = meta_path(data_dir, relative)
    if not path.is_file():
        return SourceMeta()
    try:
        return meta_of(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, AttributeError) as error:
        log.warning("ignoring %s: %s", path, error)
        return SourceMeta()


def file_hash(path: Path, data_dir: Path) -> str:
    """The file's content and its sidecar's: changing either makes the file "changed"."""
    digest = hashlib.sha256(read_capped(path))
    sidecar = meta_path(data_dir, str(path.relative_to(data_dir)))
    if sidecar.is_file():
        digest.update(b"\0meta\0" + sidecar.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    content_hash: str
    raw: bytes
    meta: SourceMeta = SourceMeta()
    data_dir: Path | None = None  # where the OCR of a scan is kept (retriever/ingest/ocr.py)


def list_files(data_dir: Path) -> tuple[list[Path], list[SkippedFile]]:
    if data_dir.is_file():
        raise DataFolderError(f"Data folder {data_dir} is a file, not a folder: pass the folder that holds it.")
    if not data_dir.is_dir():
        raise DataFolderError(f"Data folder {data_dir} does not exist. Create it or pass --data DIR.")
    if locked := _unreadable_folders(data_dir):
        # rglob passes over a folder it may not list, so its files would look deleted: the build removed
        # them all from the index (from the shared database, on PostgreSQL) and said "0 documents"
        raise DataFolderError(
            f"The folder {locked} cannot be read by this user: give it read access to the data folder. "
            "The index is left as it was."
        )
    files, skipped = [], []
    for path in sorted(data_dir.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(data_dir).parts):
            continue
        relative = str(path.relative_to(data_dir))
        if not valid_name(relative):
            # a name from another system's encoding (Linux keeps the bytes): it could not be stored or
            # shown, and stopped the whole build
            shown = os.fsencode(relative).decode("utf-8", errors="replace")
            skipped.append(SkippedFile(shown, "its name is not valid UTF-8: rename the file"))
        elif (special := not_a_file(path, data_dir)) is not None:  # a device, a pipe, a link elsewhere
            skipped.append(SkippedFile(relative, special))
        elif path.suffix.lower() in SUPPORTED:
            files.append(path)
        else:
            skipped.append(SkippedFile(relative, unsupported(path.suffix), "unsupported"))
    for item in skipped:
        skips.warning("skipping %s: %s", item.path, item.reason)
    return files, skipped


def _unreadable_folders(data_dir: Path) -> str:
    """The first folder under `data_dir` (itself included) that cannot be listed, or ""."""
    locked: list[str] = []
    for _, folders, _ in os.walk(data_dir, onerror=lambda error: locked.append(str(error.filename))):
        folders[:] = [name for name in folders if not name.startswith(".")]  # hidden ones are never read
        if locked:
            break
    return locked[0] if locked else ""


def unsupported(suffix: str) -> str:
    """Why a file in the data folder is not read, and what to do when there is something to do."""
    reason = f"unsupported file type {suffix!r}"
    if suffix.lower() == ".doc":
        return f"{reason}: open it in Word and save it as .docx"
    if suffix.lower() == ".zip":
        return f"{reason}: a ZIP is unpacked when sent to the bot; in the data folder, unpack it"
    if suffix.lower() in _OFFICE:  # a spreadsheet, slides, another editor's document, an e-book
        return f"{reason}: save it as PDF or DOCX (or its text as TXT); read are {READ_TYPES}"
    return reason


_OFFICE = {".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".epub", ".pages", ".csv"}
READ_TYPES = "PDF, DOCX, HTML, MD, TXT, JSONL, JPEG and PNG"


def valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_source(path: Path, data_dir: Path) -> SourceFile:
    relative = str(path.relative_to(data_dir))
    return SourceFile(path, relative, file_hash(path, data_dir), read_capped(path), read_meta(data_dir, relative),
                      data_dir)


# byte-order marks name their encoding (Notepad's "Unicode" is UTF-16 with one); UTF-32's first, as its
# little-endian mark begins with UTF-16's
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF8, "utf-8-sig"))


def decode(source: SourceFile) -> str:
    """Text of a plain-text file: UTF-8, or the encoding its byte-order mark names, or failing both the
    one charset-normalizer recognises (Windows' Vietnamese cp1258, Western cp1252, UTF-16 without a
    mark), so that an older file is read as written rather than with its accented letters replaced.
    A file none of these reads is refused with the reason, not indexed as noise."""
    raw = source.raw
    for bom, codec in BOMS:
        if raw.startswith(bom):
            try:
                return nfc(raw.decode(codec))
            except UnicodeDecodeError:
                raise UnreadableInputError("not_text", f"not {codec} text despite its byte-order mark") from None
    try:
        return nfc(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        first_bad = error.start
    text = raw.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    # UTF-8 with a byte or two damaged: more of its letters beyond ASCII decode than fail. A legacy
    # encoding's accented letters almost never form UTF-8 sequences, and guessed, such a file was taken
    # for cp1250 and every Vietnamese letter garbled
    if sum(1 for char in text if char > "\x7f") - damaged > damaged and "\x00" not in text:
        log.warning("%s is not valid UTF-8 (byte %d): undecodable bytes replaced; save it as UTF-8",
                    source.relative, first_bad)
        return nfc(text)
    guess = from_bytes(raw).best()
    if guess is not None and "\x00" not in str(guess):
        log.warning("%s is not UTF-8: read as %s; save it as UTF-8", source.relative, guess.encoding)
        return nfc(str(guess))
    if "\x00" in text:
        raise UnreadableInputError("not_text", "binary content, not text")
    check_unicode(raw.decode("latin-1"))  # a file typed in TCVN3 or VNI: converting it, not saving it, helps
    raise UnreadableInputError("encoding", "not UTF-8, and no other encoding reads it; save it as UTF-8")


def parse_source(
    source: SourceFile, ocr: OcrOptions = DEFAULT_OCR, progress: PageProgress | None = None,
    notes: JsonlNotes | None = None,
) -> list[Document]:
    """Documents in one file. Raises ValueError (with the reason) for a file that cannot be read. PDF,
    Word and HTML are parsed in a child process within memory and time limits (`bounded`). Scans and
    photos are read with `ocr` (each page within its own limits), telling `progress` of each page done.
    A JSONL file's lines that are left out are written to `notes`, for the admin who sent it."""
    suffix = source.path.suffix.lower()
    if not source.raw.strip():  # explained as "no paragraph of text found", an empty file read as a puzzle
        raise UnreadableInputError("empty", "the file is empty")
    cache = cache_path(source.data_dir, source.relative) if source.data_dir is not None else None
    job = OcrJob(ocr, cache, progress)
    if suffix == ".pdf":
        # the text layer is read under the parse limits; pages without one are read by OCR here, page by
        # page, so that a long scan is not stopped by the limit meant for one parse
        parsed = pdf_document(run_bounded(read_pdf, source.raw), source.raw, source.path.stem, job)
    elif suffix in BINARY_SUFFIXES:
        parsed = run_bounded(parse_content, suffix, source.raw, source.path.stem)
    elif suffix in IMAGE_SUFFIXES:
        parsed = parse_image(source.raw, source.path.stem, job)
    else:
        text = decode(source)
        if "\x00" in text:
            raise UnreadableInputError("not_text", "binary content, not text")
        if suffix in JSONL_SUFFIXES:
            return [overridden(d, source.meta) for d in jsonl_documents(source.relative, text, notes)]
        if suffix in HTML_SUFFIXES:
            parsed = run_bounded(parse_content, suffix, text, source.path.stem)
        elif suffix == ".txt" and is_post(source.relative):
            parsed = parse_post(text, source.path.stem)
        elif suffix == ".txt":
            parsed = parse_text(text, source.path.stem)
        else:
            parsed = parse_markdown(text, source.path.stem)
    check_unicode(" ".join([parsed.title, *(paragraph.text for paragraph in parsed.paragraphs[:50])]))
    return [overridden(_document(source, parsed), source.meta)]


def _document(source: SourceFile, parsed: ParsedText) -> Document:
    return Document(
        key=source.relative,
        path=source.relative,
        title=parsed.title,
        title_derived=parsed.title_derived,
        date=parsed.date,
        source=parsed.source,
        url=parsed.url,
        paragraphs=parsed.paragraphs,
        content_hash=source.content_hash,
    )


# a title and a source go into every quote's source line, inline card and admin list, where a message holds
# 4,096 characters: a Word file's first "heading" a paragraph long, or a JSONL record's title of 5,000, made
# every answer from the file too long to send
TITLE_MAX_CHARS = 250
SOURCE_MAX_CHARS = 120


def overridden(document: Document, meta: SourceMeta) -> Document:
    """`document` as `meta` (a caption, a sidecar) names it: its title, date, source and link."""
    # titles and sources are shown to readers and printed to terminals: no control or bidi characters
    return replace(
        document,
        title=shortened(collapse_spaces(strip_controls(meta.title or document.title)), TITLE_MAX_CHARS),
        title_derived=document.title_derived and not meta.title,
        date=find_date(meta.date) or document.date or find_date(meta.published),
        source=shortened(collapse_spaces(strip_controls(meta.source or document.source)), SOURCE_MAX_CHARS),
        url=meta.url or document.url,
    )
