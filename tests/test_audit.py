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
