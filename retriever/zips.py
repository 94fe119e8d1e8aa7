"""The files of a ZIP an admin sends: names as they were written, hidden and lock files left out, and limits
on how many and how large, read from the archive itself (its declared sizes may lie)."""

from __future__ import annotations

import contextlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from retriever.errors import UnreadableInputError
from retriever.ingest.web import human_size


@dataclass(frozen=True)
class ZipLimits:
    max_files: int = 200
    max_bytes: int = 200 * 1024 * 1024  # uncompressed, all members together


def zip_members(raw: bytes, limits: ZipLimits) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise UnreadableInputError("zip_corrupt", "not a readable ZIP file") from error
    with archive:
        infos = [
            info for info in archive.infolist()
            if not info.is_dir() and not any(_hidden(part) for part in info.filename.replace("\\", "/").split("/"))
        ]
        if len(infos) > limits.max_files:
            raise UnreadableInputError(
                "zip_files", f"the ZIP holds {len(infos)} files, more than the limit of {limits.max_files}",
                count=len(infos), limit=limits.max_files,
            )
        budget = limits.max_bytes
        members = []
        for info in infos:
            if info.file_size > budget:
                raise _zip_too_big(limits)
            try:
                # read at most what the budget allows: the declared size may lie
                with archive.open(info) as member:
                    content = member.read(budget + 1)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as error:
                raise UnreadableInputError(
                    "zip_corrupt", f"the ZIP is damaged or encrypted ({info.filename}: {error})"
                ) from error
            if len(content) > budget:
                raise _zip_too_big(limits)
            budget -= len(content)
            members.append((_member_name(info), content))
    return members


def _member_name(info: zipfile.ZipInfo) -> str:
    """The name as it was written. Without the UTF-8 flag, zipfile reads a name as cp437; Windows writes it in
    the system's code page (Vietnamese: cp1258), and other tools in UTF-8 without the flag, so "Giờ làm
    việc.txt" came back as "Gi_lαm_viΩ_c" in the answers' citations."""
    if info.flag_bits & 0x800 or info.filename.isascii():
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "cp1258"):
        with contextlib.suppress(UnicodeDecodeError):
            return unicodedata.normalize("NFC", raw.decode(encoding))
    return info.filename


def _hidden(part: str) -> bool:
    """Hidden files, macOS resource forks and Office's lock files ("~$họp.docx", left beside a file open in
    Word) are not content ("..", a traversal attempt, is made safe)."""
    return part == "__MACOSX" or part.startswith("~$") or (part.startswith(".") and part not in {".", ".."})


def _zip_too_big(limits: ZipLimits) -> UnreadableInputError:
    size = human_size(limits.max_bytes)
    return UnreadableInputError("zip_size", f"the ZIP unpacks to more than {size}", size=size)
