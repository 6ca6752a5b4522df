"""The page registry: every page type answers at its URL, is in the export under its file name,
offers read-aloud exactly as registered, and is listed in the README."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from webapp.locales import PUBLISHED
from webapp.pages import BY_NAME, BY_SEGMENT, NOT_FOUND, PAGES, Page
from webapp.settings import ROOT


def test_names_segments_and_files_are_unique() -> None:
    every = (*PAGES, NOT_FOUND)
    assert len(BY_NAME) == len({page.export_name for page in every}) == len(every)
    assert len(BY_SEGMENT) == len(PAGES)
    assert (ROOT / "templates" / "pages").is_dir()
    assert {page.name for page in every} == {path.stem for path in (ROOT / "templates" / "pages").glob("*.html")}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_each_page_is_where_the_registry_says(client: TestClient, page: Page) -> None:
    for info in PUBLISHED:
        html = client.get(page.path(info.code)).text
        assert (f'<link rel="canonical" href="https://trygg.example{page.path(info.code)}">' in html) is page.indexable
        assert ("data-listen" in html) is page.reads_aloud
        assert (re.search(r'<script src="[^"]*/listen\.[^"]*"', html) is not None) is page.reads_aloud
        assert ('class="help-box"' in html) is page.shows_help


@pytest.mark.parametrize("page", [*PAGES, NOT_FOUND], ids=lambda page: page.name)
def test_a_draft_shows_its_notice_once_after_the_helplines(client: TestClient, page: Page) -> None:
    """The numbers come first, on screen and in the reading order; the notice is never lost."""
    html = client.get(page.path("ar") if page in PAGES else "/ar/no-such-page").text
    assert html.count('class="draft-notice"') == 1
    if page.shows_help:
        assert html.index('class="help-box"') < html.index('class="draft-notice"')
    else:
        assert html.index('class="draft-notice"') < html.index("<h1")


def test_not_found_is_not_indexed(client: TestClient) -> None:
    html = client.get("/sv/no-such-page").text
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html


def test_readme_lists_every_page() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("## Pages") : readme.index("## For translators")]
    listed = set(re.findall(r"^\| `/\{lang\}/([a-z]*)` \|", table, re.MULTILINE))
    assert listed == {page.segment for page in PAGES}
