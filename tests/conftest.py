from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import app_client
from webapp.settings import ROOT, Settings

# Fixtures for real speech (Xvfb, speech-dispatcher, a headed Chromium), for any browser test.
pytest_plugins = ["tests.browser.speech"]


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
