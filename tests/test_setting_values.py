"""A setting or flag with a value the product cannot use stops the command in one line that names it and
says what it wants, before any model or index is opened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracuu.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"


def said(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit status and stderr of `tracuu ARGV`, whether the settings or argparse stopped it."""
    try:
        code = main(argv)
    except SystemExit as exited:  # argparse: usage, then one line naming the flag
        code = int(exited.code or 0)
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if not line.startswith(("usage:", " "))]
    assert len(lines) == 1 and "Traceback" not in err and "Error" not in err, err
    return lines[0]


@pytest.mark.parametrize(("value", "wanted"), [("5", "0 to 1"), ("-1", "0 to 1"), ("nan", "finite number")])
def test_min_relevance_outside_zero_to_one_is_refused(value, wanted, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MIN_RELEVANCE", value)
    code, err = said(["ask", QUESTION, "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)
    assert code == 2 and "MIN_RELEVANCE" in line and wanted in line
    assert not (tmp_path / "index").exists()  # refused before anything was built


@pytest.mark.parametrize(("name", "value"), [("TOP_K", "3 # results"), ("ADMIN_IDS", "12345 # me")])
def test_a_comment_after_a_value_in_the_environment_is_said_to_be_one(name, value, capsys, monkeypatch) -> None:
    monkeypatch.setenv(name, value)  # as a systemd EnvironmentFile gives it: the comment is part of the value
    code, err = said(["ask", QUESTION], capsys)
    line = one_line(err)
    assert code == 2 and line.startswith(f"tracuu: bad setting {name}: ")
    assert line.endswith("(a comment after a value is not allowed here: put it on its own line)")


@pytest.mark.parametrize(("flag", "value"), [("--min-relevance", "7"), ("--min-relevance", "-0.5"),
                                             ("--max-declined", "2")])
def test_a_threshold_flag_outside_zero_to_one_is_refused(flag, value, capsys) -> None:
    command = ["calibrate", "--set", "a", "b", "--set", "c", "d"] if flag == "--max-declined" else [
        "eval", "questions.jsonl"]
    code, err = said([*command, flag, value], capsys)
    line = one_line(err)
    assert code == 2 and flag in line and "0 to 1" in line


def test_hf_hub_offline_in_env_keeps_a_hub_model_from_being_downloaded(tmp_path) -> None:
    (tmp_path / ".env").write_text("EMBEDDING_BACKEND=sentence-transformers\nEMBEDDING_MODEL=nobody/uncached-model\n"
                                   "HF_HUB_OFFLINE=1\n", "utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HF_", "EMBEDDING_"))}
    done = subprocess.run(
        [sys.executable, "-m", "tracuu.cli", "ask", QUESTION, "--data", str(ROOT / "data"),
         "--index", str(tmp_path / "index")],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT), "HF_HOME": str(tmp_path / "hf")},
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0 and "is not in the local Hugging Face cache and HF_HUB_OFFLINE is set" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("command", [["index"], ["ask", QUESTION]])
def test_a_dense_index_faiss_cannot_make_is_named_before_anything_is_encoded(command, capsys, monkeypatch,
                                                                           tmp_path) -> None:
    monkeypatch.setenv("DENSE_INDEX", "bogus")
    code, err = said([*command, "--data", str(ROOT / "data"), "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)
    assert code == 2 and "DENSE_INDEX" in line and "'bogus' is not a FAISS index" in line
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("value", ["auto", "flat", "Flat", "HNSW32,SQ8", "IVF256,PQ48", "PQ256"])
def test_dense_index_takes_auto_flat_and_factory_strings(value, monkeypatch) -> None:
    from tracuu.settings import load_settings

    monkeypatch.setenv("DENSE_INDEX", value)
    assert load_settings().dense_index == value
    monkeypatch.setenv("DENSE_INDEX", " AUTO")  # the default, however it is written
    assert load_settings().dense_index == "auto"


@pytest.mark.parametrize("url", ["http://bot.example.org/telegram", "bot.example.org/telegram", "https:///telegram",
                                 "https://bot.example.org:8080/telegram", "https://bot.example.org:x/telegram"])
def test_a_webhook_url_telegram_would_not_call_is_named(url, capsys, monkeypatch) -> None:
    monkeypatch.delenv("TELEGRAM_API_BASE_URL", raising=False)
    monkeypatch.setenv("WEBHOOK_URL", url)
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    code, err = said(["serve", "--data", str(ROOT / "data")], capsys)
    line = one_line(err)
    assert code == 2 and "WEBHOOK_URL must be an https URL with a host" in line and repr(url) in line


def test_a_self_hosted_bot_api_may_call_a_plain_http_webhook(monkeypatch) -> None:
    from tracuu.settings import load_settings

    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    assert load_settings(webhook_url="https://bot.example.org:8443/telegram").webhook_url
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    assert load_settings(webhook_url="http://127.0.0.1:8080/telegram").webhook_url


@pytest.mark.parametrize("value", ["@me", "123456789,@helper", "alice"])
def test_admin_ids_that_are_not_numbers_say_what_an_id_is_and_where_to_find_one(value, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", value)
    code, err = said(["serve", "--data", str(ROOT / "data")], capsys)
    line = one_line(err)
    assert code == 2 and "ADMIN_IDS" in line and "is not a Telegram user id" in line and "@userinfobot" in line
    assert "invalid literal" not in line


def test_admin_ids_take_numbers_separated_by_commas_or_semicolons(monkeypatch) -> None:
    from tracuu.settings import load_settings

    monkeypatch.setenv("ADMIN_IDS", " 123456789, 42;7 ,")
    assert load_settings().admin_ids == {123456789, 42, 7}


@pytest.mark.parametrize(("setting", "value"), [
    ("WEBHOOK_URL", "http://bot.example.org:8080/{token}"),  # the token as the webhook's path, as often done
    ("ADMIN_IDS", "{token}"),  # pasted on the wrong line of .env
    # the address every Bot API guide shows, copied whole: nothing separates "bot" from the token's digits
    ("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot{token}/"),
])
def test_a_token_pasted_into_another_setting_is_not_echoed_by_its_error(setting, value, capsys, monkeypatch) -> None:
    token = "123456789:AAFakeFakeFakeFakeFakeFakeFakeFake_x"
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv(setting, value.format(token=token))
    code, err = said(["serve", "--data", str(ROOT / "data")], capsys)
    line = one_line(err)
    assert code == 2 and setting in line and token.split(":")[1] not in err


@pytest.mark.parametrize(("setting", "value", "wanted"), [
    ("MAX_FETCH_MB", "inf", "finite"), ("FEED_INTERVAL_MINUTES", "nan", "finite"),
    ("MAX_ZIP_MB", "1e308", "less than or equal to"), ("TELEGRAM_READ_TIMEOUT", "1e999", "finite"),
])
def test_a_number_with_no_end_is_refused_naming_its_setting(setting, value, wanted, capsys, monkeypatch) -> None:
    # "inf" passed every "above zero" check, then `serve` stopped on "cannot convert float infinity to integer"
    monkeypatch.setenv(setting, value)
    code, err = said(["ask", QUESTION, "--data", str(ROOT / "data")], capsys)
    line = one_line(err)
    assert code == 2 and setting in line and wanted in line


def test_a_misspelled_setting_in_env_is_named_with_the_one_meant(tmp_path, monkeypatch, caplog) -> None:
    """Ignored without a word before: "TELEGRAM_BOT_TOKN" made `make run` start the terminal chat."""
    import logging

    from tracuu.settings import load_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKN=123:abc\nPOSTGRES_PASSWORD=x\nTOPK=5\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="tracuu.settings"):
        load_settings()
    said = [record.getMessage() for record in caplog.records]
    assert any("TELEGRAM_BOT_TOKN" in line and "TELEGRAM_BOT_TOKEN" in line for line in said)
    assert any("TOPK" in line and "TOP_K" in line for line in said)
    assert not any("POSTGRES_PASSWORD" in line or "123:abc" in line for line in said)  # another tool's line


@pytest.mark.parametrize("url", ["http://127.0.0.1:8081", "not a url", "ftp://127.0.0.1/bot"])
def test_a_bot_api_address_the_token_cannot_follow_is_named(url, capsys, monkeypatch) -> None:
    # "http://127.0.0.1:8081" made "…:8081123456:AA…", and the failure was blamed on the network
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", url)
    code, err = said(["serve", "--data", str(ROOT / "data")], capsys)
    line = one_line(err)
    assert code == 2 and "TELEGRAM_API_BASE_URL" in line and "ending in /bot" in line and repr(url) in line


def test_a_pseudonym_key_too_short_to_keep_ids_unguessable_is_refused(capsys, monkeypatch) -> None:
    monkeypatch.setenv("USER_ID_SECRET", "shortkey")
    code, err = said(["serve", "--data", str(ROOT / "data")], capsys)
    line = one_line(err)
    assert code == 2 and "USER_ID_SECRET" in line and "at least 16 characters" in line and "shortkey" not in err


@pytest.mark.parametrize(("setting", "value"), [("EMBEDDING_DEVICE", "gpu"), ("EMBEDDING_DEVICE", "cuda")])
def test_a_device_torch_cannot_use_here_is_named_before_a_model_loads(setting, value, capsys, monkeypatch,
                                                                    tmp_path) -> None:
    monkeypatch.setenv("EMBEDDING_BACKEND", "sentence-transformers")
    monkeypatch.setenv(setting, value)  # this machine's torch is the CPU build
    code, err = said(["ask", QUESTION, "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)
    assert code == 2 and setting in line and "cpu" in line  # 2: a service manager does not restart for ever


def test_values_as_docker_and_systemd_pass_a_crlf_or_quoted_env_mean_what_they_say(monkeypatch, tmp_path) -> None:
    from tracuu.settings import load_settings

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DATA_DIR", "~/data\r")
    monkeypatch.setenv("INDEX_BACKEND", "local\r")
    monkeypatch.setenv("TOP_K", '"4"')
    monkeypatch.setenv("LOG_FORMAT", "'text'")
    monkeypatch.setenv("ADMIN_IDS", '"123, 456"')
    monkeypatch.setenv("EXAMPLE_QUESTIONS", '"Ai ký?|Khi nào?"')
    monkeypatch.setenv("STATE_PATH", "~/state.sqlite")
    monkeypatch.setenv("EMBEDDING_DEVICE", "CPU")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "data" and settings.index_backend == "local" and settings.top_k == 4
    assert settings.admin_ids == frozenset({123, 456}) and settings.example_questions == ("Ai ký?", "Khi nào?")
    assert settings.state_path == str(tmp_path / "state.sqlite") and settings.embedding_device == "cpu"


@pytest.mark.parametrize(("setting", "value", "wanted"), [
    ("WEBHOOK_SECRET", "a b", "A-Z a-z 0-9"), ("OCR_LANGUAGE", "vie,eng", "vie+eng"),
])
def test_a_value_of_the_wrong_form_is_said_in_words_not_as_a_pattern(setting, value, wanted, capsys, monkeypatch,
                                                                     tmp_path) -> None:
    monkeypatch.setenv(setting, value)
    code, err = said(["ask", QUESTION, "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)
    assert code == 2 and setting in line and wanted in line and "pattern" not in line


def test_a_choice_in_capitals_is_the_choice(monkeypatch) -> None:
    from tracuu.settings import load_settings

    monkeypatch.setenv("LOG_FORMAT", "JSON")
    monkeypatch.setenv("INDEX_BACKEND", "Local")
    settings = load_settings()
    assert settings.log_format == "json" and settings.index_backend == "local"


def test_a_reranker_not_on_this_machine_is_said_in_one_line_offline(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("RERANKER_MODEL", "no/such-cross-encoder")
    code, err = said(["ask", QUESTION, "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)  # the hub's own message ran over lines, asking to check the internet connection
    assert code == 2 and "RERANKER_MODEL" in line and "HF_HUB_OFFLINE" in line


def test_an_index_folder_that_is_a_file_is_named_with_its_setting(capsys, tmp_path) -> None:
    taken = tmp_path / "index"
    taken.write_text("not a folder")
    code, err = said(["ask", QUESTION, "--index", str(taken)], capsys)
    line = one_line(err)  # "a file is where a folder was expected": which, and set where, was not said
    assert code == 2 and "INDEX_DIR" in line and str(taken) in line
