"""MkDocs hook: the configuration reference is generated from the settings model (tracuu/settings.py), so
it cannot drift from the code. `{{ settings_reference }}` in a page becomes one table of every setting."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = "{{ settings_reference }}"


def _settings_model() -> Any:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tracuu.settings import Settings

    return Settings


def _default(value: object) -> str:
    if value is None:
        return "(calibrated)"
    if isinstance(value, bool):
        return f"`{int(value)}`"
    if isinstance(value, frozenset | set | tuple | list):
        return "(empty)" if not value else f"`{','.join(map(str, sorted(value)))}`"
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return f"`{text}`" if text else "(empty)"


def _kind(annotation: object) -> str:
    if get_origin(annotation) is Literal:
        return " \\| ".join(f"`{choice}`" for choice in get_args(annotation))
    names = {bool: "`0`/`1`", int: "integer", float: "number", str: "text", Path: "path"}
    if annotation in names:
        return names[annotation]
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if len(args) == 1 and args[0] in names:
        return names[args[0]] + " or empty"
    return "comma-separated ids"


def missing_descriptions() -> list[str]:
    """Settings without a description: the test suite fails on any."""
    model = _settings_model()
    return [name.upper() for name, field in model.model_fields.items() if not (field.description or "").strip()]


def settings_table() -> str:
    model = _settings_model()
    rows = ["| Setting | Default | Values | Meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        description = " ".join((field.description or "").split()).replace("|", "\\|")
        rows.append(f"| `{name.upper()}` | {_default(field.default)} | {_kind(field.annotation)} | {description} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, **_: object) -> str:
    if PLACEHOLDER not in markdown:
        return markdown
    missing = missing_descriptions()
    if missing:
        raise ValueError(f"settings without a description in tracuu/settings.py: {', '.join(missing)}")
    return markdown.replace(PLACEHOLDER, settings_table())
