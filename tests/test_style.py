"""Every catalog follows its style sheet (locales/<code>/STYLE.md) where a machine can tell:
the digits, the quotation marks, the address forms it decided against, and a glossary that
covers the site's key terms. The rest of the style sheet is for translators and reviewers."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from webapp.catalogs import TAG, catalog_path, load
from webapp.locales import PUBLISHED, SOURCE, LocaleInfo
from webapp.settings import Settings

LOCALES_DIR = Settings().locales_dir
TRANSLATED = [info for info in PUBLISHED if info.code != SOURCE]
QUOTES = set("\"“”„‟«»‹›‚‘’'「」『』")
# Quotation marks inside a word are apostrophes (Ukrainian м’який, Somali ka'a, Turkish 'a).
APOSTROPHE = re.compile(r"(?<=\w)['’‘](?=\w)|(?<=\w)['’](?=\s|$)")
GLOSSARY_TERMS = (
    "våld i nära relation",
    "lättläst",
    "Lämna sidan snabbt",
    "jour",
    "skyddat boende",
    "tillgänglighetsredogörelse",
    "utkast",
    "granskad",
)


def style_sheet(info: LocaleInfo) -> tuple[dict[str, Any], str]:
    text = (LOCALES_DIR / info.code / "STYLE.md").read_text("utf-8")
    match = re.match(r"\+\+\+\n(.*?)\n\+\+\+\n(.*)", text, re.DOTALL)
    assert match, f"locales/{info.code}/STYLE.md must start with a +++ TOML block"
    return tomllib.loads(match.group(1)), match.group(2)


def translations(info: LocaleInfo) -> Iterator[str]:
    catalog = load(catalog_path(LOCALES_DIR, info.code), info)
    yield from catalog.messages.values()
    for forms in catalog.plurals.values():
        yield from forms


@pytest.fixture(params=TRANSLATED, ids=lambda info: info.code)
def locale(request: pytest.FixtureRequest) -> LocaleInfo:
    return request.param  # type: ignore[no-any-return]


def test_style_sheet_says_what_the_tests_need(locale: LocaleInfo) -> None:
    settings, prose = style_sheet(locale)
    assert settings["locale"] == locale.code
    assert settings["digits"] == "latn"
    assert isinstance(settings["quotes"], list) and set("".join(settings["quotes"])) <= QUOTES
    assert all(re.compile(pattern) for pattern in settings["forbidden"])
    missing = [term for term in GLOSSARY_TERMS if term.lower() not in prose.lower()]
    assert not missing, f"the glossary lacks {missing}"


def test_running_text_uses_latin_digits(locale: LocaleInfo) -> None:
    """Helpline numbers are Latin digits, so every other number on the page is too."""
    foreign = {
        (char, text[:40])
        for text in translations(locale)
        for char in text
        if unicodedata.category(char) == "Nd" and not "0" <= char <= "9"
    }
    assert not foreign


def test_only_the_chosen_quotation_marks(locale: LocaleInfo) -> None:
    allowed = set("".join(style_sheet(locale)[0]["quotes"]))
    found = {
        (char, text[:40])
        for text in translations(locale)
        for char in APOSTROPHE.sub("", TAG.sub("", text))
        if char in QUOTES - allowed
    }
    assert not found


def test_no_form_the_style_sheet_decided_against(locale: LocaleInfo) -> None:
    patterns = [re.compile(pattern) for pattern in style_sheet(locale)[0]["forbidden"]]
    found = [
        (pattern.pattern, text[:60])
        for text in translations(locale)
        for pattern in patterns
        if pattern.search(TAG.sub("", text))
    ]
    assert not found


def test_every_locale_has_a_style_sheet() -> None:
    sheets = {path.parent.name for path in Path(LOCALES_DIR).glob("*/STYLE.md")}
    assert sheets == {info.code for info in TRANSLATED}
