"""What the command line is given that it cannot use is said in one line naming the flag or the path, and
said before any index is built or any passage encoded."""

from __future__ import annotations

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
