"""Read the data folder into Documents. One bad file is skipped with a warning, never fatal."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from retriever.errors import DataFolderError
from retriever.models import Document, Paragraph, SkippedFile
from retriever.news import derive_title, find_date, parse_news_text
from retriever.text import collapse_spaces, nfc, word_count

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
        return list(_jsonl_documents(source, text))
    if suffix in HTML_SUFFIXES:
        from retriever.html import parse_html

        parsed = parse_html(text)
    else:
        parsed = parse_news_text(_strip_markdown(text) if suffix != ".txt" else text, source.path.stem)
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


def _strip_markdown(text: str) -> str:
    """Headings and emphasis markers are markup, not text; a `# Title` line is the headline."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#"):
            line = stripped.lstrip("#").strip()
        lines.append(line.replace("**", "").replace("__", ""))
    return "\n".join(lines)


def _jsonl_documents(source: SourceFile, text: str) -> Iterator[Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            body = str(record["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            log.warning(
                "%s line %d skipped: not a JSON object with a 'text' field (%s)", source.relative, number, error
            )
            continue
        record_id = str(record.get("id") or number)
        paragraphs = tuple(
            Paragraph(collapse_spaces(block)) for block in body.split("\n") if word_count(block) > 0
        )
        title = collapse_spaces(str(record.get("title") or "")).replace("_", " ")
        line_hash = hashlib.sha256(line.encode("utf-8")).hexdigest()
        yield Document(
            key=f"{source.relative}#{record_id}",
            path=source.relative,
            title=title or derive_title(paragraphs[0].text if paragraphs else ""),
            title_derived=not title,
            date=find_date(str(record.get("date") or "")),
            source=str(record.get("source") or ""),
            url=str(record.get("url") or ""),
            paragraphs=paragraphs,
            content_hash=line_hash,
        )
