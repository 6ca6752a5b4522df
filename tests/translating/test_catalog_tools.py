"""The translator's tools: extract, update, init, check, stats."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import approve
from tests.tools import find
from webapp.catalogs import catalog_path, load
from webapp.cli import main
from webapp.locales import LOCALES, PUBLISHED
from webapp.settings import ROOT
from webapp.translating import catalog_tools


@pytest.fixture(autouse=True)
def _msgmerge() -> None:
    find("msgmerge")


def test_committed_template_is_current() -> None:
    assert catalog_tools.pot_is_current(ROOT / "locales"), "run make messages"


def test_template_declares_swedish_as_source() -> None:
    text = (ROOT / "locales" / "messages.pot").read_text("utf-8")
    assert '"X-Source-Language: sv\\n"' in text
    assert "Generated-By" not in text


def test_template_has_translator_comments_for_organisations() -> None:
    text = (ROOT / "locales" / "messages.pot").read_text("utf-8")
    entry = text.split('msgid "Socialförvaltningen"')[0].rsplit("\n\n", 1)[1]
    assert "Keep the name as it is" in entry


def test_template_has_every_helpline_and_data_text() -> None:
    text = (ROOT / "locales" / "messages.pot").read_text("utf-8")
    for msgid in ("Kvinnofridslinjen", "Stöd för barn och unga.", "Metoden är inte tillåten."):
        assert msgid in text


@pytest.mark.parametrize("code", ["fit", "rom", "prs", "kmr", "ar"])
def test_init_starts_a_draft_catalog_even_without_cldr_data(tmp_path: Path, code: str) -> None:
    shutil.copy(ROOT / "locales" / "messages.pot", tmp_path / "messages.pot")
    path = catalog_tools.init(tmp_path, LOCALES[code], "test")
    catalog = load(path, LOCALES[code])
    assert catalog.headers["Language"] == code
    assert catalog.headers["X-Review-Status"] == "draft"
    assert catalog.headers["X-Source-Language"] == "sv"
    assert f"nplurals={LOCALES[code].nplurals};" in catalog.headers["Plural-Forms"]
    assert len(catalog.untranslated) > 100 and not catalog.problems
    plural = next(m for m in catalog.untranslated if isinstance(m.id, tuple))
    assert isinstance(plural.string, tuple | list) and len(plural.string) == LOCALES[code].nplurals
    with pytest.raises(FileExistsError):
        catalog_tools.init(tmp_path, LOCALES[code], "test")


def test_update_keeps_headers_comments_and_translations(locales_copy: Path) -> None:
    path = catalog_path(locales_copy, "en")
    before = load(path, LOCALES["en"])
    comments = [line for line in path.read_text("utf-8").splitlines() if line.startswith("# ")]
    assert catalog_tools.update(locales_copy, LOCALES["en"]) == []
    after = load(path, LOCALES["en"])
    assert (after.headers, after.messages, after.plurals) == (before.headers, before.messages, before.plurals)
    assert [line for line in path.read_text("utf-8").splitlines() if line.startswith("# ")] == comments


def test_update_refuses_a_catalog_that_does_not_parse(locales_copy: Path) -> None:
    path = catalog_path(locales_copy, "en")
    broken = path.read_text("utf-8").replace('msgid "Få hjälp nu"', 'msgid "Få hjälp nu', 1)
    path.write_text(broken, "utf-8")
    problems = catalog_tools.update(locales_copy, LOCALES["en"])
    assert problems and "syntax" in problems[0].message
    assert path.read_text("utf-8") == broken


def test_make_messages_is_idempotent(locales_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "extract"]) == 0
    assert main(["i18n", "update"]) == 0
    once = {p: p.read_bytes() for p in locales_copy.rglob("*.po*")}
    assert main(["i18n", "extract"]) == 0
    assert main(["i18n", "update"]) == 0
    assert {p: p.read_bytes() for p in locales_copy.rglob("*.po*")} == once


def test_check_passes_on_every_shipped_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "check"]) == 0, capsys.readouterr().out


def test_check_reports_header_problems(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = catalog_path(locales_copy, "pl")
    text = path.read_text("utf-8").replace("nplurals=3", "nplurals=2").replace("Language: pl", "Language: cs")
    path.write_text(text.replace('"X-Source-Language: sv\\n"\n', ""), "utf-8")
    assert main(["i18n", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert ":1: header Language is 'cs', not 'pl'" in out
    assert ":1: Plural-Forms must have nplurals=3" in out
    assert ":1: header X-Source-Language is missing" in out


def test_check_reports_charset_and_review_status(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = catalog_path(locales_copy, "pl")
    text = path.read_text("utf-8").replace("charset=UTF-8", "charset=ISO-8859-2")
    path.write_text(text.replace("X-Review-Status: draft", "X-Review-Status: almost"), "utf-8")
    assert main(["i18n", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert ":1: Content-Type must say charset=UTF-8" in out
    assert ":1: X-Review-Status must be draft or reviewed" in out


def test_check_names_a_stale_template(
    locales_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pot = locales_copy / "messages.pot"
    pot.write_text(pot.read_text("utf-8").replace('msgid "Få hjälp nu"', 'msgid "Få hjälp"'), "utf-8")
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "check"]) == 1
    assert f"{pot}:1: out of date: run make messages" in capsys.readouterr().out


def test_check_names_a_file_outside_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stray = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    stray.parent.mkdir(parents=True)
    stray.write_text("")
    assert main(["i18n", "check", str(stray)]) == 1
    assert "not a catalog of a locale in the table" in capsys.readouterr().out


def test_stats_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["locale", "status", "translated"]
    assert {line.split()[0] for line in lines[2:]} == {i.code for i in PUBLISHED} - {"sv"}


def test_stats_as_json_and_a_fully_reviewed_locale(
    locales_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    approve(locales_copy, "fi")
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "stats", "--json"]) == 0
    rows = {row["locale"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {info.code for info in PUBLISHED} - {"sv"}
    assert rows["fi"]["status"] == "reviewed" and rows["fi"]["reviewed"] == rows["fi"]["translated"]
    assert rows["pl"]["status"] == "draft" and rows["pl"]["reviewed"] == 0
    for key in ("translated", "reviewed", "fuzzy", "untranslated", "out_of_date"):
        assert isinstance(rows["pl"][key], int)


def test_update_merges_the_catalogs_that_exist(locales_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog_path(locales_copy, "fit").unlink()
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "update"]) == 0
    assert not catalog_path(locales_copy, "fit").exists()


def test_update_names_what_it_could_not_merge(
    locales_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalog_path(locales_copy, "tr")
    path.write_text(path.read_text("utf-8").replace('msgstr "', 'msgstr "\n', 1), "utf-8")
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "update"]) == 1
    assert "(not updated: fix this first)" in capsys.readouterr().err


def test_init_refuses_to_overwrite_and_writes_a_new_catalog(
    tmp_path: Path, locales_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "init", "fi"]) == 1
    assert "exists" in capsys.readouterr().err
    catalog_path(locales_copy, "fi").unlink()
    assert main(["i18n", "init", "fi"]) == 0
    assert capsys.readouterr().out.startswith("wrote ")
    assert catalog_path(locales_copy, "fi").exists()


def test_locales_command_reads_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locales", "--published"]) == 0
    assert capsys.readouterr().out.split() == [info.code for info in PUBLISHED]


def test_init_refuses_a_code_outside_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "init", "xx"]) == 2
    assert "not a translated locale of the table" in capsys.readouterr().err


def test_a_new_swedish_message_is_published_before_its_translations(tmp_path: Path) -> None:
    """The web editor adds an organisation to webapp/data/page.toml and runs make messages in a
    copy of the project: make's catalog check stays green, --strict fails, every page shows the
    new name marked as Swedish, and stats count it as untranslated in every locale."""
    project = tmp_path / "project"
    for name in ("webapp", "templates", "locales"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    page = project / "webapp" / "data" / "page.toml"
    added = '  "Zonta Vänersborg",\n  "Familjecentralen",'
    page.write_text(page.read_text("utf-8").replace('  "Zonta Vänersborg",', added))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRYGG_")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "webapp", *args], cwd=project, env=env, capture_output=True, text=True, timeout=300
        )

    before = {row["locale"]: row["untranslated"] for row in json.loads(run("i18n", "stats", "--json").stdout)}
    assert run("i18n", "extract").returncode == 0 and run("i18n", "update").returncode == 0
    assert 'msgid "Familjecentralen"' in (project / "locales" / "messages.pot").read_text("utf-8")
    make = subprocess.run(
        ["make", "-o", "install", "i18n-check", f"VENV={Path(sys.executable).parent.parent}"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert make.returncode == 0, make.stdout + make.stderr
    strict = run("i18n", "check", "--strict")
    assert strict.returncode == 1 and "untranslated" in strict.stdout
    assert run("export", str(tmp_path / "site")).returncode == 0
    for info in PUBLISHED:
        html = (tmp_path / "site" / info.code / "index.html").read_text("utf-8")
        marked = '<span class="untranslated" lang="sv" dir="ltr">Familjecentralen</span>'
        assert (marked in html) == (info.code != "sv"), info.code
    after = {row["locale"]: row["untranslated"] for row in json.loads(run("i18n", "stats", "--json").stdout)}
    assert after == {code: count + 1 for code, count in before.items()}
