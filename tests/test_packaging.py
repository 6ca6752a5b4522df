"""Installable like any Python package: the wheel carries the templates, catalogs, data and
assets, and a process that cannot find them refuses to start with one clear line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.error
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import approve
from tests.parallel import SOURCE_TREE
from tests.tools import ROOT, free_port, start_server
from webapp.locales import PUBLISHED
from webapp.pages import PAGES

pytestmark = SOURCE_TREE
PACKAGED = (
    "webapp/templates/pages/standard.html",
    "webapp/templates/components/quick_exit.html",
    "webapp/templates/print/card.html",
    "webapp/templates/print/print.css",
    "webapp/translations/ar/LC_MESSAGES/messages.po",
    "webapp/translations/messages.pot",
    "webapp/data/helplines.toml",
    "webapp/static/exit.js",
)


# What a copy of the repository leaves out: version control, environments, caches, builds.
NOT_SOURCE = (".git", ".venv", "node_modules", "build", "*.egg-info", "__pycache__", ".*_cache", ".coverage-data")
REVIEWED = "ar"


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path
    output: str


# pip's note about an index location this machine's pip configuration names but lacks: the
# machine's, not the package's.
MACHINE_NOTE = re.compile(r"WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.")


def warnings_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if "warning" in line.lower() and not MACHINE_NOTE.fullmatch(line)]


def quiet_env() -> dict[str, str]:
    """The environment, less the one setting that makes setuptools warn that it cannot byte-compile
    (a developer's choice, not the package's)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository in which a reviewer approved the whole Arabic translation."""
    copy = tmp_path_factory.mktemp("tree") / "trygg-sida"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    approve(copy / "locales", REVIEWED)
    return copy


@pytest.fixture(scope="module")
def built(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sdist, and the wheel built from it (so the wheel has only what the sdist carries), with
    the oldest setuptools pyproject.toml allows, so that a feature newer than it fails here."""
    out = tmp_path_factory.mktemp("dist")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["build-system"]["requires"]
    oldest = out / "oldest.txt"
    oldest.write_text("".join(requirement.replace(">=", "==") + "\n" for requirement in requires), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(tree)],
        check=False,
        capture_output=True,
        text=True,
        env=quiet_env() | {"PIP_CONSTRAINT": str(oldest)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(next(out.glob("*.tar.gz")), next(out.glob("*.whl")), result.stdout + result.stderr)


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A fresh virtual environment with the wheel (not editable) and its dependencies, and what
    installing printed."""
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=True)
    result = subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "install", str(built.wheel)],
        check=True,
        capture_output=True,
        text=True,
        env=quiet_env(),
    )
    return env, result.stdout + result.stderr


@pytest.fixture(scope="module")
def served(installed: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    empty = tmp_path_factory.mktemp("elsewhere")
    port = free_port()
    process = start_server(port, command=(str(installed[0] / "bin" / "trygg-sida"),), cwd=empty)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def test_the_wheel_carries_what_the_site_needs(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = set(wheel.namelist())
    assert {*PACKAGED, f"webapp/translations/{REVIEWED}/LC_MESSAGES/reviews.json"} <= names
    assert sum(name.endswith(".po") for name in names) == len(PUBLISHED) - 1


def test_the_sdist_carries_the_repository_folders(built: Built) -> None:
    with tarfile.open(built.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "templates/pages/standard.html",
        "locales/ar/LC_MESSAGES/messages.po",
        f"locales/{REVIEWED}/LC_MESSAGES/reviews.json",
        "webapp/static/exit.js",
    } <= names


def test_building_with_the_oldest_setuptools_allowed_and_installing_print_no_warning(
    built: Built, installed: tuple[Path, str]
) -> None:
    assert warnings_in(built.output) == []
    assert "Successfully installed" in installed[1]
    assert warnings_in(installed[1]) == []


def test_installed_wheel_serves_every_page_from_an_empty_folder(served: str) -> None:
    for info in PUBLISHED:
        for page in PAGES:
            with urllib.request.urlopen(served + page.path(info.code)) as response:
                assert response.status == 200
                assert f'lang="{info.code}"' in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(served + "/sv/no-such-page")
    assert missing.value.code == 404


def test_installed_wheel_keeps_the_review_record(served: str) -> None:
    """A translation approved in full shows no draft notice once installed; one not approved does."""
    with urllib.request.urlopen(f"{served}/{REVIEWED}/") as reviewed, urllib.request.urlopen(f"{served}/fi/") as draft:
        assert 'class="draft-notice"' not in reviewed.read().decode()
        assert 'class="draft-notice"' in draft.read().decode()


def test_refuses_to_start_without_catalogs(installed: tuple[Path, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [str(installed[0] / "bin" / "trygg-sida"), "serve", "--port", str(free_port())],
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


def installs(target: str, venv_dir: Path) -> list[str]:
    """The pip install commands ``make target`` would run for a new virtual environment."""
    plan = subprocess.run(
        ["make", "-n", target, f"VENV={venv_dir}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return [line.split(" install ", 1)[1] for line in plan.splitlines() if "-m pip install" in line]


def test_make_run_installs_what_serving_needs_and_make_test_everything(tmp_path: Path) -> None:
    assert installs("run", tmp_path) == ["--quiet --upgrade pip", "--quiet -e ."]
    assert "--quiet -e '.[test,print]'" in installs("test", tmp_path)


def test_translator_tools_need_the_translate_extra(installed: tuple[Path, str], tmp_path: Path) -> None:
    """The wheel alone serves the site; the XLIFF tools ask for the extra in one line."""
    result = subprocess.run(
        [str(installed[0] / "bin" / "trygg-sida"), "i18n", "xliff-export", "ar"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "trygg-sida: the XLIFF tools need the translate extra: pip install 'trygg-sida[translate]'"
    ]
