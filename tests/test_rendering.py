"""Every page in every locale: language, direction, complete translation, links that resolve."""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path

import pytest
from babel.numbers import format_percent
from starlette.testclient import TestClient

from tests.helpers import app_client, approve, swedish_fallbacks
from webapp.catalogs import catalog_path, load, texts
from webapp.locales import LOCALES, PUBLISHED, LocaleInfo
from webapp.pages import PAGES, SAFETY, STANDARD, Page
from webapp.rendering import date_text
from webapp.settings import Settings
from webapp.site import Site
from webapp.translating.catalog_edit import replace_msgstrs

CASES = [(info, page) for info in PUBLISHED for page in PAGES]


@pytest.mark.parametrize(("info", "page"), CASES, ids=[f"{i.code}-{p.name}" for i, p in CASES])
def test_page_is_complete_in_its_language(client: TestClient, info: LocaleInfo, page: Page) -> None:
    code, direction = info.code, info.direction
    html = client.get(page.path(code)).text
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert swedish_fallbacks(html) == set()


@pytest.mark.parametrize(("info", "page"), CASES, ids=[f"{i.code}-{p.name}" for i, p in CASES])
def test_page_describes_itself_in_its_language(client: TestClient, info: LocaleInfo, page: Page) -> None:
    """Search results and link previews show <meta name="description">: one per page, in the
    page's language (a translated page never falls back to the Swedish description)."""
    code = info.code
    found = re.findall(r'<meta name="description" content="([^"]+)">', client.get(page.path(code)).text)
    swedish = re.findall(r'<meta name="description" content="([^"]+)">', client.get(page.path("sv")).text)
    assert len(found) == 1 and 40 <= len(found[0]) <= 200
    assert (found == swedish) is (code == "sv")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_hreflang_links_list_every_locale_and_resolve(client: TestClient, page: Page) -> None:
    html = client.get(page.path("fi")).text
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="https://trygg.example([^"]*)">', html)
    assert [tag for tag, _ in links] == [*(info.tag for info in PUBLISHED), "x-default"]
    for _, path in links:
        assert client.get(path).status_code in (200, 302)
    assert f'<link rel="canonical" href="https://trygg.example{page.path("fi")}">' in html


def test_404_has_no_canonical_or_alternates(client: TestClient) -> None:
    html = client.get("/sv/nope").text
    assert 'rel="canonical"' not in html and 'rel="alternate"' not in html
    assert '<meta name="robots" content="noindex">' in html


def test_titles_name_page_variant_and_site(client: TestClient) -> None:
    assert (
        "<title>Samverkan mot våld i nära relation – lättläst – Vänersborgs kommun</title>"
        in client.get("/sv/plain").text
    )
    assert "<title>Surfa säkrare – Vänersborgs kommun</title>" in client.get("/sv/safety").text


@pytest.mark.parametrize(
    ("code", "date"),
    [
        ("sv", "5 oktober 2022"),
        ("en", "October 5, 2022"),
        ("fi", "5. lokakuuta 2022"),
        ("fit", "5. lokakuuta 2022"),
        ("rom", "2022-10-05"),
        ("uk", "5 жовтня 2022\u202fр."),
        ("se", "5.10.2022"),
        ("yi", "5טן אָקטאָבער 2022"),
        ("ar", "5 أكتوبر 2022"),
        ("fa", "5 اکتبر 2022"),
        ("prs", "5 اکتوبر 2022"),
        ("so", "5 Oktoobar 2022"),
        ("ti", "5 ጥቅምቲ 2022"),
        ("pl", "5 października 2022"),
        ("bs", "5. oktobar 2022."),
        ("tr", "5 Ekim 2022"),
        ("kmr", "5ê cotmeha 2022an"),
    ],
)
def test_dates_are_formatted_for_the_locale(client: TestClient, code: str, date: str) -> None:
    """Each locale's date as its own texts write it: se in figures, yi with an ordinal day and
    YIVO month names, so and ti day first (ti with Eritrean month names); every other locale as
    CLDR writes it."""
    assert f'<time datetime="2022-10-05">{date}</time>' in client.get(f"/{code}/").text


@pytest.mark.parametrize(
    ("day", "se", "yi", "so", "ti"),
    [
        (datetime.date(2026, 2, 1), "1.2.2026", "1טן פֿעברואַר 2026", "1 Febraayo 2026", "1 ለካቲት 2026"),
        (datetime.date(2026, 5, 5), "5.5.2026", "5טן מייַ 2026", "5 Maayo 2026", "5 ግንቦት 2026"),
        (datetime.date(2026, 5, 19), "19.5.2026", "19טן מייַ 2026", "19 Maayo 2026", "19 ግንቦት 2026"),
        (datetime.date(2026, 11, 20), "20.11.2026", "20סטן נאָוועמבער 2026", "20 Noofeembar 2026", "20 ሕዳር 2026"),
        (datetime.date(2026, 1, 31), "31.1.2026", "31סטן יאַנואַר 2026", "31 Janaayo 2026", "31 ጥሪ 2026"),
    ],
    ids=["1-feb", "5-may", "19-may", "20-nov", "31-jan"],
)
def test_day_first_dates_on_every_kind_of_day(day: datetime.date, se: str, yi: str, so: str, ti: str) -> None:
    """The yi ordinal ending changes at the 20th (טן up to the 19th, סטן from the 20th); May is
    מייַ in yi and ግንቦት in ti, not CLDR's מיי and ጉንበት."""
    assert tuple(date_text(day, LOCALES[code]) for code in ("se", "yi", "so", "ti")) == (se, yi, so, ti)


def test_yiddish_dates_in_a_sentence_follow_dem(client: TestClient) -> None:
    """An ordinal day (5טן) stands with its article: every date on the yi pages reads דעם 5טן …."""
    html = "".join(client.get(page.path("yi")).text for page in PAGES)
    before = re.findall(r"(\S*) <time datetime=", html)
    assert len(before) == html.count("<time ") >= 2 and set(before) == {"דעם"}


@pytest.mark.parametrize("code", ["ar", "fa", "prs", "yi"])
def test_phone_numbers_are_isolated_in_right_to_left_pages(client: TestClient, code: str) -> None:
    html = client.get(f"/{code}/").text
    assert '<bdi class="helpline-number" dir="ltr">020-50 50 50</bdi>' in html
    assert 'href="tel:020505050"' in html


def test_language_page_lists_every_language_by_its_own_name(client: TestClient) -> None:
    html = client.get("/en/languages").text
    for info in PUBLISHED:
        link = (
            f'<a href="/{info.code}/" lang="{info.tag}" dir="{info.direction}" hreflang="{info.tag}">{info.endonym}</a>'
        )
        assert link in html
    assert html.index(">Svenska<") < html.index(">Suomi<") < html.index(">English<")


def test_language_page_marks_drafts(client: TestClient) -> None:
    html = client.get("/sv/languages").text
    assert html.count('<span class="tag">utkast</span>') == len(PUBLISHED) - 1


def test_header_language_link_is_recognisable(client: TestClient) -> None:
    html = client.get("/tr/").text
    assert '<span lang="en" dir="ltr">Languages</span>' in html
    assert '<span lang="ar" dir="rtl">اللغات</span>' in html


def complete(locales: Path, code: str) -> None:
    """Give every untranslated or fuzzy message of a catalog copy a translation (its Swedish text)."""
    path = catalog_path(locales, code)
    catalog = load(path, LOCALES[code])
    changes = {m.lineno or 0: texts(m.id) for m in catalog.untranslated + catalog.fuzzy if len(texts(m.string)) == 1}
    confirmed = {m.lineno or 0 for m in catalog.fuzzy}
    path.write_text(replace_msgstrs(path.read_text("utf-8"), changes, confirmed), "utf-8")


def page_msgids(locales: Path, code: str, page: Page) -> set[str]:
    site = Site.load(Settings(locales_dir=locales))
    translator = site.translator(LOCALES[code])
    site.renderer.render_with(LOCALES[code], page, translator, draft=False)
    return set(translator.seen)


def notice(client: TestClient, path: str) -> bool:
    return 'class="draft-notice"' in client.get(path).text


def test_draft_notice_follows_the_messages_each_page_shows(locales_copy: Path) -> None:
    complete(locales_copy, "en")
    with app_client(Settings(locales_dir=locales_copy)) as client:
        assert notice(client, "/en/") and notice(client, "/en/safety") and not notice(client, "/sv/")
    only_safety = page_msgids(locales_copy, "en", SAFETY) - page_msgids(locales_copy, "en", STANDARD)
    approve(locales_copy, "en")
    with app_client(Settings(locales_dir=locales_copy)) as client:
        assert not notice(client, "/en/") and not notice(client, "/en/safety")
        assert '<span class="tag">granskad</span>' in client.get("/sv/languages").text
    catalog = load(catalog_path(locales_copy, "en"), LOCALES["en"])
    approve(locales_copy, "en", {*catalog.messages, *catalog.plurals} - only_safety)
    with app_client(Settings(locales_dir=locales_copy)) as client:
        assert notice(client, "/en/safety") and not notice(client, "/en/")
        assert notice(client, "/fi/")


def test_language_page_says_partly_reviewed_with_the_share_in_its_locale(locales_copy: Path) -> None:
    approve(locales_copy, "fi", {"Få hjälp nu", "Språk"})
    catalog = load(catalog_path(locales_copy, "fi"), LOCALES["fi"])
    share = math.floor(2 / len(catalog.entries) * 100) / 100
    with app_client(Settings(locales_dir=locales_copy)) as client:
        for page_locale in ("sv", "en", "ar"):
            html = client.get(f"/{page_locale}/languages").text
            shown = format_percent(share, locale=LOCALES[page_locale].formatting)
            assert f"({shown})" in html, page_locale
            assert html.count('<span class="tag">') == len(PUBLISHED) - 1


def test_the_reviewed_share_is_rounded_down(locales_copy: Path) -> None:
    """A share such as 45.6 % reads 45 %, so an almost reviewed translation never reads as done."""
    catalog = load(catalog_path(locales_copy, "fi"), LOCALES["fi"])
    usable = [m.id if isinstance(m.id, str) else m.id[0] for m in catalog.entries]
    usable = [msgid for msgid in usable if catalog.usable(msgid)]
    total = len(catalog.entries)
    count = max(k for k in range(1, len(usable)) if (100 * k / total) % 1 >= 0.5)
    assert approve(locales_copy, "fi", set(usable[:count])) == count
    floored, rounded = (format_percent(f(100 * count / total) / 100, locale="sv_SE") for f in (math.floor, round))
    assert floored != rounded
    with app_client(Settings(locales_dir=locales_copy)) as client:
        html = client.get("/sv/languages").text
    assert f"({floored})" in html and f"({rounded})" not in html


def test_draft_notice_links_to_the_same_swedish_page(client: TestClient) -> None:
    html = client.get("/ar/safety").text
    notice = html.split('class="draft-notice"')[1].split("</div>")[0]
    assert notice.count('href="/sv/safety"') == 2
    assert '<p lang="sv" dir="ltr">' in notice


def test_a_catalog_for_a_locale_without_cldr_data(locales_copy: Path) -> None:
    """Written in the test: a Romani catalog with one message, everything else falls back."""
    path = catalog_path(locales_copy, "rom")
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: rom\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"X-Source-Language: sv\\n"\n'
        '"X-Review-Status: draft\\n"\n\nmsgid "Få hjälp nu"\nmsgstr "TEST-ROM"\n',
        "utf-8",
    )
    with app_client(Settings(locales_dir=locales_copy)) as client:
        html = client.get("/rom/").text
    assert '<html lang="rom" dir="ltr">' in html
    assert '<h2 id="help-heading">TEST-ROM</h2>' in html
    assert '<span class="untranslated" lang="sv" dir="ltr">Lämna sidan snabbt</span>' in html
