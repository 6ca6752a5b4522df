"""What a screen reader says: the spoken sequence of a page, locked in a snapshot file.

@guidepup/virtual-screen-reader walks the DOM as a screen reader does and logs each phrase. It is
served same-origin through a route (the site's CSP allows scripts only from itself). Role words
are always English and language changes are not announced: it locks reading order and names, it
does not replace a test with a real screen reader. Set TRYGG_UPDATE_SNAPSHOTS=1 to rewrite the
snapshots after an intended change, and read the diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import pages_at
from tests.tools import locked_snapshot

HERE = Path(__file__).parent
BUNDLE = HERE / "js" / "node_modules" / "@guidepup" / "virtual-screen-reader" / "lib" / "esm" / "index.browser.js"
SNAPSHOTS = HERE / "snapshots"
READ_ALL = """async () => {
  const { virtual } = await import('/__virtual-screen-reader.js');
  await virtual.start({ container: document.body });
  for (let i = 0; i < 5000 && (await virtual.lastSpokenPhrase()) !== 'end of document'; i++) {
    await virtual.next();
  }
  const log = await virtual.spokenPhraseLog();
  await virtual.stop();
  return log;
}"""
# A reading walks the whole page phrase by phrase (seconds): each path is read once, on one worker.
pytestmark = pytest.mark.xdist_group("screen_reader")


@dataclass(frozen=True)
class Reading:
    """What the screen reader said on a page, and the names of its exit link and help box."""

    phrases: list[str]
    exit_name: str
    help_name: str


def text(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text()).strip()


def spoken(page: Any, path: str) -> Reading:
    page.goto(path)
    phrases = list(page.evaluate(READ_ALL))
    return Reading(phrases, text(page, "#quick-exit"), text(page, "#help-heading"))


@pytest.fixture(scope="module")
def read(browser: Browser, base_url: str) -> Iterator[Callable[[str], Reading]]:
    """The reading of a path, read at 1280 × 720 the first time a test asks for it."""
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run make test (it installs tests/browser/js)")
    readings: dict[str, Reading] = {}
    with pages_at(browser, base_url, [1280], height=720) as pages:
        page = pages[1280]
        page.route(
            f"{base_url}/__virtual-screen-reader.js",
            lambda route: route.fulfill(path=str(BUNDLE), content_type="text/javascript"),
        )

        def reading(path: str) -> Reading:
            if path not in readings:
                readings[path] = spoken(page, path)
            return readings[path]

        yield reading


def locked(name: str, phrases: list[str]) -> list[str]:
    return locked_snapshot(SNAPSHOTS / f"{name}.txt", "\n".join(phrases) + "\n").splitlines()


@pytest.mark.parametrize(("name", "path"), [("sv-standard", "/sv/"), ("ar-standard", "/ar/")])
def test_spoken_sequence_is_locked(read: Callable[[str], Reading], name: str, path: str) -> None:
    phrases = read(path).phrases
    assert phrases == locked(name, phrases)


@pytest.mark.parametrize("path", ["/sv/", "/ar/"])
def test_exit_and_help_come_before_the_body(read: Callable[[str], Reading], path: str) -> None:
    reading = read(path)
    phrases = reading.phrases
    skip = next(i for i, p in enumerate(phrases) if p.startswith("link,"))
    leave = next(i for i, p in enumerate(phrases) if p.startswith("link,") and reading.exit_name in p)
    heading_1 = next(i for i, p in enumerate(phrases) if p.startswith("heading,") and "level 1" in p)
    help_box = next(i for i, p in enumerate(phrases) if p.startswith("region,") and reading.help_name in p)
    first_body = next(i for i, p in enumerate(phrases) if i > help_box and p.startswith("end of region"))
    assert skip < leave < heading_1 < help_box < first_body
    assert leave <= 3


@pytest.mark.parametrize("path", ["/sv/", "/ar/", "/sv/plain", "/yi/safety"])
def test_nothing_decorative_is_read_and_numbers_are_dialable(read: Callable[[str], Reading], path: str) -> None:
    phrases = read(path).phrases
    assert not [p for p in phrases if p.startswith(("img", "graphic", "image")) or "svg" in p]
    for number in ("112", "020-50 50 50", "116 006", "116 111", "020-555 666"):
        assert any(p.startswith("link,") and number in p for p in phrases), number
