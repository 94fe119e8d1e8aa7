"""`make audit`: pip-audit of the installed dependencies, failing only on a known vulnerability.

pip-audit asks PyPI's JSON API (or OSV) about every installed package. Where that service cannot be
reached (a CI runner with only a package mirror), it skips each package and still says "No known
vulnerabilities found"; that must neither pass for a clean audit nor fail the build. So: a vulnerability
not explained in .ci/audit-ignore.txt fails; packages that could not be audited are counted in one
warning line; the exit code is 0 otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

IGNORE_FILE = Path(__file__).with_name("audit-ignore.txt")


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
    lines, found, skipped = [], 0, 0
    dependencies = report.get("dependencies", [])
    for dependency in dependencies:
        if "skip_reason" in dependency:
            skipped += 1
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
    audited = len(dependencies) - skipped
    if skipped:
        lines.append(
            f"audit: warning: {skipped} of {len(dependencies)} packages could not be audited "
            "(vulnerability service unreachable?): not checked"
        )
    lines.append(f"audit: {audited} packages audited, {found} unexplained vulnerabilities")
    return (1 if found else 0), lines


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "--local", "--skip-editable", "--format", "json",
               "--progress-spinner", "off", "--timeout", "15"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        # pip-audit itself failed before reporting (typically no network at all): not a finding
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit: warning: pip-audit could not run ({last[:200]}): not checked")
        return 0
    code, lines = verdict(report, ignored())
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
