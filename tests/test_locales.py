"""The locale table and Accept-Language negotiation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.locales import LOCALES, MAX_ENTRIES, PUBLISHED, SOURCE, match, negotiate, parse_accept_language

EXPECTED = {"sv", "en", "ar", "fa", "prs", "so", "ti", "uk", "pl", "bs", "tr", "kmr", "fi", "se", "yi", "fit", "rom"}


def test_table_has_every_locale_published() -> None:
    assert {info.code for info in PUBLISHED} == EXPECTED
    assert PUBLISHED[0].code == SOURCE


@pytest.mark.parametrize("code", ["ar", "fa", "prs", "yi"])
def test_right_to_left_locales(code: str) -> None:
    assert LOCALES[code].direction == "rtl"


def test_left_to_right_locales() -> None:
    assert {i.code for i in PUBLISHED if i.direction == "ltr"} == EXPECTED - {"ar", "fa", "prs", "yi"}


@pytest.mark.parametrize(
    ("code", "endonym", "formatting", "nplurals"),
    [
        ("fit", "Meänkieli", "fi", 2),
        ("rom", "Romani šib", "sv", 2),
        ("prs", "دری", "fa_AF", 2),
        ("kmr", "Kurmancî", "ku", 2),
        ("ar", "العربية", "ar", 6),
        ("se", "Davvisámegiella", "se", 3),
        ("uk", "Українська", "uk", 3),
    ],
)
def test_values_without_and_with_cldr(code: str, endonym: str, formatting: str, nplurals: int) -> None:
    info = LOCALES[code]
    assert (info.endonym, info.formatting, info.nplurals) == (endonym, formatting, nplurals)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "sv"),
        ("", "sv"),
        ("sv", "sv"),
        ("sv-FI", "sv"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,ar;q=0.8,en;q=0.7", "ar"),
        ("en;q=0.2,ar;q=0.9", "ar"),
        ("fa-AF,fa;q=0.9", "prs"),
        ("fa-IR", "fa"),
        ("prs", "prs"),
        ("ku", "kmr"),
        ("ku-Latn-TR", "kmr"),
        ("kmr", "kmr"),
        ("se-NO", "se"),
        ("fit", "fit"),
        ("rom", "rom"),
        ("yi", "yi"),
        ("de", "sv"),
        ("*", "sv"),
        ("en;q=0", "sv"),
        ("EN-us", "en"),
        ("ar;q=1.5", "sv"),
        ("ar;q=abc, tr", "tr"),
        ("\x00\xff;;,,;q=", "sv"),
        (",,,,", "sv"),
        ("en;q=0.5, uk", "uk"),
        ("pl;q=0.5, bs;q=0.5", "pl"),
    ],
)
def test_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_header_is_bounded_to_500_characters() -> None:
    # "ar" sits past the first 500 characters: it is never read.
    header = "de;q=0.9, " * 50 + "ar"
    assert negotiate(header) == "sv"
    assert negotiate("x" * 10_000 + ",en") == "sv"


def test_header_is_bounded_to_20_entries() -> None:
    header = ",".join(["de"] * MAX_ENTRIES + ["en"])
    assert negotiate(header) == "sv"
    assert negotiate(",".join(["de"] * (MAX_ENTRIES - 1) + ["en"])) == "en"


def test_parse_orders_by_quality_then_position() -> None:
    assert parse_accept_language("a;q=0.5,b,c;q=0.5,d;q=0") == ["b", "a", "c"]


def test_match_walks_prefixes() -> None:
    assert match("sv-latn-fi") == "sv"
    assert match("xx-sv") is None


@given(st.text(max_size=2000))
def test_negotiation_never_fails(header: str) -> None:
    assert negotiate(header) in LOCALES


def test_a_locale_without_cldr_data_must_say_what_cldr_cannot() -> None:
    from webapp.locales import LocaleSpec, _resolve

    with pytest.raises(LookupError, match="needs explicit values in the table"):
        _resolve(LocaleSpec("zzz", "other"))


@pytest.mark.parametrize(
    ("code", "script"),
    [("ar", "Arab"), ("fa", "Arab"), ("prs", "Arab"), ("yi", "Hebr"), ("ti", "Ethi"), ("uk", "Cyrl"), ("fit", "Latn")],
)
def test_each_locale_knows_its_script(code: str, script: str) -> None:
    assert LOCALES[code].script == script


def test_a_locale_whose_script_cldr_does_not_know_must_give_it() -> None:
    from webapp.locales import LocaleSpec, _resolve

    spec = LocaleSpec(
        "zzz", "other", endonym="Z", english="Z", direction="ltr", formatting="sv", plural_forms="nplurals=1; plural=0;"
    )
    with pytest.raises(LookupError, match="no script known"):
        _resolve(spec)
    assert _resolve(LocaleSpec(**{**spec.__dict__, "script": "Latn"})).script == "Latn"


@pytest.mark.parametrize(
    ("code", "pattern", "months", "suffixes"),
    [
        ("se", "d.M.y", 0, ()),
        ("yi", "d MMMM y", 12, ((1, "טן"), (20, "סטן"))),
        ("so", "d MMMM y", 0, ()),
        ("ti", "d MMMM y", 12, ()),
        ("sv", "long", 0, ()),
    ],
)
def test_date_forms_come_from_the_table(
    code: str, pattern: str, months: int, suffixes: tuple[tuple[int, str], ...]
) -> None:
    info = LOCALES[code]
    assert (info.date_format, len(info.months), info.day_suffixes) == (pattern, months, suffixes)
