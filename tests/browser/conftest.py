"""Real-browser tests: Debian's Chromium driven by Playwright, against a real uvicorn.

One uvicorn process and one browser serve the whole session; each test gets a fresh context.
Every request to another origin is answered locally by a route handler (and recorded), so no
test traffic leaves the machine. Without Chromium the tests are skipped with one reason, unless
TRYGG_REQUIRE_TOOLS=1 (set by .ci/run), when they fail instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("TRYGG_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTSIDE_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    if os.environ.get("TRYGG_REQUIRE_TOOLS") == "1":
        raise pytest.UsageError(f"{CHROMIUM} is missing and TRYGG_REQUIRE_TOOLS=1")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """A real uvicorn serving the app, as `python -m webapp serve` starts it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TRYGG_BASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("uvicorn did not start within 20 s")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """Requests the page made, split by whether they stayed on our origin."""

    ours: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def make_context(browser: object, base_url: str, traffic: Traffic, **options: object) -> object:
    context = browser.new_context(base_url=base_url, **options)  # type: ignore[attr-defined]

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(base_url):
            traffic.ours.append(url)
            route.continue_()  # type: ignore[attr-defined]
        else:
            traffic.outside.append(url)
            route.fulfill(status=200, content_type="text/html", body=OUTSIDE_PAGE)  # type: ignore[attr-defined]

    context.route("**/*", route)
    return context


@pytest.fixture
def context(browser: object, base_url: str, traffic: Traffic) -> Iterator[object]:
    context = make_context(browser, base_url, traffic)
    yield context
    context.close()  # type: ignore[attr-defined]


@pytest.fixture
def page(context: object) -> object:
    return context.new_page()  # type: ignore[attr-defined]
