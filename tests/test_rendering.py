"""Every page in every locale: language, direction, complete translation, links that resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import swedish_fallbacks
from webapp.app import create_app
from webapp.catalogs import catalog_path
from webapp.locales import PUBLISHED
from webapp.rendering import PAGES, page_path
from webapp.settings import Settings

CASES = [(info, page) for info in PUBLISHED for page in PAGES]


@pytest.mark.parametrize(("info", "page"), CASES, ids=[f"{i.code}-{p}" for i, p in CASES])
def test_page_is_complete_in_its_language(client: TestClient, info: object, page: str) -> None:
    code, direction = info.code, info.direction  # type: ignore[attr-defined]
    html = client.get(page_path(page, code)).text
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert swedish_fallbacks(html) == set()


@pytest.mark.parametrize(("info", "page"), CASES, ids=[f"{i.code}-{p}" for i, p in CASES])
def test_page_describes_itself_in_its_language(client: TestClient, info: object, page: str) -> None:
    """Search results and link previews show <meta name="description">: one per page, in the
    page's language (a translated page never falls back to the Swedish description)."""
    code = info.code  # type: ignore[attr-defined]
    found = re.findall(r'<meta name="description" content="([^"]+)">', client.get(page_path(page, code)).text)
    swedish = re.findall(r'<meta name="description" content="([^"]+)">', client.get(page_path(page, "sv")).text)
    assert len(found) == 1 and 40 <= len(found[0]) <= 200
    assert (found == swedish) is (code == "sv")


@pytest.mark.parametrize("page", PAGES)
def test_hreflang_links_list_every_locale_and_resolve(client: TestClient, page: str) -> None:
    html = client.get(page_path(page, "fi")).text
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="https://trygg.example([^"]*)">', html)
    assert [tag for tag, _ in links] == [*(info.tag for info in PUBLISHED), "x-default"]
    for _, path in links:
        assert client.get(path).status_code in (200, 302)
    assert f'<link rel="canonical" href="https://trygg.example{page_path(page, "fi")}">' in html


def test_404_has_no_canonical_or_alternates(client: TestClient) -> None:
    html = client.get("/sv/nope").text
    assert 'rel="canonical"' not in html and 'rel="alternate"' not in html
    assert '<meta name="robots" content="noindex">' in html


def test_titles_name_page_variant_and_site(client: TestClient) -> None:
    assert "<title>Samverkan mot våld i nära relation – lättläst – Vänersborgs kommun</title>" in \
        client.get("/sv/plain").text
    assert "<title>Surfa säkrare – Vänersborgs kommun</title>" in client.get("/sv/safety").text


@pytest.mark.parametrize(("code", "date"), [("sv", "5 oktober 2022"), ("en", "October 5, 2022"),
                                            ("fi", "5. lokakuuta 2022"), ("fit", "5. lokakuuta 2022"),
                                            ("rom", "2022-10-05"), ("uk", "5 жовтня 2022\u202fр.")])
def test_dates_are_formatted_for_the_locale(client: TestClient, code: str, date: str) -> None:
    assert f'<time datetime="2022-10-05">{date}</time>' in client.get(f"/{code}/").text


@pytest.mark.parametrize("code", ["ar", "fa", "prs", "yi"])
def test_phone_numbers_are_isolated_in_right_to_left_pages(client: TestClient, code: str) -> None:
    html = client.get(f"/{code}/").text
    assert '<bdi class="helpline-number" dir="ltr">020-50 50 50</bdi>' in html
    assert 'href="tel:020505050"' in html


def test_language_page_lists_every_language_by_its_own_name(client: TestClient) -> None:
    html = client.get("/en/languages").text
    for info in PUBLISHED:
        link = (f'<a href="/{info.code}/" lang="{info.tag}" dir="{info.direction}" '
                f'hreflang="{info.tag}">{info.endonym}</a>')
        assert link in html
    assert html.index(">Svenska<") < html.index(">Suomi<") < html.index(">English<")


def test_language_page_marks_drafts(client: TestClient) -> None:
    html = client.get("/sv/languages").text
    assert html.count('<span class="tag">utkast</span>') == len(PUBLISHED) - 1


def test_header_language_link_is_recognisable(client: TestClient) -> None:
    html = client.get("/tr/").text
    assert '<span lang="en" dir="ltr">Languages</span>' in html
    assert '<span lang="ar" dir="rtl">اللغات</span>' in html


def test_draft_notice_and_reviewed_catalog(locales_copy: Path) -> None:
    with TestClient(create_app(Settings(locales_dir=locales_copy))) as client:
        assert 'class="draft-notice"' in client.get("/en/").text
        assert 'class="draft-notice"' not in client.get("/sv/").text
    path = catalog_path(locales_copy, "en")
    path.write_text(path.read_text("utf-8").replace("X-Review-Status: draft", "X-Review-Status: reviewed"))
    with TestClient(create_app(Settings(locales_dir=locales_copy))) as client:
        html = client.get("/en/").text
        assert 'class="draft-notice"' not in html
        assert '<span class="tag">utkast</span>' in client.get("/sv/languages").text
        assert client.get("/sv/languages").text.count('<span class="tag">utkast</span>') == len(PUBLISHED) - 2


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
        '"X-Review-Status: draft\\n"\n\nmsgid "Få hjälp nu"\nmsgstr "TEST-ROM"\n', "utf-8")
    with TestClient(create_app(Settings(locales_dir=locales_copy))) as client:
        html = client.get("/rom/").text
    assert '<html lang="rom" dir="ltr">' in html
    assert '<h2 id="help-heading">TEST-ROM</h2>' in html
    assert '<span class="untranslated" lang="sv" dir="ltr">Lämna sidan snabbt</span>' in html
