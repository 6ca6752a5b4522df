"""Starting a server on this machine and waiting until it answers, for the tests and bench/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from webapp.settings import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes] | None = None, seconds: float = 20) -> float:
    """Seconds until ``url`` answers over HTTP, whatever the status; fails at once if
    ``process`` exits first, and after ``seconds`` if nothing answers."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.monotonic() - start
        except urllib.error.HTTPError:
            return time.monotonic() - start
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def start(
    command: list[str],
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    output: int | IO[bytes] | None = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """A process with the environment plus ``env``; its output to ``output`` (stderr with it)."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT if output == subprocess.PIPE else output,
    )


def start_server(
    port: int,
    *args: str,
    env: dict[str, str] | None = None,
    output: int | IO[bytes] | None = subprocess.DEVNULL,
    command: tuple[str, ...] | None = None,
    cwd: Path = ROOT,
    seconds: float = 20,
) -> subprocess.Popen[bytes]:
    """`python -m webapp serve` (or ``command``) on a port, as a person starts it; returns once
    it answers. If it does not answer within ``seconds``, it is killed before the error is raised,
    so no test leaves a server behind."""
    process = start(
        [*(command or (sys.executable, "-m", "webapp")), "serve", "--port", str(port), *args], env, cwd, output
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process, seconds)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process
