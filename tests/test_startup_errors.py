"""What a person sees when a setting read at start is wrong: one line naming the setting, and a database
password never shown, whatever the output (the last line, -v, JSON logs)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pg_fixtures import free_port
from tracuu.cli import main

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "TopSecret99"
TOKEN = "123456:" + "A" * 35


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out + err


def one_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """INDEX_BACKEND=postgres with a token (for serve); the command's folders."""
    monkeypatch.setenv("INDEX_BACKEND", "postgres")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return ["--data", str(tmp_path / "no-data"), "--index", str(tmp_path / "index")]


# what an operator pastes: SQLAlchemy's form, another database's, a space copied with it, and passwords with
# characters a URL reads as its own
BAD_URLS = {
    "sqlalchemy": (f"postgresql+psycopg://tracuu:{PASSWORD}@127.0.0.1:5432/tracuu", "postgresql://"),
    "mysql": (f"mysql://tracuu:{PASSWORD}@127.0.0.1:5432/tracuu", "postgresql://"),
    "at-sign": ("postgresql://tracuu:Top@Secret#99@127.0.0.1:5432/tracuu", "%40"),
    "slash": ("postgresql://tracuu:Top/Secret99@127.0.0.1:5432/tracuu", "%2F"),
    "percent": ("postgresql://tracuu:Top%zzSecret99@127.0.0.1:5432/tracuu", "%25"),
    "no-url": ("tracuu:TopSecret99", "postgresql://"),
}


@pytest.mark.parametrize("command", ["ask", "serve"])
@pytest.mark.parametrize("case", sorted(BAD_URLS))
def test_a_database_url_libpq_would_misread_is_one_line_without_its_password(
    case: str, command: str, postgres: list[str], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url, advice = BAD_URLS[case]
    monkeypatch.setenv("DATABASE_URL", url)
    code, output = run([command, *(["câu hỏi"] if command == "ask" else []), *postgres], capsys)
    line = one_line(output)
    assert code == 2 and line.startswith("tracuu: DATABASE_URL") and advice in line, line
    assert "Secret" not in output and "unexpected" not in line


def test_spaces_around_the_database_url_are_dropped(postgres: list[str], monkeypatch, capsys) -> None:
    where = f"127.0.0.1:{free_port()}/tracuu"  # nothing listens there
    monkeypatch.setenv("DATABASE_URL", f" postgresql://tracuu:{PASSWORD}@{where}\n")
    for command in (["ask", "câu hỏi"], ["serve"]):
        code, output = run([*command, *postgres], capsys)
        line = one_line(output)
        assert code == 75 and f"at DATABASE_URL ({where})" in line and "refused" in line, line
        assert PASSWORD not in output


def test_a_bad_index_database_url_is_named_as_such(postgres: list[str], monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://tracuu:{PASSWORD}@127.0.0.1:{free_port()}/tracuu")
    monkeypatch.setenv("INDEX_DATABASE_URL", "postgresql+psycopg://reader:StandbySecret@standby:5432/tracuu")
    code, output = run(["ask", "câu hỏi", *postgres], capsys)
    line = one_line(output)
    assert code == 2 and line.startswith("tracuu: INDEX_DATABASE_URL must start with postgresql://"), line
    assert "StandbySecret" not in output

    where = f"127.0.0.1:{free_port()}/tracuu"  # a standby that is down
    monkeypatch.setenv("INDEX_DATABASE_URL", f"postgresql://reader:StandbySecret@{where}")
    code, output = run(["ask", "câu hỏi", *postgres], capsys)
    line = one_line(output)
    assert code == 75 and f"cannot reach the index database at INDEX_DATABASE_URL ({where})" in line, line
    assert "StandbySecret" not in output and PASSWORD not in output


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_password_libpq_quotes_back_is_masked_in_every_log_line(log_format: str, tmp_path: Path) -> None:
    """A URL libpq cannot parse (an unclosed IPv6 bracket) is quoted whole in its error; with -v every log
    line, the traceback's included, is written too."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "INDEX_BACKEND": "postgres",
           "LOG_FORMAT": log_format, "DATABASE_URL": f"postgresql://tracuu:{PASSWORD}@[::1:5432/tracuu"}
    result = subprocess.run(
        [sys.executable, "-m", "tracuu.cli", "ask", "-v", "câu hỏi", "--data", str(tmp_path / "none"),
         "--index", str(tmp_path / "index")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "DATABASE_URL" in result.stderr.strip().splitlines()[-1]
    assert PASSWORD not in result.stdout + result.stderr


def test_an_env_file_that_cannot_be_read_is_named(tmp_path: Path, monkeypatch, capsys) -> None:
    env = tmp_path / ".env"
    env.write_text("TOP_K=3\n", "utf-8")
    env.chmod(0)
    if os.geteuid() == 0:  # root reads any file: what open() says to anyone else
        def refused(path: object, *args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr("dotenv.main.open", refused, raising=False)
    monkeypatch.chdir(tmp_path)
    code, output = run(["ask", "câu hỏi"], capsys)
    line = one_line(output)
    assert code == 2 and f"cannot read {env}" in line and "permission denied" in line and "chmod" in line, line


def test_an_env_file_that_is_a_folder_is_named(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / ".env").mkdir()  # a bind mount of a file that did not exist yet: the defaults stood in, unsaid
    monkeypatch.chdir(tmp_path)
    code, output = run(["ask", "câu hỏi"], capsys)
    line = one_line(output)
    assert code == 2 and f"{tmp_path / '.env'} is a folder" in line and ".env.example" in line, line


def test_an_env_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path, monkeypatch, capsys) -> None:
    # saved by an editor set to Windows-1258: "ê" is the byte 0xEA
    (tmp_path / ".env").write_bytes(b"TOP_K=3\n# examples\nEXAMPLE_QUESTIONS=Bi\xean gi\xf5i?\n")
    monkeypatch.chdir(tmp_path)
    code, output = run(["ask", "câu hỏi"], capsys)
    line = one_line(output)
    assert code == 2 and f"{tmp_path / '.env'} is not UTF-8" in line and "line 3" in line, line
    assert "codec" not in line and "unexpected" not in line


@pytest.mark.parametrize("offline", ["1", ""], ids=["offline", "online"])
@pytest.mark.parametrize("folder", ["/nonexistent/model", "./models/e5"])
def test_a_missing_model_folder_names_embedding_model(
    folder: str, offline: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("EMBEDDING_BACKEND", "sentence-transformers")
    monkeypatch.setenv("EMBEDDING_MODEL", folder)
    monkeypatch.setenv("HF_HUB_OFFLINE", offline)  # online: nothing is asked of the hub either
    code, output = run(["ask", "câu hỏi", "--data", str(ROOT / "data"), "--index", str(tmp_path / "i")], capsys)
    line = one_line(output)
    assert code == 2 and f"EMBEDDING_MODEL={folder!r} is not a folder on this machine" in line, line
    assert "Repo id" not in line


def test_a_database_that_does_not_exist_is_a_setting_to_fix_not_an_outage(
    postgres: list[str], monkeypatch, capsys, pg_cluster
) -> None:
    # exit 2, which the systemd unit does not restart on; a server that is down is 75, restarted
    monkeypatch.setenv("DATABASE_URL", pg_cluster.url("no_such_database"))
    for command in (["ask", "câu hỏi"], ["serve"]):
        code, output = run([*command, *postgres], capsys)
        line = one_line(output)
        assert code == 2 and "no_such_database" in line and "does not exist" in line, line
        assert "refused the connection" in line and "cannot reach" not in line, line  # it was reached


def test_an_ocr_language_tesseract_lacks_is_named_at_start(monkeypatch, capsys, tmp_path) -> None:
    from retriever.ingest import ocr

    if not ocr.available():
        pytest.skip("Tesseract is not installed")
    monkeypatch.setenv("OCR_LANGUAGE", "vie+xyz")
    (tmp_path / "data").mkdir()
    code, output = run(["ask", "câu hỏi", "--data", str(tmp_path / "data"), "--index", str(tmp_path / "index")],
                       capsys)
    line = one_line(output)
    # it was accepted, and every scan then failed to read
    assert code == 2 and line.startswith("tracuu: OCR_LANGUAGE=vie+xyz") and "tesseract-ocr-xyz" in line, line
