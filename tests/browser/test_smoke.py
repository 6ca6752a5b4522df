"""The first real-browser check: the Swedish page loads and says what it is."""

from __future__ import annotations

from typing import Any


def test_swedish_page_heading(page: Any) -> None:
    page.goto("/sv/")
    assert page.locator("h1").inner_text() == "Samverkan mot våld i nära relation"
    assert page.evaluate("document.documentElement.lang") == "sv"
