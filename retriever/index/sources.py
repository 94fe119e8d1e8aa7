"""Which files make the collection, as both backends see it: a content hash per file, and a fingerprint
of them all with the parser and encoder, so that an unchanged collection is known without parsing."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from embeddings import Encoder
from retriever.ingest.files import file_hash
from retriever.models import SkippedFile

log = logging.getLogger(__name__)

PARSER_VERSION = 2  # bump when ingestion changes what a file turns into
ENCODE_CHUNK = 256  # passages per encoder call


def fingerprint(files: list[tuple[str, str]], encoder: Encoder) -> str:
    digest = hashlib.sha256(f"{PARSER_VERSION}|{encoder.backend}|{encoder.model}".encode())
    for relative, content_hash in sorted(files):
        digest.update(f"{relative}\0{content_hash}\n".encode())
    return digest.hexdigest()


def hash_files(paths: list[Path], data_dir: Path, skipped: list[SkippedFile]) -> dict[str, str]:
    """Content hash of every readable file: enough to tell that nothing changed, without parsing."""
    hashes = {}
    for path in paths:
        try:
            hashes[str(path.relative_to(data_dir))] = file_hash(path, data_dir)
        except OSError as error:
            log.warning("skipping %s: %s", path.relative_to(data_dir), error)
            skipped.append(SkippedFile(str(path.relative_to(data_dir)), str(error)))
    return hashes
