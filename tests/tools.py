"""Outside tools some tests need (Chromium, nginx, Java with vnu.jar): skipped with one reason
when missing on a developer's machine, a failure when TRYGG_REQUIRE_TOOLS=1 (set by .ci/run)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "tests" / "browser" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def start_server(port: int, *args: str, env: dict[str, str] | None = None,
                 output: int | IO[bytes] | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    """`python -m webapp serve` on a port, as a person starts it; returns once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp", "serve", "--port", str(port), *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output,
        stderr=subprocess.STDOUT if output == subprocess.PIPE else subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return process
