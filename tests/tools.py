"""Outside tools some tests need (Chromium, nginx, Java with vnu.jar): skipped with one reason
when missing on a developer's machine, a failure when TRYGG_REQUIRE_TOOLS=1 (set by .ci/run)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.servers import free_port, start_server, wait_until_answering
from webapp.settings import ROOT

__all__ = [
    "MEASURED",
    "ROOT",
    "find",
    "free_port",
    "locked_snapshot",
    "missing",
    "nu_checker",
    "required",
    "start_server",
    "untrace_children",
    "vnu_jar",
    "wait_until_answering",
]
# The setting coverage passes to a child process to trace it. tests/conftest.py empties it in every
# process that runs tests, so their children (servers, commands, builds) run untraced: what they run
# of webapp/ the tests also run in-process, and tracing a whole other interpreter costs seconds. A
# test whose child runs lines nothing in-process can reach (a real broken pipe) passes MEASURED.
CHILD_COVERAGE = "COVERAGE_PROCESS_CONFIG"
MEASURED: dict[str, str] = {}
# A run of a few seconds: the first compiler tier only and one garbage collector thread take half
# the CPU of the JVM's defaults; the checker then needs more stack than that tier's default.
JAVA_QUICK = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")
VNU = ROOT / "tests" / "browser" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def untrace_children() -> None:
    """From now on a child runs untraced, unless started with MEASURED in its environment."""
    MEASURED.setdefault(CHILD_COVERAGE, os.environ.get(CHILD_COVERAGE, ""))
    os.environ[CHILD_COVERAGE] = ""


def required() -> bool:
    return os.environ.get("TRYGG_REQUIRE_TOOLS") == "1"


def missing(reason: str) -> NoReturn:
    if required():
        pytest.fail(reason)
    pytest.skip(reason)


def find(command: str, *extra_dirs: str) -> str:
    """The path of a command, or skip (fail under TRYGG_REQUIRE_TOOLS=1) with one reason."""
    found = shutil.which(command, path=os.pathsep.join([os.environ.get("PATH", ""), *extra_dirs]))
    if found:
        return found
    missing(f"{command} is not installed (make system-deps installs it)")


def vnu_jar() -> Path:
    if VNU.exists():
        return VNU
    missing(f"{VNU.name} is missing (make test installs tests/browser/js)")


def nu_checker(files: Iterable[Path | str]) -> tuple[int, list[dict[str, Any]]]:
    """The W3C Nu Html Checker over the files, warnings as errors: its exit code and its messages."""
    command = [
        find("java"),
        *JAVA_QUICK,
        "-jar",
        str(vnu_jar()),
        "--format",
        "json",
        "--stdout",
        "--Werror",
        *map(str, files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return result.returncode, json.loads(result.stdout or "{}").get("messages", [])


def locked_snapshot(path: Path, actual: str) -> str:
    """The locked text of a snapshot, written from ``actual`` only when TRYGG_UPDATE_SNAPSHOTS=1:
    a missing snapshot fails, so a lock can never quietly lock itself."""
    if os.environ.get("TRYGG_UPDATE_SNAPSHOTS") == "1":
        path.write_text(actual, "utf-8")
    if not path.exists():
        pytest.fail(f"{path.name} is missing: run with TRYGG_UPDATE_SNAPSHOTS=1 and read the diff")
    return path.read_text("utf-8")
