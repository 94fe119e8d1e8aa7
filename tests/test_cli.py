"""The command line as a user runs it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.texts import EN, VI
from tracuu.cli import main

ROOT = Path(__file__).resolve().parent.parent
BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"


@pytest.fixture
def dirs(data_copy, tmp_path):
    return ["--data", str(data_copy), "--index", str(tmp_path / "index")]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json(seed_copy, capsys):
    code, out, _ = run(["ask", BORDER, "--json", *seed_copy.argv()], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["question"] == BORDER and payload["abstained"] is False
    first = payload["results"][0]
    assert set(first) == {"text", "highlight", "score", "title", "date", "source", "document", "teaser", "url", "ocr",
                          "heading"}
    assert "2.300 km" in first["text"]



def test_an_english_question_the_collection_does_not_answer_is_told_so_in_english(seed_copy, capsys):
    code, out, _ = run(["ask", "Who wrote the novel Pride and Prejudice?", *seed_copy.argv()], capsys)
    assert code == 0
    assert EN["abstained_foreign"].splitlines()[0] in out  # one wording with the bot
    assert VI["abstained"].splitlines()[0] not in out

def test_the_english_reply_suggests_the_deployments_own_example(seed_copy, capsys, monkeypatch):
    monkeypatch.setenv("EXAMPLE_QUESTIONS", "Học phí một tín chỉ là bao nhiêu?|Khi nào đăng ký học phần?")
    code, out, _ = run(["ask", "Who wrote the novel Pride and Prejudice?", *seed_copy.argv()], capsys)
    assert code == 0 and "e.g. Học phí một tín chỉ là bao nhiêu?" in out and "Lào" not in out


def test_weaker_results_come_after_a_line_that_says_so(seed_copy, capsys):
    from tracuu.messages import WEAKER

    question = "Chủ tịch nước tiếp thủ tướng lào khi nào"
    code, out, _ = run(["ask", question, *seed_copy.argv()], capsys)
    assert code == 0
    code, shown, _ = run(["ask", question, "--json", *seed_copy.argv()], capsys)
    payload = json.loads(shown)
    assert 1 <= payload["shown"] < len(payload["results"])  # the answer, then weaker related paragraphs
    assert out.index(f"{payload['shown']}. ") < out.index(WEAKER) < out.index(f"{payload['shown'] + 1}. ")


def test_index_summary_and_eval_json(dirs, capsys, e5, tmp_path):
    code, _, err = run(["index", *dirs], capsys)
    assert code == 0 and "5 documents" in err and "5 added" in err
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"question": BORDER, "answers": ["2.300 km"]}, ensure_ascii=False)
        + "\n"
        + json.dumps({"question": "Cách nấu phở bò ngon tại nhà?", "answers": []}, ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    code, out, _ = run(["eval", str(questions), "--json", *dirs], capsys)
    report = json.loads(out)
    assert code == 0
    assert set(report) == {
        "questions", "answerable", "hit@1", "hit@3", "hit@5", "mrr", "false_answers", "false_abstentions",
        "query_ms_p50", "query_ms_p95",
    }
    assert report["hit@1"] == 1.0 and report["false_answers"] == 0
    # two results a question: no hit@3 or hit@5 that would only repeat hit@2
    code, out, _ = run(["eval", str(questions), "--json", "-k", "2", *dirs], capsys)
    assert code == 0 and not {"hit@3", "hit@5"} & set(json.loads(out))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "   "], "empty"),
        (["ask", "câu hỏi", "--data", "/nonexistent/folder"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert code != 0
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_corrupt_index_is_one_line(seed_copy, capsys):
    dirs = seed_copy.argv()
    generation = next(seed_copy.index.glob("gen-*"))
    (generation / "manifest.json").write_text("{broken", "utf-8")
    code, _, err = run(["ask", BORDER, *dirs], capsys)
    assert code != 0 and "rebuild" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["index", *dirs], capsys)  # `index` repairs it
    assert code == 0 and "5 documents" in err
    # a file cut short is named, not the library's exception
    generation = sorted(seed_copy.index.glob("gen-*"))[-1]
    dense = (generation / "dense.faiss").read_bytes()
    (generation / "dense.faiss").write_bytes(dense[: len(dense) // 2])
    code, _, err = run(["ask", BORDER, *dirs], capsys)
    assert code != 0 and "dense.faiss cannot be read" in err and "Error" not in err, err


def test_piped_chat_answers_each_line(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tracuu.cli", "chat", "--index", str(tmp_path / "index")],
        input=f"{BORDER}\n\nCách nấu phở bò ngon tại nhà?\n",
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "2.300 km" in result.stdout
    assert "Ngoại giao đóng góp to lớn" in result.stdout
    # one wording with the bot for "nothing answers this"
    assert VI["abstained"].splitlines()[0] in result.stdout
    # a terminal shows stdout and stderr together: no log lines between the answers
    assert " INFO " not in result.stderr and " INFO " not in result.stdout
    # the best sentence is shown once, in bold within its paragraph (piped: **…**)
    bold = result.stdout.split("**")[1]
    assert "2.300 km" in " ".join(bold.split()) and result.stdout.count("→") == 0


def test_file_system_errors_are_one_line_in_words(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STATE_PATH", str(tmp_path))  # a folder where the state file should be
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    code, _, err = run(["serve", "--data", str(ROOT / "data"), "--index", str(tmp_path / "index")], capsys)
    # 2, a folder to fix as a setting is: 1 is a crash, which the systemd unit restarts every 5 seconds
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "Error" not in err and "Errno" not in err and str(tmp_path) in err


def test_a_state_file_whose_folder_cannot_be_made_is_named_by_its_setting(tmp_path, capsys, monkeypatch):
    (tmp_path / "file").write_text("", "utf-8")
    state = tmp_path / "file" / "state.sqlite"  # its folder is a file: as /proc/x, made by no one
    monkeypatch.setenv("STATE_PATH", str(state))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    code, _, err = run(["serve", "--data", str(ROOT / "data"), "--index", str(tmp_path / "index")], capsys)
    assert code == 2 and err.strip() == (
        f"tracuu: cannot open the bot's state file {state} (a file is where a folder was expected: "
        f"{tmp_path / 'file'}): check STATE_PATH and that the bot may write it")


def test_a_model_hub_out_of_reach_is_said_once_not_at_every_retry(capsys, caplog, monkeypatch) -> None:
    import logging

    from retriever.errors import TraCuuError

    def unreachable(args: object) -> int:
        logging.getLogger("huggingface_hub.utils._http").warning("Retrying in 1s [Retry 1/5].")
        raise TraCuuError("Could not load EMBEDDING_MODEL='no-such/model'")

    monkeypatch.setattr("tracuu.commands.run", unreachable)
    with caplog.at_level(logging.DEBUG):
        code, _, err = run(["index", "--data", "/nowhere"], capsys)
        assert code == 2 and "Retrying" not in caplog.text and "Retrying" not in err
        assert err.strip() == "tracuu: Could not load EMBEDDING_MODEL='no-such/model'"
        run(["index", "-v", "--data", "/nowhere"], capsys)
        assert "Retrying in 1s" in caplog.text  # -v: what the client tried


def test_a_full_disk_under_sqlite_is_said_as_one_and_is_no_crash(capsys, monkeypatch) -> None:
    import sqlite3

    def full(args: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("tracuu.commands.run", full)
    code, _, err = run(["index", "--data", "/nowhere"], capsys)
    assert code == 2 and err.strip().startswith("tracuu: the disk is full") and "unexpected" not in err


def test_serve_says_when_telegram_cannot_be_reached(seed_copy, capsys, monkeypatch, caplog):
    from tests.pg_fixtures import free_port

    nowhere = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", nowhere)
    monkeypatch.setenv("STATE_PATH", str(seed_copy.index.parent / "state.sqlite"))
    code, _, err = run(["serve", *seed_copy.argv()], capsys)
    # 75, not 2: it may pass by itself, and the systemd unit restarts on it (not on a bad setting's 2)
    assert code == 75 and len(err.strip().splitlines()) == 1, err
    assert f"cannot reach Telegram at {nowhere}" in err
    assert "DeliveryFailed" not in err and "ConnectError" not in err and "AAAA" not in err
    # the retries before that line are no lines of their own
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and "getMe" in r.getMessage()] == []


@pytest.fixture
def telegram_rejecting_tokens():
    """A Bot API that answers every call as Telegram does for a revoked token; yields (base URL, paths asked)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    paths: list[str] = []

    class Unauthorized(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            paths.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Unauthorized)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot", paths
    server.shutdown()
    thread.join()


@pytest.mark.parametrize("spaces", ["", " ", "\n"], ids=["plain", "spaces", "line-break"])
def test_serve_with_a_rejected_token_names_the_setting_and_botfather(
    seed_copy, capsys, monkeypatch, telegram_rejecting_tokens, spaces
):
    base_url, paths = telegram_rejecting_tokens
    token = "123456:" + "A" * 35
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", f"{spaces}{token}{spaces}")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", base_url)
    monkeypatch.setenv("STATE_PATH", str(seed_copy.index.parent / "state.sqlite"))
    code, out, err = run(["serve", *seed_copy.argv()], capsys)
    assert paths and paths[0] == f"/bot{token}/getMe"  # the token as validated, without the spaces around it
    assert code != 0 and len(err.strip().splitlines()) == 1, err
    assert "TELEGRAM_BOT_TOKEN" in err and "@BotFather" in err and "unexpected error" not in err
    assert "AAAA" not in err + out


def test_serve_with_a_rejected_token_says_so_before_building_an_index(capsys, monkeypatch, tmp_path,
                                                                       telegram_rejecting_tokens):
    base_url, _ = telegram_rejecting_tokens
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", base_url)
    monkeypatch.setenv("STATE_PATH", str(tmp_path / "state.sqlite"))
    code, _, err = run(["serve", "--data", str(ROOT / "data"), "--index", str(tmp_path / "index")], capsys)
    assert code == 2 and "TELEGRAM_BOT_TOKEN" in err
    assert not (tmp_path / "index").exists()  # said after minutes of encoding at 100k passages


def test_version_is_said_in_one_line(capsys):
    with pytest.raises(SystemExit) as exited:  # argparse's own action
        main(["--version"])
    out = capsys.readouterr().out
    assert exited.value.code == 0 and out.startswith("tracuu ") and len(out.strip().splitlines()) == 1


def test_help_is_fast_and_imports_no_model():
    code = "import sys; from tracuu.cli import build_parser; build_parser(); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_serve_with_a_missing_or_malformed_token_is_one_line(token, capsys, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    code, _, err = run(["serve", "--data", str(ROOT / "data")], capsys)
    assert code != 0 and "TELEGRAM_BOT_TOKEN" in err and len(err.strip().splitlines()) == 1
    if token:
        assert token not in err  # never echo a secret, even a malformed one


def test_control_and_bidi_characters_never_reach_a_title_or_the_terminal(dirs, capsys, e5, data_copy):
    """A title with a right-to-left override, a bell and an escape sequence (colouring the terminal red)."""
    hostile = "Tin \u202egpj.exe\u202c \x07\x1b[31mđỏ\x1b[0m về lúa gạo"
    (data_copy / "doc-hai.txt").write_text(
        f"{hostile}\n\nSản lượng lúa gạo \x1b]0;pwned\x07 của đồng bằng sông Cửu Long năm nay đạt 24 triệu tấn.\n",
        "utf-8",
    )
    code, _, err = run(["index", *dirs], capsys)
    assert code == 0
    code, out, _ = run(["ask", "Sản lượng lúa gạo đồng bằng sông Cửu Long năm nay?", *dirs], capsys)
    assert code == 0 and "24 triệu tấn" in out and "Tin gpj.exe [31mđỏ[0m về lúa gạo" in out
    for dangerous in ("\x1b", "\x07", "\u202e", "\u202c"):
        assert dangerous not in out and dangerous not in err

    from bot.render import format_result
    from retriever.models import SearchResult

    html = format_result(SearchResult(0, "Đoạn văn.", "", 0.9, hostile, "", "\u202eBáo", "a.txt", 0, False), 1, "vi")
    assert not any(c in html for c in ("\x1b", "\x07", "\u202e", "\u202c"))


def test_an_index_update_past_the_delta_bound_is_searchable_then_folded_before_the_command_ends(
    dirs, capsys, e5, data_copy, tmp_path, monkeypatch
):
    from retriever.index.local import delta
    from retriever.index.local.generations import current_generation
    from tests.test_index_delta import BRIDGE

    assert run(["index", *dirs], capsys)[0] == 0
    monkeypatch.setattr(delta, "delta_bound", lambda main_rows: 1)  # this addition takes the delta past it
    (data_copy / "cau-tan-lap.txt").write_text(BRIDGE.format(length="1.250"), "utf-8")
    code, _, err = run(["index", *dirs], capsys)
    assert code == 0 and "1 added" in err and "folding the index's recent changes" in err
    generation = current_generation(tmp_path / "index")
    assert generation is not None and not (generation / "delta").exists()
    assert not (generation / "changes.sqlite").exists()
    code, out, _ = run(["ask", "Cầu Tân Lập bắc qua sông Sê Pôn dài bao nhiêu mét?", *dirs], capsys)
    assert code == 0 and "1.250 mét" in out


def test_what_the_command_line_cannot_use_is_said_in_one_line(seed_copy, capsys):
    dirs = seed_copy.argv()
    code, _, err = run(["ask", "🙂🙂 ??", *dirs], capsys)
    assert code == 2 and "no words to look up" in err and len(err.strip().splitlines()) == 1
    # bytes that are not UTF-8 (Python hands them over as surrogates) do not stop the question
    code, out, err = run(["ask", "Đường biên giới Vi\udce6t Nam - Lào dài bao nhiêu km?", *dirs], capsys)
    assert code == 0 and "2.300 km" in out and not err
    for argv, said in ((["-k", "0"], "at least 1"), (["-k", "-2"], "at least 1"),
                       (["--calibration", "/nonexistent.json"], "is not a file")):
        command = ["eval", str(ROOT / "eval" / "seed_dev.jsonl")] if argv[0] == "--calibration" else ["ask", BORDER]
        with pytest.raises(SystemExit) as exited:
            main([*command, *argv, *dirs])
        assert exited.value.code == 2 and said in capsys.readouterr().err


def test_a_pipe_closed_early_ends_quietly(seed_copy):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    # `tracuu ask … | head -0`: the reader is gone before the answer is written
    child = subprocess.Popen([sys.executable, "-m", "tracuu.cli", "ask", BORDER, *seed_copy.argv()],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    child.stdout.close()
    _, err = child.communicate(timeout=300)
    assert child.returncode == 141 and b"Broken pipe" not in err and b"tracuu:" not in err, err


def test_a_chat_line_that_is_not_utf8_is_asked_and_the_chat_goes_on(seed_copy):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "LC_ALL": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "tracuu.cli", "chat", *seed_copy.argv()],
                            input=b"Hai n\xe6\xe7c\n" + BORDER.encode() + b"\n",
                            capture_output=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 0 and "2.300 km" in result.stdout.decode(), result.stderr.decode()


def test_the_index_summary_says_one_in_the_singular():
    from retriever.models import BuildReport, SkippedFile
    from tracuu.render import format_report

    line = format_report(BuildReport(1, 1, 1, 0, 0, 1, 0, 1, (SkippedFile("a.txt", "1 files inside"),), 0.5))
    assert line.startswith("Indexed 1 document, 1 passage in") and "1 passage encoded, 1 file skipped." in line
    assert "a.txt: 1 files inside" in line  # a reason is quoted as it is
    assert "nothing to answer from yet" in format_report(BuildReport(0, 0, 0, 0, 0, 0, 0, 0, (), 0.1))


def test_a_line_of_env_it_cannot_read_is_named_once(tmp_path):
    (tmp_path / ".env").write_text("TOP_K=3\nthis is not a setting\n", "utf-8")
    script = "from tracuu.settings import load_settings\nfor _ in range(2): assert load_settings().top_k == 3"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [".env line 2 is not NAME=value: that line is ignored"]


def test_a_quote_read_from_a_scan_says_so_in_the_terminal_too():
    from retriever.models import SearchResponse, SearchResult
    from tracuu.render import format_response

    result = SearchResult(0, "Trường tuyển 9.800 chỉ tiêu.", "Trường tuyển 9.800 chỉ tiêu.", 0.9, "Thông báo",
                          "2025-05-01", "", "thong-bao.png", 1, False, ocr=True)
    assert "(OCR)" in format_response(SearchResponse("Bao nhiêu chỉ tiêu?", False, (result,)))
    assert "(OCR)" not in format_response(SearchResponse("?", False, (replace(result, ocr=False),)))


def test_the_index_summary_names_each_file_left_out_once_with_what_to_do(dirs, data_copy, capsys, caplog, e5):
    (data_copy / "trong.txt").write_bytes(b" \n")
    (data_copy / "ban-cu.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (data_copy / "bang-phi.xlsx").write_bytes(b"PK\x03\x04")
    code, _, err = run(["index", *dirs], capsys)
    assert code == 0
    assert "skipped trong.txt: the file is empty" in err  # was "no paragraph of text found (the first line…)"
    assert "skipped ban-cu.doc: unsupported file type '.doc': open it in Word and save it as .docx" in err
    assert "skipped bang-phi.xlsx: unsupported file type '.xlsx': save it as PDF or DOCX" in err  # it said no more
    # said once, in the summary: not also as a log line before it, nor again at every question
    run(["ask", BORDER, *dirs], capsys)
    assert not [record for record in caplog.records if record.name == "retriever.skipped"]


def test_telegram_out_of_reach_while_polling_is_one_warning_line_and_other_errors_keep_their_traceback():
    """A 20-second outage printed 587 lines: each retry of PTB's polling loop, with some 90 lines of traceback."""
    import io
    import logging

    from telegram.error import Conflict, NetworkError

    from tracuu.logs import NETWORK_IN_ONE_LINE

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    updater = logging.getLogger("telegram.ext.Updater")
    updater.addHandler(handler)
    updater.addFilter(NETWORK_IN_ONE_LINE)
    try:
        conflict = Conflict("terminated by other getUpdates request; make sure that only one bot instance is running")
        for error in (NetworkError("httpx.ConnectError: All connection attempts failed"), conflict, KeyError("chat")):
            try:
                raise error
            except Exception:
                updater.exception("Exception happened while polling for updates.")
    finally:
        updater.removeHandler(handler)
        updater.removeFilter(NETWORK_IN_ONE_LINE)
    lines = stream.getvalue().splitlines()
    assert lines[0] == ("WARNING telegram.ext.Updater: Telegram could not be reached while polling for updates "
                        "(httpx.ConnectError: All connection attempts failed): retrying")
    # a second bot polling with the same token: a 27-line traceback at every poll
    assert lines[1].startswith("WARNING") and "another process polls Telegram with this bot's token" in lines[1]
    assert lines[2].startswith("ERROR") and "Traceback" in lines[3] and "KeyError" in lines[-1]


def test_sigterm_during_index_says_so_and_leaves_no_index_half_swapped(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    index = tmp_path / "index"
    child = subprocess.Popen([sys.executable, "-m", "tracuu.cli", "index", "-v", "--data", str(ROOT / "data"),
                              "--index", str(index)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert child.stderr is not None
    for line in child.stderr:  # the build has begun once it holds the index folder's lock
        if b"acquired on" in line:
            break
    child.terminate()  # as systemd or `docker stop` stops it
    _, err = child.communicate(timeout=120)
    assert child.returncode == 143
    said = err.decode().strip().splitlines()[-1]
    assert said == "tracuu: stopped by SIGTERM before `tracuu index` finished: run it again to finish", err
    assert not (index / "current").exists()
