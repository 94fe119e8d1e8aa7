"""What is not a regular file in the data folder (a device, a pipe, a dangling link, a link out of the
folder) is skipped with one line saying what it is; the build neither hangs nor fills memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retriever.index.local.build import build_index
from retriever.ingest import regular
from retriever.ingest.files import list_files
from tests.fakes import HashEncoder
from tests.test_cli import run

SECRET = "Mật khẩu máy chủ nội bộ là một chuỗi dài không được phép xuất hiện trong câu trả lời."


def special_files(data: Path, outside: Path) -> None:
    (outside / "secret.txt").write_text(f"Bí mật\n\n{SECRET}", "utf-8")
    (data / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(data / "ong.txt")
    (data / "mat.txt").symlink_to(outside / "da-xoa.txt")
    (data / "ngoai.txt").symlink_to(outside / "secret.txt")
    first = sorted(data.glob("*.txt"))[0]
    (data / "ban-sao.txt").symlink_to(first)  # a link within the folder is read


REASONS = {
    "zero.txt": "a device, not a file",
    "ong.txt": "a named pipe, not a file",
    "mat.txt": "a link to a file that does not exist",
    "ngoai.txt": "a link to a file outside the data folder (only links within it are read)",
}


def test_what_is_not_a_regular_file_is_skipped_with_what_it_is(data_copy: Path, tmp_path: Path) -> None:
    special_files(data_copy, tmp_path)
    report = build_index(data_copy, tmp_path / "index", HashEncoder())
    assert {item.path: item.reason for item in report.skipped} == REASONS
    assert report.documents == 6  # the five articles and the link to one of them


def test_the_index_summary_names_each_special_file_and_the_secret_is_not_quoted(
    seed_copy: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    special_files(seed_copy.data, outside)  # type: ignore[attr-defined]
    code, _, err = run(["index", *seed_copy.argv()], capsys)  # type: ignore[attr-defined]
    assert code == 0, err
    for name, reason in REASONS.items():
        assert f"skipped {name}: {reason}" in err
    assert "Errno" not in err and str(outside) not in err
    code, out, _ = run(["ask", "Mật khẩu máy chủ nội bộ là gì?", *seed_copy.argv()], capsys)  # type: ignore[attr-defined]
    assert code == 0 and SECRET not in out


def test_a_file_over_the_size_cap_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regular, "MAX_FILE_BYTES", 1024 * 1024)
    (tmp_path / "lon.txt").write_text("Tiêu đề\n\n" + "Một đoạn văn dài. " * 70_000, "utf-8")
    files, skipped = list_files(tmp_path)
    assert files == [] and [(s.path, s.reason) for s in skipped] == [
        ("lon.txt", "larger than 1 MB, the most a file in the data folder may be")]
    with pytest.raises(OSError, match="larger than"):  # grown after the listing: still not read whole
        regular.read_capped(tmp_path / "lon.txt")


@pytest.mark.parametrize(("raised", "line"), [
    (MemoryError(), "tracuu: unexpected error: the machine ran out of memory (run with -v for details)"),
    (RuntimeError(), "tracuu: unexpected error (run with -v for details)"),
    (RuntimeError("the index says boo"), "tracuu: unexpected error: the index says boo (run with -v for details)"),
])
def test_an_unexpected_error_is_one_line_with_the_hint_once(
    raised: Exception, line: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(args: object) -> int:
        raise raised

    monkeypatch.setattr("tracuu.commands.run", fail)
    code, _, err = run(["index", "--data", "/nowhere"], capsys)
    assert code == 1 and err.strip() == line
