"""The data folder: which files to read, and which converter turns each into Documents.

One bad file is skipped with a warning, never fatal."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from retriever.errors import DataFolderError
from retriever.ingest.html import parse_html
from retriever.ingest.jsonl import jsonl_documents
from retriever.ingest.plaintext import parse_markdown, parse_text
from retriever.models import Document, SkippedFile
from retriever.text import nfc

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    content_hash: str
    raw: bytes


def list_files(data_dir: Path) -> tuple[list[Path], list[SkippedFile]]:
    if not data_dir.is_dir():
        raise DataFolderError(f"Data folder {data_dir} does not exist. Create it or pass --data DIR.")
    files, skipped = [], []
    for path in sorted(data_dir.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(data_dir).parts):
            continue
        if path.suffix.lower() in SUPPORTED:
            files.append(path)
        else:
            skipped.append(SkippedFile(str(path.relative_to(data_dir)), f"unsupported file type {path.suffix!r}"))
    for item in skipped:
        log.warning("skipping %s: %s", item.path, item.reason)
    return files, skipped


def read_source(path: Path, data_dir: Path) -> SourceFile:
    raw = path.read_bytes()
    return SourceFile(path, str(path.relative_to(data_dir)), hashlib.sha256(raw).hexdigest(), raw)


def decode(source: SourceFile) -> str:
    try:
        text = source.raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.warning(
            "%s is not valid UTF-8 (byte %d): undecodable bytes replaced; save it as UTF-8",
            source.relative,
            error.start,
        )
        text = source.raw.decode("utf-8", errors="replace")
    return nfc(text)


def parse_source(source: SourceFile) -> list[Document]:
    """Documents in one file. Raises ValueError (with the reason) for a file that cannot be read."""
    suffix = source.path.suffix.lower()
    text = decode(source)
    if "\x00" in text:
        raise ValueError("binary content, not text")
    if suffix in JSONL_SUFFIXES:
        return list(jsonl_documents(source.relative, text))
    if suffix in HTML_SUFFIXES:
        parsed = parse_html(text)
    elif suffix == ".txt":
        parsed = parse_text(text, source.path.stem)
    else:
        parsed = parse_markdown(text, source.path.stem)
    return [
        Document(
            key=source.relative,
            path=source.relative,
            title=parsed.title,
            title_derived=parsed.title_derived,
            date=parsed.date,
            source=parsed.source,
            url="",
            paragraphs=parsed.paragraphs,
            content_hash=source.content_hash,
        )
    ]
