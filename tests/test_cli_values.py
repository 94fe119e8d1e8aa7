"""What the command line is given that it cannot use is said in one line naming the flag or the path, and
said before any index is built or any passage encoded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.test_setting_values import QUESTION, ROOT, one_line, said

QUESTIONS = ROOT / "eval" / "seed_dev.jsonl"


@pytest.mark.parametrize(("argv", "flag", "wanted"), [
    (["bench", "--passages", "0"], "--passages", "at least 1"),
    (["bench", "--passages", "10000", "-5"], "--passages", "at least 1"),
    (["ask", QUESTION, "-k", "50"], "-k", "at most 10"),
    (["chat", "-k", "11"], "-k", "at most 10"),
])
def test_a_count_out_of_range_is_refused_by_the_flag(argv, flag, wanted, capsys, tmp_path) -> None:
    code, err = said([*argv, "--work" if argv[0] == "bench" else "--index", str(tmp_path / "out")], capsys)
    line = one_line(err)
    assert code == 2 and f"argument {flag}" in line and wanted in line
    assert not (tmp_path / "out").exists()


def test_bench_on_postgres_says_the_database_is_unreachable_before_encoding(capsys, monkeypatch, tmp_path) -> None:
    from tests.pg_fixtures import free_port

    monkeypatch.setenv("DATABASE_URL", f"postgresql://bench@127.0.0.1:{free_port()}/bench")
    code, err = said(["bench", "--backend", "postgres", "--passages", "1000", "--work", str(tmp_path / "w")], capsys)
    line = one_line(err)
    assert code == 75 and "cannot reach the index database at DATABASE_URL" in line and "Connection refused" in line
    assert not (tmp_path / "w").exists()  # nothing encoded or written first


@pytest.mark.parametrize(("option", "wanted"), [
    ("gate_depth=abc", "gate_depth takes a whole number"),
    ("sentence_vectors=maybe", "sentence_vectors takes 0 or 1"),
    ("min_relevance=high", "min_relevance takes a number of at least 0 or none"),
    ("gate_depth=-5", "gate_depth takes a whole number of at least 1"),
    ("lexical_weight=nan", "lexical_weight takes a number of at least 0"),
    ("follow_ratio=-1", "follow_ratio takes a number of at least 0"),
])
def test_an_option_value_of_the_wrong_kind_names_the_option_and_its_kind(option, wanted, capsys, tmp_path) -> None:
    code, err = said(["eval", str(QUESTIONS), "--option", option, "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)
    assert code == 2 and f"--option {option}: {wanted}" in line
    assert not (tmp_path / "index").exists()


def test_option_values_are_read_as_their_option_is_typed() -> None:
    from retriever.query.options import SearchOptions
    from tracuu.configured import search_options

    options = search_options(SearchOptions(), {"gate_depth": "1", "sentence_vectors": "off",
                                               "min_relevance": "0.4", "removed_margin": "none"})
    assert (options.gate_depth, options.sentence_vectors, options.min_relevance, options.removed_margin) == (
        1, False, 0.4, None)


def test_calibrate_names_a_missing_question_file_before_building_any_index(capsys, tmp_path) -> None:
    data = str(ROOT / "data")
    missing = tmp_path / "missing.jsonl"
    code, err = said(["calibrate", "--set", data, str(QUESTIONS), "--set", data, str(missing),
                      "--work", str(tmp_path / "work")], capsys)
    assert code == 2 and f"Question file {missing} does not exist" in one_line(err)
    assert not (tmp_path / "work").exists()


def test_a_file_given_for_a_folder_and_a_folder_for_a_file_are_called_what_they_are(capsys, tmp_path) -> None:
    article = ROOT / "data" / next(path.name for path in (ROOT / "data").iterdir() if path.is_file())
    code, err = said(["index", "--data", str(article), "--index", str(tmp_path / "index")], capsys)
    assert code == 2 and f"Data folder {article} (DATA_DIR or --data) is a file, not a folder" in one_line(err)
    code, err = said(["eval", str(tmp_path), "--index", str(tmp_path / "index")], capsys)
    assert code == 2 and f"Question file {tmp_path} is a folder" in one_line(err)
    code, err = said(["calibrate", "--set", str(article), str(QUESTIONS), "--set", str(ROOT / "data"),
                      str(QUESTIONS), "--work", str(tmp_path / "work")], capsys)
    assert code == 2 and f"Collection folder {article} is a file, not a folder" in one_line(err)
    assert not (tmp_path / "index").exists() and not (tmp_path / "work").exists()


def test_a_data_dir_setting_that_names_a_file_is_named_as_the_setting(capsys, monkeypatch, tmp_path) -> None:
    article = ROOT / "data" / next(path.name for path in (ROOT / "data").iterdir() if path.is_file())
    monkeypatch.setenv("DATA_DIR", str(article))
    code, err = said(["ask", QUESTION, "--index", str(tmp_path / "index")], capsys)
    # "pass --data DIR": the operator had passed no flag, and was not told that DATA_DIR was what to change
    assert code == 2 and "(DATA_DIR or --data) is a file, not a folder" in one_line(err)
    assert not (tmp_path / "index").exists()


def test_a_folder_it_may_not_read_is_not_called_one_it_may_not_write() -> None:
    from retriever.explain import explain

    # a mode refuses root nothing (the tests may run as root): the error as the file system makes it
    line = explain(PermissionError(13, "Permission denied", "/srv/tracuu/index"))
    assert line == "no permission to read or write there: /srv/tracuu/index"


@pytest.mark.parametrize("module", ["benchmarks.formats", "benchmarks.e5_weights"])
def test_a_benchmark_without_options_still_answers_help_without_running(module) -> None:
    done = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("usage:"), done.stderr
    assert "|---" not in done.stdout


@pytest.mark.parametrize(("content", "wanted"), [
    ('{"question": "Biên giới dài bao nhiêu km?", "answers": "2.300 km"}\n', '"answers" is a list of texts'),
    ('{"question": null, "answers": []}\n', 'no "question" text'),
    ('["Biên giới dài bao nhiêu km?"]\n', 'no "question" text'),
    ("\n\n", "holds no questions"),
    ('{"question": "Biên giới', "is not JSON"),
])
def test_a_question_file_that_is_not_questions_is_named_with_its_line(content, wanted, capsys, tmp_path) -> None:
    # a string of answers was read one character an answer (hit@5 1.0), a null question asked as "None", and
    # an empty file reported zeros with exit 0
    questions = tmp_path / "q.jsonl"
    questions.write_text(content, "utf-8")
    code, err = said(["eval", str(questions), "--index", str(tmp_path / "index")], capsys)
    line = one_line(err)
    assert code == 2 and str(questions) in line and wanted in line
    assert not (tmp_path / "index").exists()


def test_a_question_file_not_in_utf8_is_named(capsys, tmp_path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_bytes(b'{"question": "Bi\xeau gi\xe9i?", "answers": []}\n')  # Latin-1, as an old editor saved it
    code, err = said(["eval", str(questions), "--index", str(tmp_path / "index")], capsys)
    assert code == 2 and "is not UTF-8 text" in one_line(err)


def test_a_question_file_saved_with_a_byte_order_mark_is_read_from_its_first_line(capsys, tmp_path) -> None:
    questions = tmp_path / "q.jsonl"
    # as Notepad or Excel saves UTF-8; line 2 stops the run before any index is built, once line 1 is read
    questions.write_bytes(b"\xef\xbb\xbf" + '{"question": "Biên giới dài bao nhiêu km?", "answers": []}\n{'.encode())
    code, err = said(["eval", str(questions), "--index", str(tmp_path / "index")], capsys)
    # line 1 was "not JSON (Unexpected UTF-8 BOM (decode using utf-8-sig))"
    assert code == 2 and f"{questions} line 2 is not JSON" in one_line(err)


def test_a_calibration_file_named_on_the_command_line_that_is_none_stops_the_run(capsys, tmp_path) -> None:
    # it was ignored with a warning, and the figures of the shipped gate reported as if they were its own
    broken = tmp_path / "calibration.json"
    broken.write_text('{"format": 3, "features": [', "utf-8")
    code, err = said(["eval", str(QUESTIONS), "--calibration", str(broken), "--index", str(tmp_path / "index")],
                     capsys)
    assert code == 2 and f"--calibration {broken} is not a file `tracuu calibrate` wrote" in one_line(err)
    assert not (tmp_path / "index").exists()


def test_a_bad_flag_value_is_one_line_with_where_to_read_the_usage(capsys, tmp_path) -> None:
    # argparse printed the command's whole usage block first, the line that mattered last
    code, err = said(["ask", "biên giới", "-k", "50", "--index", str(tmp_path / "index")], capsys)
    assert code == 2 and err.count("\n") == 1 and "argument -k" in err and "tracuu ask --help" in err


def test_a_question_file_that_is_not_a_regular_file_is_read_as_it_is(capsys, tmp_path) -> None:
    code, err = said(["eval", "/dev/null", "--index", str(tmp_path / "index")], capsys)
    # it was said not to exist
    assert code == 2 and "/dev/null holds no questions" in one_line(err)


@pytest.mark.parametrize(("said", "again"), [
    ('could not translate host name "db" to address: Temporary failure in name resolution', True),  # at boot
    ('could not translate host name "db.invalid" to address: Name or service not known', False),  # a typo
    ("connection refused", True), ('password authentication failed for user "tracuu"', False),
])
def test_a_database_that_may_answer_later_is_told_from_a_setting_to_fix(said: str, again: bool) -> None:
    import psycopg

    from retriever.index.postgres.conninfo import passing

    assert passing(psycopg.OperationalError(said)) is again  # 75: restarted; 2: the operator's to fix


def test_a_read_only_index_folder_is_named_by_its_setting(capsys, monkeypatch, tmp_path) -> None:
    import errno

    from filelock import FileLock

    from retriever.index.local.lock import LOCK_FILE
    from tests.fakes import HashEncoder
    from tracuu import configured

    data, index = tmp_path / "data", tmp_path / "index"
    data.mkdir()
    index.mkdir()
    (data / "a.txt").write_text("Biên giới\n\nĐường biên giới Việt Nam - Lào dài 2.300 km.\n", "utf-8")
    monkeypatch.setattr(configured, "configured_encoder", lambda settings: HashEncoder())
    # a mode refuses root nothing (the tests may run as root): the error as a read-only mount makes it
    def read_only(self: FileLock, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system", str(index / LOCK_FILE))

    argv = ["--data", str(data), "--index", str(index)]
    with monkeypatch.context() as patched:
        patched.setattr(FileLock, "acquire", read_only)
        code, err = said(["index", *argv], capsys)
    assert code == 2 and one_line(err) == (
        f"tracuu: Index folder {index} (INDEX_DIR or --index) cannot be used: "
        f"the folder is read-only: {index} (give the bot a writable folder)")

    assert said(["index", *argv], capsys)[0] == 0  # built; then an update it cannot write
    (data / "b.txt").write_text("Sông Mê Kông\n\nSông Mê Kông chảy qua sáu nước.\n", "utf-8")
    monkeypatch.setattr(FileLock, "acquire", read_only)
    code, err = said(["index", *argv], capsys)
    assert code == 2 and err.strip().splitlines()[-1] == (
        f"tracuu: Could not update the index in {index} (INDEX_DIR or --index): "
        f"the folder is read-only: {index} (give the bot a writable folder)")
