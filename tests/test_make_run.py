"""`make run` starts the bot when `tracuu serve` would find a token and the terminal chat otherwise, however
.env spells the line (the README promises the chat without a token)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:" + "A" * 35


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The Makefile beside a set-up .venv whose `tracuu` only says which command it was given."""
    if shutil.which("make") is None:
        pytest.skip("make absent")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "requirements.lock"):
        (tmp_path / name).write_text("", "utf-8")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" "$@"\n', "utf-8")
    (bin_dir / "tracuu").write_text('#!/bin/sh\necho "tracuu $1"\n', "utf-8")
    for script in bin_dir.iterdir():
        script.chmod(0o755)
    stamp = tmp_path / ".venv" / ".installed"
    stamp.write_text("", "utf-8")
    later = (tmp_path / "pyproject.toml").stat().st_mtime + 60
    os.utime(stamp, (later, later))  # set up: `make run` goes straight to its choice
    return tmp_path


def make_run(checkout: Path, env_file: str | None, token: str | None = None) -> str:
    if env_file is not None:
        (checkout / ".env").write_text(env_file, "utf-8")
    env = {key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"}
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    done = subprocess.run(["make", "-s", "run"], cwd=checkout, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("line", [f"TELEGRAM_BOT_TOKEN={TOKEN}", f"export TELEGRAM_BOT_TOKEN={TOKEN}",
                                  f"TELEGRAM_BOT_TOKEN = {TOKEN}", f'TELEGRAM_BOT_TOKEN="{TOKEN}"'])
def test_a_token_in_env_starts_the_bot_however_the_line_is_written(checkout, line) -> None:
    assert make_run(checkout, f"TOP_K=3\n{line}\n") == "tracuu serve"


@pytest.mark.parametrize("line", ['TELEGRAM_BOT_TOKEN=""', "TELEGRAM_BOT_TOKEN= ", "TELEGRAM_BOT_TOKEN=",
                                  f"# TELEGRAM_BOT_TOKEN={TOKEN}", "TELEGRAM_BOT_TOKEN='  '"])
def test_no_token_in_env_starts_the_terminal_chat(checkout, line) -> None:
    assert make_run(checkout, f"TOP_K=3\n{line}\n") == "tracuu chat"


def test_the_environment_is_read_first_and_another_bad_setting_leaves_the_choice_to_the_token(checkout) -> None:
    assert make_run(checkout, None) == "tracuu chat"
    assert make_run(checkout, None, token=TOKEN) == "tracuu serve"
    # a bad value elsewhere is for `tracuu serve` to name, not a reason to start the chat
    assert make_run(checkout, f"MIN_RELEVANCE=5\nTELEGRAM_BOT_TOKEN={TOKEN}\n") == "tracuu serve"


def test_an_env_that_is_not_utf8_is_left_to_the_command_to_name_without_a_traceback(checkout) -> None:
    (checkout / ".env").write_bytes(b"TELEGRAM_BOT_TOKEN=\xff123\n")
    env = {key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run(["make", "-s", "run"], cwd=checkout, env=env, capture_output=True, text=True, timeout=120)
    # the chat it starts reads .env again and says, in one line, that it is not UTF-8
    assert done.stdout.strip() == "tracuu chat" and "Traceback" not in done.stderr
