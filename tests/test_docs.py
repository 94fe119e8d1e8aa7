"""The documentation stays true to the code: settings, the README, the dashboard, and the repository's
language."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _hook():
    spec = importlib.util.spec_from_file_location("settings_reference", ROOT / "docs/hooks/settings_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_setting_has_a_description_and_a_line_in_env_example() -> None:
    from tracuu.settings import Settings

    assert _hook().missing_descriptions() == []
    example = (ROOT / ".env.example").read_text("utf-8")
    missing = [name.upper() for name in Settings.model_fields if not re.search(rf"^#? ?{name.upper()}=", example,
                                                                               re.MULTILINE)]
    assert missing == []


def test_a_setting_without_a_description_fails_the_reference(monkeypatch) -> None:
    from pydantic.fields import FieldInfo

    from tracuu.settings import Settings

    hook = _hook()
    fields = dict(Settings.model_fields)
    fields["new_setting"] = FieldInfo(annotation=int, default=1)
    monkeypatch.setattr(Settings, "model_fields", fields)
    assert hook.missing_descriptions() == ["NEW_SETTING"]
    try:
        hook.on_page_markdown("{{ settings_reference }}")
    except ValueError as error:
        assert "NEW_SETTING" in str(error)
    else:
        raise AssertionError("the reference was built without a description")


def test_the_reference_lists_every_setting_with_its_default() -> None:
    table = _hook().settings_table()
    assert "| `ADMIN_IDS` | (empty) |" in table and "| `TOP_K` | `3` |" in table
    assert table.count("`STATE_PATH`") == 1  # once, not twice


def test_the_readme_is_short_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 150
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)|src=\"([^\"]+)\"", readme):
        path = next(part for part in target if part)
        if not path.startswith("http"):
            assert (ROOT / path).exists(), path


def test_the_dashboard_asks_only_for_metrics_the_bot_exports() -> None:
    from bot.web.metrics import Metrics

    exported = {metric.name for metric in Metrics().registry.collect()}
    dashboard = json.loads((ROOT / "docs/grafana/tracuu-dashboard.json").read_text("utf-8"))
    asked = {re.sub(r"_(total|bucket|count|sum)$", "", name)
             for panel in dashboard["panels"] for target in panel["targets"]
             for name in re.findall(r"tracuu_\w+", target["expr"])}  # fmt: skip
    assert asked and asked <= exported, asked - exported


def test_the_monitoring_table_names_every_metric_the_bot_exports() -> None:
    from bot.web.metrics import Metrics

    table = (ROOT / "docs/deployment.md").read_text("utf-8").split("## Monitoring", 1)[1]
    exported = {metric.name + ("_total" if metric.type == "counter" else "") for metric in Metrics().registry.collect()}
    assert {name for name in exported if f"`{name}`" not in table} == set()


def test_no_file_speaks_of_issue_numbers_or_work_rounds() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    pattern = re.compile(r"\bissue[ _-]?\d+|\bthis round\b|today's main|\bthis session\b", re.IGNORECASE)
    files = [name for name in files if name != "tests/test_docs.py" and not name.endswith((".png", ".pdf"))]
    said = [f"{name}: {match.group(0)}" for name in files
            for match in [pattern.search(name + "\n" + _text(ROOT / name))] if match]  # fmt: skip
    assert said == []


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return ""


def test_the_command_line_page_names_every_flag_of_every_command() -> None:
    from tracuu.cli import build_parser

    page = (ROOT / "docs/command-line.md").read_text("utf-8")
    [commands] = [action for action in build_parser()._actions if action.choices]
    missing = []
    for name, parser in commands.choices.items():
        [synopsis] = [line for line in page.splitlines() if line.startswith(f".venv/bin/tracuu {name} ")]
        shown = set(re.findall(r"(?<![\w-])-{1,2}[a-z][a-z-]*", synopsis.split("#")[0]))
        for action in parser._actions:
            flags = [flag for flag in action.option_strings if flag not in {"-h", "--help"}]
            if flags and not shown & set(flags):  # in the command's line
                missing.append(f"{name} {flags[0]}")
            missing += [f"{name} {flag} (table)" for flag in flags if f"| `{flag}" not in page
                        and f", `{flag}" not in page]
    assert missing == []
