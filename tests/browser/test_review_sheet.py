"""The printable review sheet (webapp/translating/review_sheet.py) in real Chromium: axe finds nothing."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.browser import axe
from tests.translating.test_review_sheet import write_sheets


def test_axe_finds_nothing_in_the_sheet(browser: Browser, tmp_path: Path) -> None:
    context = axe.add_to(browser.new_context())
    try:
        page = context.new_page()
        for code, path in write_sheets(tmp_path).items():
            page.goto(path.as_uri())
            assert axe.violations(page) == [], code
    finally:
        context.close()
