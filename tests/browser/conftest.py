"""Real-browser tests: Debian's Chromium driven by Playwright, against a real uvicorn.

One uvicorn process and one browser serve the whole session; each test gets a fresh context.
The browsers resolve no host name but the loopback address, so no test traffic can leave the
machine. A context made with a Traffic (the `context` and `page` fixtures, the quick exit's tests)
also sees every request: ours go on and are recorded, and those to another origin (where the quick
exit leads) are recorded and answered locally with a plain page. The other contexts intercept
nothing, so the browser caches the site's assets as a reader's does. Without Chromium the tests are
skipped with one reason, unless TRYGG_REQUIRE_TOOLS=1 (set by .ci/run), when they fail instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from tests.parallel import SPEECH
from tests.tools import free_port, missing, start_server

# Debian's headless shell for every page that need not speak: the same Blink as the browser, without
# the browser's window machinery, at about half the CPU per page (these machines have two cores).
CHROMIUM = Path(os.environ.get("TRYGG_CHROMIUM", "/usr/bin/chromium-headless-shell"))
# The full browser, also headless, for the tests that speak (tests/browser/speech.py): only it has
# speech-dispatcher's voices.
SPEAKING_CHROMIUM = Path(os.environ.get("TRYGG_SPEAKING_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
OUTSIDE_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here is a browser test, and unmeasured: what it checks is what the page does in
    the browser, and the rest of the suite runs every line of webapp/ (tests/conftest.py)."""
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.unmeasured)
        if "speech_browser" in getattr(item, "fixturenames", ()):
            item.add_marker(SPEECH)  # the tests that speak, whichever module holds them


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """A real uvicorn serving the app, as `python -m webapp serve` starts it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(port, env={"TRYGG_BASE_URL": url})
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing(f"Chromium's headless shell not found at {CHROMIUM} (make system-deps installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Traffic:
    """Requests the page made, split by whether they stayed on our origin."""

    ours: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def make_context(browser: Browser, base_url: str, *, traffic: Traffic | None = None, **options: Any) -> BrowserContext:
    """A context on the site; with ``traffic``, every request is seen (see the module's docstring).
    Interception costs: Playwright turns the cache off and holds every request for the route."""
    context = browser.new_context(base_url=base_url, **options)
    if traffic is None:
        return context

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(base_url):
            traffic.ours.append(url)
            route.continue_()
        else:
            traffic.outside.append(url)
            route.fulfill(status=200, content_type="text/html", body=OUTSIDE_PAGE)

    context.route("**/*", route)
    return context


@contextlib.contextmanager
def pages_at(
    browser: Browser, base_url: str, widths: Iterable[int], height: int = 800, **options: Any
) -> Iterator[dict[int, Page]]:
    """A page of its own for each width (a module shares them across its cases), closed after."""
    contexts = {
        width: make_context(browser, base_url, viewport={"width": width, "height": height}, **options)
        for width in widths
    }
    try:
        yield {width: context.new_page() for width, context in contexts.items()}
    finally:
        for context in contexts.values():
            context.close()


@pytest.fixture
def context(browser: Browser, base_url: str, traffic: Traffic) -> Iterator[BrowserContext]:
    context = make_context(browser, base_url, traffic=traffic)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
