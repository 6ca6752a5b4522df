"""The first real-browser checks: the Swedish page loads, says what it is, and runs only its own
small scripts."""

from __future__ import annotations

import gzip
import socket
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import make_context
from webapp.settings import PACKAGE


def test_swedish_page_heading(page: Any) -> None:
    page.goto("/sv/")
    assert page.locator("h1").inner_text() == "Samverkan mot våld i nära relation"
    assert page.evaluate("document.documentElement.lang") == "sv"


@pytest.mark.parametrize(("script", "budget"), [("exit.js", 2048), ("listen.js", 3072)])
def test_each_script_is_small_and_from_our_origin(page: Any, script: str, budget: int) -> None:
    """Quick exit within 2 KB gzip, read-aloud within 3 KB; every script is ours."""
    body = (PACKAGE / "static" / script).read_bytes()
    size = len(gzip.compress(body, 9))
    print(f"\n{script}: {len(body)} bytes, {size} bytes gzip")
    assert size <= budget
    page.goto("/sv/")
    origin = page.url.split("/sv/")[0]
    sources = page.evaluate("[...document.scripts].map(s => s.src)")
    assert any(s.startswith(f"{origin}/static/{script.split('.')[0]}.") for s in sources)
    assert all(s.startswith(origin + "/static/") for s in sources)


def test_no_other_host_is_reachable_from_a_test(browser: Any, base_url: str) -> None:
    """The launch flag's promise: a context that intercepts nothing still cannot leave the machine.
    The machine's own name is asked for, on the site's port: it resolves without a network (the
    hosts file), so without the flag the site would answer there, and only the flag refuses it."""
    context = make_context(browser, base_url)
    page = context.new_page()
    port = base_url.rsplit(":", 1)[1]
    for url in (f"http://{socket.gethostname()}:{port}/sv/", "https://www.vanersborg.se/"):
        with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
            page.goto(url)
    answer = context.new_page().goto("/sv/")  # while the site answers
    assert answer is not None and answer.status == 200
    context.close()
