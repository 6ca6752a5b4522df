"""The OCI image as `make image` builds it, run with real podman the way an operator runs it:
read-only, as its own user, answering every page exactly as the app run directly does."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.parallel import SOURCE_TREE
from tests.servers import start_server, wait_until_answering
from tests.tools import ROOT, find, free_port
from webapp.locales import PUBLISHED
from webapp.pages import PAGES
from webapp.security import security_headers
from webapp.settings import Settings

# make image writes build/wheels and the egg-info into the repository: one build at a time.
pytestmark = SOURCE_TREE

BASE = "docker.io/library/debian:bookworm-slim"
VERSION = next(
    line.split('"')[1] for line in (ROOT / "pyproject.toml").read_text().splitlines() if line.startswith("version =")
)
IMAGE = f"localhost/trygg-sida:{VERSION}"
# What podman needs on this kind of host (the Makefile's PODMAN_FLAGS, for build and run).
RUNTIME = ("--runtime", "runc")
RUN_FLAGS = ("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--network", "host")
SECURITY = [name.decode() for name, _ in security_headers(Settings())]
CACHE = ["cache-control", "cdn-cache-control", "etag", "vary", "content-type"]
PATHS = [page.path(info.code) for info in PUBLISHED for page in PAGES] + ["/sv/nope"]
PODMAN_FILES = {"/etc", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"}


def podman(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["podman", *RUNTIME, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def image() -> str:
    """`make image`, once a session; the base is made from Debian's packages only when missing."""
    find("podman")
    if podman("image", "exists", BASE).returncode != 0:
        find("mmdebstrap")
    started = time.monotonic()
    built = subprocess.run(
        ["make", "--no-print-directory", "image"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    print(f"\nmake image: {time.monotonic() - started:.1f} s")
    return IMAGE


@pytest.fixture(scope="module")
def direct() -> Iterator[str]:
    port = free_port()
    process = start_server(port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def container(image: str) -> Iterator[tuple[str, str]]:
    """The image run read-only, its command's port changed as `podman run IMAGE serve --port N`."""
    name, port = f"trygg-test-{os.getpid()}", free_port()
    started = time.monotonic()
    run = podman(
        *("run", "--detach", "--read-only", "--name", name, *RUN_FLAGS, image),
        *("serve", "--host", "127.0.0.1", "--port", str(port)),
    )
    assert run.returncode == 0, run.stderr
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/healthz", seconds=30)
        print(f"\ncontainer start to first answer: {time.monotonic() - started:.2f} s")
        yield name, url
    finally:
        podman("rm", "--force", "--volumes", name)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_the_layers_on_the_base_stay_small_and_hold_no_build_tools(image: str) -> None:
    sizes = [int(podman("image", "inspect", "--format", "{{.Size}}", name).stdout) for name in (image, BASE)]
    added = (sizes[0] - sizes[1]) / 1e6
    print(f"\nimage {sizes[0] / 1e6:.1f} MB, base {sizes[1] / 1e6:.1f} MB, added {added:.1f} MB")
    assert added < 200
    probe = "import importlib.util as u; print([m for m in ('pip', 'translate', 'lxml', 'pytest') if u.find_spec(m)])"
    found = podman("run", "--rm", *RUN_FLAGS, "--entrypoint", "python", image, "-c", probe)
    assert found.stdout == "[]\n", found.stderr
    tools = podman("run", "--rm", *RUN_FLAGS, "--entrypoint", "sh", image, "-c", "ls /wheels; command -v gcc cc pip")
    assert tools.stdout == "" and tools.returncode != 0


def test_labels_and_how_it_runs(image: str) -> None:
    config = podman("image", "inspect", "--format", "{{json .Config}}", image).stdout
    for label in ("title", "description", "source", "version", "licenses"):
        assert f'"org.opencontainers.image.{label}":' in config
    assert f'"org.opencontainers.image.version":"{VERSION}"' in config
    assert '"StopSignal":"SIGTERM"' in config
    assert '"Entrypoint":["/opt/trygg-sida/venv/bin/trygg-sida"]' in config
    assert '"Cmd":["serve","--host","0.0.0.0","--port","8000"]' in config
    assert '"/var/lib/trygg-sida":{}' in config
    assert "TRYGG_REACH_DB=/var/lib/trygg-sida/reach.sqlite3" in config


def test_every_page_is_the_apps_own(container: tuple[str, str], direct: str) -> None:
    _, url = container
    for path in PATHS:
        status, headers, body = fetch(url + path)
        expected_status, expected, expected_body = fetch(direct + path)
        assert (status, body) == (expected_status, expected_body), path
        for name in SECURITY + CACHE:
            assert headers.get(name) == expected.get(name), (path, name)
    print(f"\n{len(PATHS)} answers compared with the app run directly")


def test_runs_as_its_own_user_and_writes_nothing(container: tuple[str, str]) -> None:
    name, _ = container
    status = podman("exec", name, "cat", "/proc/1/status").stdout
    uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
    assert set(uids) == {"10001"}
    changed = podman("diff", name).stdout.split()
    assert set(changed[1::2]) <= PODMAN_FILES, changed


def test_healthcheck_passes_and_logs_nothing(container: tuple[str, str]) -> None:
    name, _ = container
    before = podman("logs", name)
    check = podman("healthcheck", "run", name)
    assert check.returncode == 0, check.stdout + check.stderr
    assert podman("logs", name).stdout + podman("logs", name).stderr == before.stdout + before.stderr


def test_translator_tools_are_not_in_the_image_and_say_so(image: str) -> None:
    result = podman("run", "--rm", *RUN_FLAGS, image, "i18n", "xliff-export", "ar")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1:] == [
        "trygg-sida: the XLIFF tools need the translate extra: pip install 'trygg-sida[translate]'"
    ]


def test_export_writes_into_a_volume(image: str, direct: str) -> None:
    volume = f"trygg-export-{os.getpid()}"
    try:
        result = podman("run", "--rm", "--read-only", *RUN_FLAGS, "-v", f"{volume}:/out", image, "export", "/out")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("wrote ")
        mountpoint = Path(podman("volume", "inspect", "--format", "{{.Mountpoint}}", volume).stdout.strip())
        assert (mountpoint / "sv" / "plain.html").read_bytes() == fetch(direct + "/sv/plain")[2]
    finally:
        podman("volume", "rm", "--force", volume)


def pipelined(port: int, count: int) -> socket.socket:
    """A connection that sends ``count`` requests for /sv/ at once and reads nothing yet: the
    server has them all, but can send only what the kernel's buffers hold until it is read."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /sv/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * count)
    return sock


def answers(stream: bytes) -> list[bytes]:
    """The bodies of the HTTP/1.1 answers in ``stream``; fails on a cut-off answer."""
    bodies: list[bytes] = []
    at = 0
    while at < len(stream):
        end = stream.index(b"\r\n\r\n", at)
        head = stream[at:end].split(b"\r\n")
        assert head[0] == b"HTTP/1.1 200 OK", head[0]
        length = int(next(line for line in head if line.lower().startswith(b"content-length:"))[15:])
        at = end + 4 + length
        assert at <= len(stream), f"answer {len(bodies) + 1} cut off: {len(stream) - end - 4} of {length} bytes"
        bodies.append(stream[end + 4 : at])
    return bodies


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def wait_until_refused(port: int) -> None:
    """Returns once the server no longer accepts connections: it has begun to shut down."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        time.sleep(0.02)
    raise AssertionError(f"port {port} still accepts connections")


def test_stops_on_sigterm_answering_what_is_under_way(image: str, direct: str) -> None:
    """SIGTERM while 2,000 requests wait on one connection (20 MB of answers, more than any
    socket buffer holds): every one is answered in full, then the connection closes and the
    process exits by itself, well before podman's 10 s would kill it."""
    name, port, count = f"trygg-stop-{os.getpid()}", free_port(), 2000
    page = fetch(direct + "/sv/")[2]
    run = ("run", "--detach", "--read-only", "--name", name, *RUN_FLAGS, image, "serve", "--port", str(port))
    try:
        assert podman(*run).returncode == 0
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", seconds=30)
        sock = pipelined(port, count)
        started, stopped = time.monotonic(), []
        stop = threading.Thread(target=lambda: stopped.append(podman("stop", "--time", "10", name)))
        stop.start()
        wait_until_refused(port)
        refused = time.monotonic() - started
        stream = read_all(sock)
        read = time.monotonic() - started
        bodies = answers(stream)
        stop.join()
        print(
            f"\nstop: port closed after {refused:.2f} s, {len(bodies)} of {count} waiting answers read in full"
            f" after {read:.2f} s, podman stop returned after {time.monotonic() - started:.2f} s"
        )
        assert count * len(page) > 16_000_000
        assert bodies == [page] * count
        assert podman("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip() == "0"  # not killed
        logs = podman("logs", name)
        assert "Traceback" not in logs.stdout + logs.stderr
        assert "Finished server process" in logs.stdout + logs.stderr
    finally:
        podman("rm", "--force", "--volumes", name)
