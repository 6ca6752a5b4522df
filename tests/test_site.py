"""What one process serves: pages rendered once, and the weight of a first view."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from webapp.locales import LOCALES, PUBLISHED
from webapp.pages import PAGES, STANDARD
from webapp.settings import Settings
from webapp.site import SetupError, Site

BUDGET = 14 * 1024  # one TCP initial congestion window (10 segments of about 1.4 KB)


def first_view_bytes(client: TestClient, path: str) -> tuple[int, int]:
    """HTML + CSS + JS of a first view, as sent with gzip (what every browser accepts), and raw."""
    response = client.get(path, headers={"accept-encoding": "identity"})
    html = response.content
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', response.text)
    bodies = [html] + [client.get(asset, headers={"accept-encoding": "identity"}).content for asset in assets]
    return sum(len(gzip.compress(body, 9)) for body in bodies), sum(len(body) for body in bodies)


@pytest.mark.parametrize("path", [p.path(i.code) for i in PUBLISHED for p in PAGES] + ["/sv/nope"])
def test_first_view_fits_in_14_kb(client: TestClient, path: str) -> None:
    compressed, raw = first_view_bytes(client, path)
    print(f"\n{path}: first view {compressed} bytes gzip ({raw} raw)")
    assert compressed <= BUDGET, f"{path}: {compressed} bytes"


def test_pages_are_rendered_once(settings: Settings) -> None:
    site = Site.load(settings)
    first = site.page(LOCALES["sv"], STANDARD)
    assert site.page(LOCALES["sv"], STANDARD) is first
    assert first.bodies["identity"].startswith(b"<!doctype html>")


def test_refuses_to_start_without_templates_or_catalogs(tmp_path: Path) -> None:
    """One clear line, never a site that answers 500 to everyone."""
    with pytest.raises(SetupError, match=f"^no templates in {tmp_path}: reinstall the package or fix the checkout$"):
        Site.load(Settings(templates_dir=tmp_path))
    with pytest.raises(SetupError, match=f"^no catalogs in {tmp_path}: check TRYGG_LOCALES_DIR$"):
        Site.load(Settings(locales_dir=tmp_path))


@pytest.mark.parametrize(
    "pattern", ["*example.org", "exa mple", "http://x", "example.org:8000", "exa_mple.org", "a..b"]
)
def test_refuses_to_start_with_a_host_pattern_that_can_never_match(pattern: str) -> None:
    with pytest.raises(SetupError, match=f"^TRYGG_ALLOWED_HOSTS: {re.escape(repr(pattern))}: not a host name"):
        Site.load(Settings(allowed_hosts=("trygg.example", pattern)))


@pytest.mark.parametrize("patterns", [("*",), ("trygg.example", "*.Vanersborg.se", "[::1]", "127.0.0.1", "localhost")])
def test_host_patterns_an_operator_may_write(patterns: tuple[str, ...]) -> None:
    assert Site.load(Settings(allowed_hosts=patterns)).settings.allowed_hosts == patterns
