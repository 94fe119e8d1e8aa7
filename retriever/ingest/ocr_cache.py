"""What OCR read of a file, kept in `<data>/.ocr/<file>.json` with the file's hash: the upload, later builds
and the bot's "read by OCR" mark all use it instead of reading the scan again."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict
from pathlib import Path

from retriever.ingest.ocr import OcrOptions, OcrPage, OcrParagraph, OcrReport, report

log = logging.getLogger(__name__)

OCR_DIR = ".ocr"
CACHE_VERSION = 5  # 2: a first page's letterhead read column by column, its motto kept; 3: sideways pages turned;
# 4: a number cut in two at its own mark ("3. 250") joined again; 5: scans under a stamp or an unaccented
# text layer read too, a table's rows named by its header


def cache_path(data_dir: Path, relative: str) -> Path:
    return data_dir / OCR_DIR / f"{relative}.json"


def cached(path: Path | None, raw: bytes) -> list[OcrPage] | None:
    if path is None or not path.is_file():
        return None
    try:
        stored = json.loads(path.read_text("utf-8"))
        if stored.get("version") != CACHE_VERSION or stored.get("sha256") != hashlib.sha256(raw).hexdigest():
            return None
        return _pages(stored["pages"])
    except (OSError, ValueError, TypeError, KeyError) as error:
        log.warning("ignoring %s: %s", path, error)
        return None


def store(path: Path | None, raw: bytes, pages: list[OcrPage]) -> None:
    if path is None:
        return
    payload = {"version": CACHE_VERSION, "sha256": hashlib.sha256(raw).hexdigest(),
               "pages": [asdict(page) for page in pages]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.parent / f".{path.name}.partial"
        temporary.write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
        os.replace(temporary, path)
    except OSError as error:  # a read-only folder: the text is still indexed, only read again next time
        log.warning("could not keep the OCR text of %s: %s", path.name, error)


def read_report(data_dir: Path, relative: str, options: OcrOptions) -> OcrReport | None:
    """The OCR report of a stored file, None when it was not read by OCR."""
    path = cache_path(data_dir, relative)
    try:
        return report(_pages(json.loads(path.read_text("utf-8"))["pages"]), options) if path.is_file() else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _pages(stored: list[dict]) -> list[OcrPage]:
    return [OcrPage(**{**page, "paragraphs": tuple(OcrParagraph(**p) for p in page["paragraphs"])})
            for page in stored]


def read_by_ocr(data_dir: Path, relative: str) -> bool:
    """Whether (part of) the file's text was read by OCR: its quotes say so."""
    return cache_path(data_dir, relative).is_file()
