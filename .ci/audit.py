"""`make audit`: pip-audit of the locked dependencies (requirements.lock), failing only on a known vulnerability.

pip-audit asks PyPI's release JSON (`/pypi/NAME/VERSION/json`) about every pinned package. Where that
cannot be reached (a runner behind a package mirror that serves only project pages, as here), it skips
each package and still says "No known vulnerabilities found"; that must neither pass for a clean audit nor
fail the build. So a skipped pin is looked up once more on its project page (`/pypi/NAME/json`), whose
`vulnerabilities` are PyPI's advisories for the latest release: they count for a pin that *is* the latest
release, and anything else stays "not audited". A vulnerability not explained in .ci/audit-ignore.txt
fails; packages that could not be audited are counted in one warning line; the exit code is 0 otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

IGNORE_FILE = Path(__file__).with_name("audit-ignore.txt")
LOCK_FILE = Path(__file__).parent.parent / "requirements.lock"
PROJECT_PAGE = "https://pypi.org/pypi/{name}/json"


def project_page(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(PROJECT_PAGE.format(name=name), timeout=15) as response:
            return json.load(response)
    except (OSError, ValueError):
        return None


def from_project_pages(report: dict, pins: dict[str, str], fetch: Callable[[str], dict | None]) -> dict:
    """The report with each skipped pin that is its project's latest release audited from the project page."""

    def fill(dependency: dict) -> dict:
        name = canonical(dependency["name"])
        if "skip_reason" not in dependency or name not in pins:
            return dependency
        page = fetch(name)
        if not page or page.get("info", {}).get("version") != pins[name] or "vulnerabilities" not in page:
            return dependency
        vulns = [
            {"id": v["id"], "aliases": v.get("aliases", []), "fix_versions": v.get("fixed_in", [])}
            for v in page["vulnerabilities"]
            if not v.get("withdrawn")
        ]
        return {"name": name, "version": pins[name], "vulns": vulns}

    with ThreadPoolExecutor(8) as pool:
        return {**report, "dependencies": list(pool.map(fill, report.get("dependencies", [])))}


def locked_pins() -> dict[str, str]:
    pins = {}
    for line in LOCK_FILE.read_text("utf-8").splitlines():
        name, _, version = line.split("#", 1)[0].strip().partition("==")
        if version:
            pins[canonical(name)] = version
    return pins


def canonical(name: str) -> str:
    """PEP 503 normalised: pip-audit and pip freeze spell some names differently."""
    return re.sub(r"[-_.]+", "-", name).lower()


def ignored() -> dict[str, str]:
    """Vulnerability id -> why it does not apply (lines `ID  reason`; # comments)."""
    if not IGNORE_FILE.is_file():
        return {}
    entries = {}
    for line in IGNORE_FILE.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            vuln, _, reason = line.partition(" ")
            entries[vuln] = reason.strip()
    return entries


def verdict(report: dict, explained: dict[str, str]) -> tuple[int, list[str]]:
    """Exit code and the lines to print for a pip-audit JSON report."""
    lines, found, skipped = [], 0, []
    dependencies = report.get("dependencies", [])
    for dependency in dependencies:
        if "skip_reason" in dependency:
            skipped.append(dependency["name"])
            continue
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            reason = next((explained[i] for i in sorted(ids) if i in explained), None)
            name = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            if reason:
                lines.append(f"audit: {name} explained: {reason}")
                continue
            found += 1
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            lines.append(f"audit: {name} (fixed in {fixes}): upgrade, or explain it in {IGNORE_FILE.name}")
    audited = len(dependencies) - len(skipped)
    if skipped:
        lines.append(
            f"audit: warning: {len(skipped)} of {len(dependencies)} packages could not be audited "
            f"(vulnerability service unreachable?): not checked: {', '.join(sorted(skipped))}"
        )
    lines.append(f"audit: {audited} packages audited, {found} unexplained vulnerabilities")
    return (1 if found else 0), lines


def main() -> int:
    # every pin is exact, so no resolver is needed (--no-deps --disable-pip): the audit sees the lock as is
    command = [sys.executable, "-m", "pip_audit", "-r", str(LOCK_FILE), "--no-deps", "--disable-pip",
               "--format", "json", "--progress-spinner", "off", "--timeout", "15"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        # pip-audit itself failed before reporting (typically no network at all): not a finding
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit: warning: pip-audit could not run ({last[:200]}): not checked")
        return 0
    code, lines = verdict(from_project_pages(report, locked_pins(), project_page), ignored())
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
