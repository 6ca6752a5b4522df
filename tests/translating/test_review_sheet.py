"""The review sheet: every message in reading order, valid HTML (Nu checker) with nothing axe finds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import approve
from tests.parallel import one_worker
from tests.tools import nu_checker
from webapp import reviews
from webapp.catalogs import catalog_path, load
from webapp.locales import LOCALES
from webapp.settings import ROOT, Settings
from webapp.translating.review_sheet import sheet

pytestmark = one_worker("review-sheet")
CODES = ("uk", "ar")


def write_sheets(folder: Path) -> dict[str, Path]:
    """The review sheets of uk (one message approved) and ar, from a copy of the catalogs."""
    locales = folder / "locales"
    shutil.copytree(ROOT / "locales", locales)
    approve(locales, "uk", {"Få hjälp nu"})
    written = {}
    for code in CODES:
        path = folder / f"{code}.html"
        path.write_text(sheet(Settings(locales_dir=locales), LOCALES[code]), "utf-8")
        written[code] = path
    return written


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_sheets(tmp_path_factory.mktemp("sheet"))


def test_every_message_once_in_page_order(sheets: dict[str, Path]) -> None:
    html = sheets["uk"].read_text("utf-8")
    catalog = load(catalog_path(ROOT / "locales", "uk"), LOCALES["uk"])
    assert html.count("<tr><td>") == len(catalog.entries)
    captions = re.findall(r"<caption>([^<]*)</caption>", html)
    assert captions[0].startswith("Sida (page): Samverkan mot våld") and "404" in captions[-2]
    row = re.search(r"<tr><td>\d+</td><td lang=\"sv\" dir=\"ltr\">Få hjälp nu</td>.*?</tr>", html)
    assert row and "Granskad (reviewed): Test Reviewer, 2026-12-01" in row.group(0)
    assert '<td lang="uk" dir="ltr">Отримати допомогу зараз</td>' in row.group(0)
    assert re.search(r'<td lang="ar" dir="rtl">', sheets["ar"].read_text("utf-8"))
    assert "@page { size: A4" in html and "<script" not in html


def test_sheet_is_valid_html(sheets: dict[str, Path]) -> None:
    returncode, messages = nu_checker(sheets.values())
    assert messages == [], messages[:10]
    assert returncode == 0


def row_of(html: str, msgid: str) -> str:
    row = re.search(rf'<tr><td>\d+</td><td lang="sv" dir="ltr">{re.escape(msgid)}</td>.*?</tr>', html)
    assert row, msgid
    return row.group(0)


def test_every_state_is_named_in_words(locales_copy: Path) -> None:
    approve(locales_copy, "uk", {"Få hjälp nu", "Språk"})
    po = catalog_path(locales_copy, "uk")
    text = po.read_text("utf-8")
    for old, new in [
        ('msgstr "Мова"', 'msgstr "Мови"'),
        ('msgstr "Завантаження"', 'msgstr ""'),
        ('msgid "Gå till innehåll"', '#, fuzzy\nmsgid "Gå till innehåll"'),
        ('msgstr "Швидко покинути сторінку"', 'msgstr "Швидко покинути %(x)s"'),
    ]:
        assert old in text
        text = text.replace(old, new)
    po.write_text(text, "utf-8")
    html = sheet(Settings(locales_dir=locales_copy), LOCALES["uk"])
    assert "Granskad (reviewed): Test Reviewer, 2026-12-01" in row_of(html, "Få hjälp nu")
    assert "(out of date)" in row_of(html, "Språk")
    assert "Saknas: visas på svenska (untranslated)" in row_of(html, "Laddar")
    assert "(fuzzy)" in row_of(html, "Gå till innehåll")
    assert "Fel i översättningen: visas på svenska (broken)" in row_of(html, "Lämna sidan snabbt")
    assert "Utkast, inte granskad (draft)" in row_of(html, "Surfa säkrare")


def test_an_unreadable_record_gives_a_sheet_with_nothing_reviewed(locales_copy: Path) -> None:
    approve(locales_copy, "uk")
    reviews.record_path(catalog_path(locales_copy, "uk")).write_text('{"reviews": [', "utf-8")
    html = sheet(Settings(locales_dir=locales_copy), LOCALES["uk"])
    assert "<p>Trygg sida, Vänersborgs kommun. 0 av " in html and "Granskad (reviewed)" not in html
