"""The published Bot API (tests/botapi/api.json) as a check: what the bot calls, and what the fake sends it."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from tests.telegram_rules import ApiError

SPEC = Path(__file__).parent / "botapi" / "api.json"
_SCALARS = {"Integer": int, "String": str, "Boolean": bool, "Float": (int, float), "True": bool}


@functools.cache
def spec() -> dict:
    return json.loads(SPEC.read_text("utf-8"))


def check_call(method: str, params: dict[str, Any]) -> None:
    """ApiError as Telegram answers a call it cannot take; unknown parameters too (Telegram ignores them, but a
    parameter it does not know is a bug in the bot)."""
    described = spec()["methods"].get(method)
    if described is None:
        raise ApiError(404, "Not Found")
    known = {field["name"]: field for field in described["fields"]}
    for name in params:
        if name not in known:
            raise ApiError(400, f"Bad Request: {method} has no parameter {name!r} (Bot API {spec()['version']})")
    for name, field in known.items():
        if name not in params:
            if field["required"]:
                raise ApiError(400, f"Bad Request: {name} is empty")
            continue
        try:
            fits = _fits(params[name], field["types"], wire=True)
        except AssertionError as error:
            raise ApiError(400, f"Bad Request: wrong parameter {name}: {error}") from error
        if not fits:
            raise ApiError(400, f"Bad Request: wrong type of parameter {name} ({field['types']})")


def check_object(kind: str, value: Any, path: str = "") -> None:
    """AssertionError naming the place where `value` is not a `kind` as Telegram sends it."""
    path = path or kind
    described = spec()["types"][kind]
    if "subtypes" in described:
        errors = []
        for subtype in described["subtypes"]:
            try:
                check_object(subtype, value, path)
                return
            except AssertionError as error:
                errors.append(str(error))
        raise AssertionError(f"{path}: none of {described['subtypes']} fits: {errors}")
    assert isinstance(value, dict), f"{path}: {kind} must be an object"
    known = {field["name"]: field for field in described["fields"]}
    for name in value:
        assert name in known, f"{path}: {kind} has no field {name!r}"
    for name, field in known.items():
        if name not in value:
            assert not field["required"], f"{path}: {kind}.{name} is required"
            continue
        assert _fits(value[name], field["types"], path=f"{path}.{name}"), f"{path}.{name}: not {field['types']}"
    if "type" in known and "status" not in known:
        _literal(kind, value, path)


def _literal(kind: str, value: dict, path: str) -> None:
    """Subtypes say which they are in `type` (MessageOriginChannel: "channel")."""
    prefix = {"MessageOrigin": "MessageOrigin", "ChatMember": "ChatMember"}
    for parent, start in prefix.items():
        if kind.startswith(start) and kind != parent:
            expected = kind[len(start):].lower()
            expected = {"hiddenuser": "hidden_user"}.get(expected, expected)
            assert value.get("type") == expected, f"{path}: a {kind} has type {expected!r}"


def _fits(value: Any, types: list[str], wire: bool = False, path: str = "") -> bool:
    for kind in types:
        if kind.startswith("Array of "):
            if isinstance(value, list) and all(_fits(item, [kind[len("Array of "):]], wire, path) for item in value):
                return True
            continue
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            if isinstance(value, bool) and scalar is not bool:
                continue
            if isinstance(value, scalar) or (wire and _parses(value, kind)):
                return True
            continue
        if kind == "InputFile":
            if not isinstance(value, dict | list | int | float | bool):
                return True  # an upload (multipart) or a file_id/URL string
            continue
        if isinstance(value, dict):
            if len(types) == 1:  # the only type it may be: say where it is not
                check_object(kind, value, path or kind)
                return True
            try:
                check_object(kind, value, path or kind)
            except AssertionError:
                continue
            return True
    return False


def _parses(value: Any, kind: str) -> bool:
    """Form-encoded calls carry numbers and booleans as text."""
    if not isinstance(value, str):
        return False
    if kind == "Integer":
        return value.lstrip("-").isdigit()
    if kind == "Float":
        try:
            float(value)
        except ValueError:
            return False
        return True
    return kind in {"Boolean", "True"} and value in {"true", "false", "True", "False"}


def check_update(update: dict) -> None:
    check_object("Update", update)
