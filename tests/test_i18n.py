"""The gettext functions templates call: escaping, fallback marking, plural forms."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from webapp.catalogs import Catalog
from webapp.i18n import Translator, to_html, to_text
from webapp.locales import LOCALES


def translator(
    code: str, messages: dict[str, str] | None = None, plurals: dict[str, tuple[str, ...]] | None = None
) -> Translator:
    catalog = Catalog(Path("x.po"), messages=messages or {}, plurals=plurals or {})
    return Translator(LOCALES[code], catalog)


def test_translation_is_used() -> None:
    assert translator("en", {"Hej": "Hello"}).gettext("Hej") == Markup("Hello")


def test_missing_translation_falls_back_to_swedish_marked() -> None:
    assert translator("ar").gettext("Hej") == Markup('<span class="untranslated" lang="sv" dir="ltr">Hej</span>')


def test_swedish_is_never_marked() -> None:
    assert Translator(LOCALES["sv"], None).gettext("Hej") == Markup("Hej")


def test_text_of_a_message_is_escaped_and_its_tags_kept() -> None:
    assert to_html("a < b & <bdi>c</bdi>") == "a &lt; b &amp; <bdi>c</bdi>"
    assert to_text("a <bdi>c</bdi>") == "a c"


def test_variables_are_escaped() -> None:
    html = translator("en", {"Datum %(date)s": "Date %(date)s"}).gettext("Datum %(date)s", date="<script>")
    assert html == Markup("Date &lt;script&gt;")


def test_markup_variables_are_kept() -> None:
    html = translator("en", {"Datum %(date)s": "Date %(date)s"}).gettext(
        "Datum %(date)s", date=Markup("<time>x</time>")
    )
    assert html == Markup("Date <time>x</time>")


def test_text_for_attributes_has_no_markup() -> None:
    assert translator("en", {"Hej <bdi>du</bdi>": "Hi <bdi>you</bdi>"}).text("Hej <bdi>du</bdi>") == "Hi you"
    assert translator("en").text("Hej <bdi>du</bdi>") == "Hej du"


def test_plural_forms_follow_the_locale() -> None:
    forms = ("zero", "one", "two", "few", "many", "other")
    arabic = translator("ar", plurals={"%(num)d gång": forms})
    chosen = [arabic.ngettext("%(num)d gång", "%(num)d gånger", n, text=True) for n in (0, 1, 2, 5, 11, 100)]
    assert chosen == ["zero", "one", "two", "few", "many", "other"]


def test_plural_fallback_uses_the_swedish_forms() -> None:
    arabic = translator("ar")
    assert arabic.ngettext("%(num)d gång", "%(num)d gånger", 1, text=True) == "1 gång"
    assert arabic.ngettext("%(num)d gång", "%(num)d gånger", 2) == Markup(
        '<span class="untranslated" lang="sv" dir="ltr">2 gånger</span>'
    )
