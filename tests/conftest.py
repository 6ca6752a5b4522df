from __future__ import annotations

import shutil
from collections.abc import Generator, Iterator
from pathlib import Path

import coverage
import pytest
from starlette.testclient import TestClient

from tests.helpers import app_client
from tests.tools import untrace_children
from webapp.settings import ROOT, Settings

# Fixtures for real speech (speech-dispatcher, the full Chromium), for any browser test.
pytest_plugins = ["tests.browser.speech"]


def pytest_configure(config: pytest.Config) -> None:
    """A process that runs tests starts its children untraced (tests.tools.untrace_children). The
    xdist controller, which runs none, traces nothing itself: its workers measure."""
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        untrace_children()
    elif (controller := coverage.Coverage.current()) is not None:
        controller.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """A test marked unmeasured runs with coverage's tracing stopped in this process. Only tests
    whose every line of webapp/ the rest of the suite also runs are marked (make test fails under
    100 % if that stops being true): browser tests, where tracing would follow Playwright's every
    call, and the property tests, where it would follow Hypothesis's."""
    measuring = coverage.Coverage.current() if item.get_closest_marker("unmeasured") else None
    if measuring is not None:
        measuring.stop()
    try:
        return (yield)
    finally:
        if measuring is not None:
            measuring.start()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(base_url="https://trygg.example")


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with app_client(settings) as client:
        yield client


@pytest.fixture
def locales_copy(tmp_path: Path) -> Path:
    """A private copy of the real catalogs, for tests that break one."""
    target = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", target)
    return target
