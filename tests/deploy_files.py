"""The deploy files read as their programs read them: .env files as systemd's EnvironmentFile and compose's
env_file do, the systemd unit, compose.yaml and the Dockerfile; for tests/test_deploy.py and the rehearsal."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = ROOT / ".env.example"


def env_file(path: Path) -> dict[str, str]:
    """KEY=value lines; `#` starts a comment only at the start of a line (as in systemd: a `#` after a value
    is part of it), surrounding quotes are removed."""
    values = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def unit(path: Path = DEPLOY / "tracuu.service") -> dict[str, list[str]]:
    """Each [Service] key's values, in order."""
    found: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "Service" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


def unit_header(path: Path = DEPLOY / "tracuu.service") -> list[str]:
    """The install commands in the unit's leading comment (`#   sudo ...`)."""
    return [line.removeprefix("#").split(" # ")[0].strip() for line in path.read_text("utf-8").splitlines()
            if line.startswith("#   ")]


def unit_environment(service: dict[str, list[str]], files: dict[str, Path]) -> dict[str, str]:
    """What systemd gives the process: Environment= first, then each EnvironmentFile= (they override it).
    `files`: where each EnvironmentFile named by the unit is on this machine."""
    environment: dict[str, str] = {}
    for assignments in service.get("Environment", []):
        environment.update(part.split("=", 1) for part in shlex.split(assignments))  # type: ignore[misc]
    for name in service.get("EnvironmentFile", []):
        environment.update(env_file(files[name.lstrip("-")]))
    return environment


def compose(path: Path = DEPLOY / "compose.yaml") -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def interpolate(value: str, variables: dict[str, str]) -> str:
    """compose's ${NAME}, ${NAME:-default} and ${NAME:?error}."""
    def one(match: re.Match[str]) -> str:
        name, op, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        if variables.get(name):
            return variables[name]
        if op == ":?":
            raise KeyError(f"{name}: {rest}")
        return rest if op == ":-" else ""

    return re.sub(r"\$\{([A-Z0-9_]+)(:[-?])?([^}]*)\}", one, value)


def dockerfile(path: Path = DEPLOY / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the final stage and the build stage, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", path.read_text("utf-8"))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
            for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
