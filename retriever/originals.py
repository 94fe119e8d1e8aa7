"""Where the originals of admins' uploads, fetched links and feed items are kept.

The local backend keeps them in its one writable data folder (`FolderOriginals`). With INDEX_BACKEND=postgres
the database is the collection: the originals are written into it in the same transaction as their passages
(`retriever.index.postgres.originals`), so every replica sees them whatever its own data folder holds.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path, PurePosixPath
from typing import Protocol

from retriever.ingest.files import META_DIR, SourceMeta, meta_of, meta_path, read_meta, sidecar_json, write_meta
from retriever.ingest.ocr_cache import cache_path

UPLOADS = "uploads"
LINKS = "links"


class Originals(Protocol):
    """The originals of the collection, by relative path (`uploads/a.pdf`)."""

    cache_dir: Path | None  # where OCR keeps what it read of a scan (None: nowhere, it is read again)

    def read(self, relative: str) -> bytes | None:
        """The stored original, or None when there is none."""
        ...

    def meta(self, relative: str) -> SourceMeta:
        """What the admin or the fetch said about the stored original (empty when nothing)."""
        ...

    def write(self, relative: str, raw: bytes, meta: SourceMeta | None) -> None:
        """Keep `raw` (and what the admin or the fetch said about it) under `relative`."""
        ...

    def remove(self, relative: str) -> None:
        ...

    def holding(self, folder: str, raw: bytes, digest: str) -> str | None:
        """A stored file under `folder` with these very bytes and metadata (`digest`: their `source_hash`),
        or None: an upload sent again under another name is not a second copy."""
        ...

    def addresses(self, folder: str) -> dict[str, str]:
        """The web address each stored file under `folder` was fetched from (its metadata's `url`), by path:
        a link sent again in another form is compared with these."""
        ...


def check_relative(relative: str) -> str:
    """A path inside the collection: no absolute paths, no `..`."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{relative} is not inside the data folder")
    return str(path)


def origin_of(relative: str, folder_origin: str) -> str:
    """`upload` and `link` for the bot's own folders, else the folder the file was imported from."""
    first = PurePosixPath(relative).parts[0]
    return {UPLOADS: "upload", LINKS: "link"}.get(first, folder_origin)


def meta_bytes(meta: SourceMeta | None) -> bytes | None:
    """The sidecar's bytes, as `write_meta` writes them (None: no sidecar)."""
    return None if meta is None else sidecar_json(meta).encode()


def parse_meta(text: str | None) -> SourceMeta:
    """A sidecar's JSON (None: no sidecar) as SourceMeta."""
    return meta_of(json.loads(text) if text else {})


def source_hash(raw: bytes, sidecar: bytes | None) -> str:
    """The same hash as `retriever.ingest.files.file_hash` gives the file with its sidecar."""
    digest = hashlib.sha256(raw)
    if sidecar is not None:
        digest.update(b"\0meta\0" + sidecar)
    return digest.hexdigest()


class FolderOriginals:
    """The local backend: files (and `.meta/` sidecars) in the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.cache_dir: Path | None = data_dir

    def read(self, relative: str) -> bytes | None:
        target = self.data_dir / relative
        return target.read_bytes() if target.is_file() else None

    def meta(self, relative: str) -> SourceMeta:
        return read_meta(self.data_dir, relative)

    def write(self, relative: str, raw: bytes, meta: SourceMeta | None) -> None:
        if not self.data_dir.is_dir():
            # gone while serving (deleted, an unmounted volume): made again around this one file, the next
            # reindex mirrored it and took every other document out of the collection, with a ✅
            raise FileNotFoundError(errno.ENOENT, "the data folder is missing", str(self.data_dir))
        write_file(self.data_dir / check_relative(relative), raw)
        if meta is not None:
            write_meta(self.data_dir, relative, meta)

    def holding(self, folder: str, raw: bytes, digest: str) -> str | None:
        # the uploads' folder only, by size first: an admin's files, hundreds to thousands of stat calls
        root = self.data_dir / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            relative = path.relative_to(self.data_dir).as_posix()
            if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
                continue
            if path.stat().st_size == len(raw) and path.read_bytes() == raw:
                stored = self.meta(relative)
                if source_hash(raw, meta_bytes(None if stored == SourceMeta() else stored)) == digest:
                    return relative
        return None

    def addresses(self, folder: str) -> dict[str, str]:
        # the sidecars alone: one small JSON file a link, and only the links' folder
        root = self.data_dir / META_DIR
        found = {}
        for path in (root / folder).rglob("*.json") if (root / folder).is_dir() else ():
            relative = path.relative_to(root).as_posix().removesuffix(".json")
            if (url := self.meta(relative).url) and (self.data_dir / relative).is_file():
                found[relative] = url
        return found

    def remove(self, relative: str) -> None:
        root = self.data_dir.resolve()
        target = (self.data_dir / relative).resolve()
        if root not in target.parents:
            raise ValueError(f"{relative} is not inside the data folder")
        target.unlink(missing_ok=True)
        meta_path(self.data_dir, relative).unlink(missing_ok=True)
        cache_path(self.data_dir, relative).unlink(missing_ok=True)


def write_file(target: Path, raw: bytes) -> None:
    """Write beside the target, then rename: a build never reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.partial"
    temporary.write_bytes(raw)
    os.replace(temporary, target)


def originals_of(where: Path | Originals) -> Originals:
    return FolderOriginals(where) if isinstance(where, Path) else where
