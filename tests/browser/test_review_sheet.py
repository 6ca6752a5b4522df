"""The printable review sheet (webapp/translating/review_sheet.py) in real Chromium: axe finds nothing."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.test_accessibility import AXE_OPTIONS
from tests.translating.test_review_sheet import write_sheets


def test_axe_finds_nothing_in_the_sheet(browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page()
    try:
        for path in write_sheets(tmp_path).values():
            page.goto(path.as_uri())
            results = Axe().run(page, options=AXE_OPTIONS)
            assert results.violations_count == 0, results.generate_report()
    finally:
        page.close()
