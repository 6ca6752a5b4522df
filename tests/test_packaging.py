"""Installable like any Python package: the wheel carries the templates, catalogs, data and
assets, and a process that cannot find them refuses to start with one clear line."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.parallel import SOURCE_TREE
from tests.tools import ROOT, free_port, start_server
from webapp.locales import PUBLISHED
from webapp.pages import PAGES

pytestmark = SOURCE_TREE
PACKAGED = (
    "webapp/templates/pages/standard.html",
    "webapp/templates/components/quick_exit.html",
    "webapp/translations/ar/LC_MESSAGES/messages.po",
    "webapp/translations/messages.pot",
    "webapp/data/helplines.toml",
    "webapp/static/exit.js",
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel (not editable) and its dependencies."""
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=True)
    subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", str(dist)], check=True, capture_output=True
    )
    return env


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    empty = tmp_path_factory.mktemp("elsewhere")
    port = free_port()
    process = start_server(port, command=(str(installed / "bin" / "trygg-sida"),), cwd=empty)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def test_the_wheel_carries_what_the_site_needs(dist: Path) -> None:
    with zipfile.ZipFile(dist) as wheel:
        names = set(wheel.namelist())
    assert set(PACKAGED) <= names
    assert sum(name.endswith(".po") for name in names) == len(PUBLISHED) - 1


def test_the_sdist_carries_the_repository_folders(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    sdist = next(tmp_path.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"templates/pages/standard.html", "locales/ar/LC_MESSAGES/messages.po", "webapp/static/exit.js"} <= names


def test_installed_wheel_serves_every_page_from_an_empty_folder(served: str) -> None:
    for info in PUBLISHED:
        for page in PAGES:
            with urllib.request.urlopen(served + page.path(info.code)) as response:
                assert response.status == 200
                assert f'lang="{info.code}"' in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(served + "/sv/no-such-page")
    assert missing.value.code == 404


def test_refuses_to_start_without_catalogs(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(installed / "bin" / "trygg-sida"), "serve", "--port", str(free_port())],
        cwd=tmp_path,
        env={"TRYGG_LOCALES_DIR": str(tmp_path / "nowhere")},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"trygg-sida: cannot start: no catalogs in {tmp_path / 'nowhere'}: check TRYGG_LOCALES_DIR"
    ]
