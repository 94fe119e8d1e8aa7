"""Which files make the collection, as both backends see it: a content hash per file, and a fingerprint
of them all with the parser and encoder, so that an unchanged collection is known without parsing."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from embeddings import Encoder
from retriever.ingest.files import file_hash, meta_path
from retriever.models import SkippedFile

log = logging.getLogger(__name__)

# bump when ingestion changes what a file turns into (3: text files that are not UTF-8 read in their encoding,
# Vietnamese dates in words, official documents, two-column PDF pages, ads in web pages, hyphens kept; 4:
# section headings and an FAQ's questions are the context of the paragraphs under them, not passages; 5: the
# same in PDFs and Word files, a numbered question is one, an FAQ's short answers and short headings are kept;
# a web page's and a Markdown file's table rows name their columns, Markdown's bullets and closing #s dropped;
# 6: a line that labels a section by the document's structure, "Điều 12. …", "II. NHIỆM VỤ", "2.1. …", is a
# heading in text, scans, plain PDFs and Word files without heading styles; a list's short items are kept under
# their heading; a hand-made web page keeps the headings and lists trafilatura dropped; a channel's posts are
# read as posts; an official document's
# recipients and signature are not passages; 7: a short bold line over text heads it, in
# Word files, web pages and Markdown; titles and sources are capped, 250 and 120 characters; 8: Word's tracked
# insertions and content controls are read, Markdown's inline syntax as its text and its wrapped lines as one
# paragraph, a JSONL record's timestamp as its day; a PDF's ragged columns, contents page, running header,
# byline and footnotes; 9: an official document's letterhead and signature in Word tables or printed in two
# columns, dates written 12-05-2025 or with "(GMT+7)", Markdown's front matter and code fences, hard-wrapped
# lines going on with a number, a long paragraph's pieces marked "…", a lead set as a heading, a JSONL record's
# "content" or "body" and numeric date; 10: a scan's two-column letterhead read column by column)
PARSER_VERSION = 10
ENCODE_CHUNK = 256  # passages per encoder call


def fingerprint(files: list[tuple[str, str]], encoder: Encoder) -> str:
    digest = hashlib.sha256(f"{PARSER_VERSION}|{encoder.backend}|{encoder.model}".encode())
    for relative, content_hash in sorted(files):
        digest.update(f"{relative}\0{content_hash}\n".encode())
    return digest.hexdigest()


def hash_files(paths: list[Path], data_dir: Path, skipped: list[SkippedFile]) -> dict[str, str]:
    """Content hash of every readable file: enough to tell that nothing changed, without parsing."""
    return hash_changed(paths, data_dir, skipped, FileStates())[0]


@dataclass(frozen=True)
class FileStates:
    """Each file's hash with what the file looked like when it was taken (inode, size, modification and
    change times, its sidecar's too), and when they were taken. Hashing every file read the whole data
    folder on every update (0.44 s of an addition at 926k passages, 535 MB); a file that still looks the
    same is not read again. A write, `touch`, copy or restore changes its change time or inode."""

    files: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    taken_ns: int = 0

    def save(self, path: Path) -> None:
        data = {"taken_ns": self.taken_ns, "files": {rel: [list(state), digest] for rel, (state, digest)
                                                     in self.files.items()}}
        path.write_text(json.dumps(data), "utf-8")

    @staticmethod
    def load(path: Path) -> FileStates:
        """The states a generation recorded; none where it has none or they cannot be read (all hashed)."""
        try:
            data = json.loads(path.read_text("utf-8"))
            files = {rel: (tuple(int(n) for n in state), str(digest)) for rel, (state, digest) in data["files"].items()}
            return FileStates(files, int(data["taken_ns"]))
        except (OSError, ValueError, KeyError, TypeError):
            return FileStates()


# a file changed within this long before the hashes were taken may change again within the clock's
# resolution without its times showing it: it is hashed again next time
RACY_NS = 2_000_000_000


def hash_changed(
    paths: list[Path], data_dir: Path, skipped: list[SkippedFile], known: FileStates
) -> tuple[dict[str, str], FileStates]:
    """`hash_files`, reading only the files that do not look as they did in `known`; and their states now."""
    taken = time.time_ns()
    hashes: dict[str, str] = {}
    states: dict[str, tuple[tuple[int, ...], str]] = {}
    for path in paths:
        relative = str(path.relative_to(data_dir))
        try:
            state = _state(path, data_dir, relative)
            held = known.files.get(relative)
            settled = max(state[2], state[3], state[-2], state[-1]) < known.taken_ns - RACY_NS
            digest = held[1] if held is not None and held[0] == state and settled else file_hash(path, data_dir)
        except OSError as error:
            log.warning("skipping %s: %s", relative, error)
            skipped.append(SkippedFile(relative, str(error)))
            continue
        hashes[relative] = digest
        states[relative] = (state, digest)
    return hashes, FileStates(states, taken)


def _state(path: Path, data_dir: Path, relative: str) -> tuple[int, ...]:
    found = path.stat()
    sidecar = meta_path(data_dir, relative)
    side = sidecar.stat() if sidecar.is_file() else None
    return (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns,
            *((side.st_ino, side.st_size, side.st_mtime_ns, side.st_ctime_ns) if side else (-1, -1, -1, -1)))


def skips_record(skipped: list[SkippedFile]) -> list[list[Any]]:
    """The files a build could not read, as its manifest (or the database's metadata) keeps them: path,
    reason, and where known the reason's code and details (a record of two is from before they were kept)."""
    return [[item.path, item.reason, item.code, dict(item.details)] if item.code else [item.path, item.reason]
            for item in skipped]


def still_skipped(record: object, listed: list[SkippedFile], hashes: dict[str, str]) -> tuple[SkippedFile, ...]:
    """An unchanged collection is not read again, so the files its last build could not read would go
    unmentioned: those of them still there as they were (`hashes`: the same fingerprint) are named again
    from that build's `record`, after the ones listing the folder skipped now."""
    named = {item.path for item in listed}
    remembered = [
        _skipped(item) for item in (record if isinstance(record, list) else [])
        if isinstance(item, list) and len(item) in (2, 4) and all(isinstance(part, str) for part in item[:3])
        and item[0] in hashes and item[0] not in named
    ]
    return (*listed, *remembered)


def _skipped(item: list[Any]) -> SkippedFile:
    details = item[3] if len(item) == 4 and isinstance(item[3], dict) else {}
    return SkippedFile(item[0], item[1], item[2] if len(item) == 4 else "",
                       tuple((str(k), str(v)) for k, v in details.items()))
