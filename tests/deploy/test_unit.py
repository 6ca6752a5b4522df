"""The systemd unit as systemd itself judges it: `systemd-analyze verify` finds nothing but the
binary that is not installed here, and `security --offline=true` rates its exposure at most 2.0."""

from __future__ import annotations

import re
import subprocess

from tests.tools import ROOT, find

UNIT = ROOT / "deploy" / "trygg-sida.service"
NOT_INSTALLED = "Command /opt/trygg-sida/venv/bin/trygg-sida is not executable: No such file or directory"


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([find("systemd-analyze"), *args], capture_output=True, text=True, timeout=60)


def test_verify_finds_nothing_but_the_missing_binary() -> None:
    result = analyze("verify", str(UNIT))
    problems = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert problems == [f"{UNIT.name}: {NOT_INSTALLED}"]


def test_exposure_is_at_most_two() -> None:
    result = analyze("security", "--offline=true", "--no-pager", str(UNIT))
    found = re.search(r"Overall exposure level for trygg-sida\.service: (\d+\.\d)", result.stdout)
    assert found, result.stdout + result.stderr
    print(f"\nexposure: {found[1]}")
    assert float(found[1]) <= 2.0


def test_runs_behind_the_proxy_and_stops_gracefully() -> None:
    service = dict(
        line.split("=", 1) for line in UNIT.read_text().splitlines() if "=" in line and not line.startswith("#")
    )
    assert "--host 127.0.0.1" in service["ExecStart"] and "--workers ${WORKERS}" in service["ExecStart"]
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    assert service["StateDirectory"] == "trygg-sida"
    assert "TRYGG_REACH_DB=/var/lib/trygg-sida/reach.sqlite3" in service["Environment"].split()
    assert "WORKERS=0" in service["Environment"].split()
