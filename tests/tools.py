"""Outside tools some tests need (Chromium, nginx, Java with vnu.jar): skipped with one reason
when missing on a developer's machine, a failure when TRYGG_REQUIRE_TOOLS=1 (set by .ci/run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "tests" / "browser" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def required() -> bool:
    return os.environ.get("TRYGG_REQUIRE_TOOLS") == "1"


def find(command: str, *extra_dirs: str) -> str:
    """The path of a command, or skip (fail under TRYGG_REQUIRE_TOOLS=1) with one reason."""
    found = shutil.which(command, path=os.pathsep.join([os.environ.get("PATH", ""), *extra_dirs]))
    if found:
        return found
    reason = f"{command} is not installed (make system-deps installs it)"
    if required():
        pytest.fail(reason)
    pytest.skip(reason)


def vnu_jar() -> Path:
    if VNU.exists():
        return VNU
    reason = f"{VNU.name} is missing (make test installs tests/browser/js)"
    if required():
        pytest.fail(reason)
    pytest.skip(reason)
