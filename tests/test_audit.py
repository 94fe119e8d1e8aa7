"""The CI audit's verdict (.ci/audit.py): vulnerabilities fail, an unreachable service only warns."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
assert spec is not None and spec.loader is not None
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

VULNERABLE = {"name": "aiohttp", "version": "3.8.0", "vulns": [
    {"id": "PYSEC-2023-1", "aliases": ["CVE-2023-0001"], "fix_versions": ["3.8.5"]},
]}  # fmt: skip
CLEAN = {"name": "numpy", "version": "2.4.6", "vulns": []}
SKIPPED = {"name": "torch", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_an_unexplained_vulnerability_fails_the_build() -> None:
    code, lines = audit.verdict({"dependencies": [VULNERABLE, CLEAN]}, {})
    assert code == 1 and any("aiohttp 3.8.0: PYSEC-2023-1 (fixed in 3.8.5)" in line for line in lines)


def test_an_explained_vulnerability_passes_with_its_reason() -> None:
    code, lines = audit.verdict({"dependencies": [VULNERABLE]}, {"CVE-2023-0001": "server side only; we are a client"})
    assert code == 0 and any("explained: server side only" in line for line in lines)


def test_an_unreachable_service_warns_but_does_not_fail() -> None:
    code, lines = audit.verdict({"dependencies": [SKIPPED, CLEAN]}, {})
    assert code == 0 and "1 of 2 packages could not be audited" in lines[0]


def page(version: str, *vulns: dict) -> dict:
    return {"info": {"version": version}, "vulnerabilities": list(vulns)}


ADVISORY = {"id": "GHSA-xxxx", "aliases": ["CVE-2026-0002"], "fixed_in": ["3.9.1"], "withdrawn": None}


def test_a_skipped_pin_that_is_the_latest_release_is_audited_from_its_project_page() -> None:
    report = {"dependencies": [{"name": "aiohttp", "skip_reason": "not found"}]}
    filled = audit.from_project_pages(report, {"aiohttp": "3.9.0"}, lambda name: page("3.9.0", ADVISORY))
    code, lines = audit.verdict(filled, {})
    assert code == 1 and any("aiohttp 3.9.0: GHSA-xxxx (fixed in 3.9.1)" in line for line in lines)


def test_an_older_pin_or_an_unreachable_page_stays_not_audited() -> None:
    report = {"dependencies": [{"name": "Pydantic_Core", "skip_reason": "x"}, {"name": "numpy", "skip_reason": "x"}]}
    pins = {"pydantic-core": "2.0.0", "numpy": "2.4.6"}
    filled = audit.from_project_pages(report, pins, lambda name: page("2.1.0") if name == "pydantic-core" else None)
    code, lines = audit.verdict(filled, {})
    assert code == 0 and "2 of 2 packages could not be audited" in lines[0] and "Pydantic_Core" in lines[0]
