"""Files removed from the collection are set aside for a while, so that a removal can be undone.

A removed file (and its `.meta/` sidecar) moves to `DATA_DIR/.removed/<token>/`, a hidden folder the
index never reads. Undo moves it back; files older than the keeping time are deleted for good.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path

from retriever.errors import UnreadableInputError
from retriever.ingest.files import META_DIR, meta_path

TRASH_DIR = ".removed"
ABOUT = "removed.json"


def set_aside(
    data_dir: Path, relative: str, keep_seconds: float, *, title: str = "", now: float | None = None,
    token: str = "",
) -> str | None:
    """Move `relative` out of the collection; returns the token that restores it (None: deleted at once,
    when nothing is kept). Refuses paths outside the data folder. `token`: the one to set it aside under,
    chosen before; when that removal already set it aside (a removal run again after a restart cut it off
    before its admin was told), that token, as the first run would have said: run again, the file was not
    there and the admin was told it could not be undone, with no ↩ Undo for the file kept."""
    now = time.time() if now is None else now
    root = data_dir.resolve()
    target = (data_dir / relative).resolve()
    if root not in target.parents:
        raise ValueError(f"{relative} is not inside the data folder")
    purge(data_dir, keep_seconds, now)
    if token and _set_aside_under(data_dir, token, relative):
        return token
    sidecar = meta_path(data_dir, relative)
    if keep_seconds <= 0 or not target.is_file():
        target.unlink(missing_ok=True)
        sidecar.unlink(missing_ok=True)
        return None
    token = token if token.isalnum() and not (data_dir / TRASH_DIR / token).exists() else secrets.token_hex(6)
    place = data_dir / TRASH_DIR / token
    _move(target, place / "file" / relative)
    if sidecar.is_file():
        _move(sidecar, place / META_DIR / f"{relative}.json")
    about = {"relative": relative, "title": title, "removed_at": now}
    (place / ABOUT).write_text(json.dumps(about, ensure_ascii=False), "utf-8")
    return token


def _set_aside_under(data_dir: Path, token: str, relative: str) -> bool:
    """Whether `relative` is set aside under `token`, and not restored since."""
    about = data_dir / TRASH_DIR / token / ABOUT
    if not token.isalnum() or not about.is_file():
        return False
    try:
        said = json.loads(about.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(said.get("relative") == relative and not said.get("restored"))


def restore(data_dir: Path, token: str) -> tuple[str, str] | None:
    """Put the file set aside under `token` back where it was; returns its path and title, or None when it
    is gone (kept too long, or restored already)."""
    place = data_dir / TRASH_DIR / token
    if not token.isalnum() or not (place / ABOUT).is_file():
        return None
    about = json.loads((place / ABOUT).read_text("utf-8"))
    relative, title = str(about["relative"]), str(about.get("title", ""))
    if about.get("restored"):  # ↩ pressed twice: the file is back, as the first press said
        return relative, title
    target = data_dir / relative
    if target.exists():
        raise UnreadableInputError(
            "restore_exists", f"{relative} exists again: remove or rename it first", file=relative
        )
    _move(place / "file" / relative, target)
    sidecar = place / META_DIR / f"{relative}.json"
    if sidecar.is_file():
        _move(sidecar, meta_path(data_dir, relative))
    # what was set aside is back; the note stays until the trash is purged, so that a second press says so
    shutil.rmtree(place / "file", ignore_errors=True)
    shutil.rmtree(place / META_DIR, ignore_errors=True)
    (place / ABOUT).write_text(json.dumps({**about, "restored": True}, ensure_ascii=False), "utf-8")
    return relative, title


def purge(data_dir: Path, keep_seconds: float, now: float) -> None:
    """Delete for good what was set aside more than `keep_seconds` ago."""
    trash = data_dir / TRASH_DIR
    if not trash.is_dir():
        return
    for place in trash.iterdir():
        about = place / ABOUT
        try:
            removed_at = float(json.loads(about.read_text("utf-8"))["removed_at"])
        except (OSError, ValueError, KeyError):
            removed_at = 0.0  # half-written: nothing can restore it
        if now - removed_at >= keep_seconds:
            shutil.rmtree(place, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
