"""Text at 200 % on a phone: the browser's own text size doubled through the DevTools protocol, as a
phone's system text setting does (no style injected that the page's CSS could override), and the
survey of one loaded page at it: nothing scrolls sideways, the exit label is never cut, the scroll
padding covers the bar and its focus ring, and the heading after the skip link starts below the bar.

tests/browser/test_accessibility.py surveys every locale x page type with JavaScript, in its walk
over every page (the text size changed on the loaded page, as a reader changes it with the page
open, so exit.js must follow); tests/browser/test_large_text.py every one without, loaded at it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from playwright.sync_api import CDPSession, Page

from tests.browser.sample import NARROWEST, codes_at

# Chromium's default font sizes (16 px, monospace 13 px), and doubled.
TEXT_100 = {"standard": 16, "fixed": 13}
TEXT_200 = {"standard": 32, "fixed": 26}
SAMPLE_WIDTHS = (360, 412)
HEIGHT = 640
# What a focused element or a jump to an anchor needs above it: the bar, and the focus ring (6 px).
RING = 6
SIDEWAYS = """() => {
  const link = document.getElementById('quick-exit');
  const box = link.getBoundingClientRect();
  const bar = document.querySelector('.exit-bar').getBoundingClientRect().height;
  return {wide: document.documentElement.scrollWidth, left: box.left, right: box.right,
          cut: link.scrollWidth > link.clientWidth + 1 || link.scrollHeight > link.clientHeight + 1,
          root: getComputedStyle(document.documentElement).fontSize, bar: Math.ceil(bar),
          padding: parseFloat(getComputedStyle(document.documentElement).scrollPaddingBlockStart)};
}"""
SKIP_TARGET = """() => {
  const bar = document.querySelector('.exit-bar').getBoundingClientRect();
  const heading = document.querySelector('main h1').getBoundingClientRect();
  return [document.activeElement.id, Math.round(heading.top - bar.bottom)];
}"""
# Two frames: observers of a resize (exit.js's, which sets the scroll padding to the bar's new
# height) run after the first frame's animation callbacks, as a phone turned to a new width or a
# new text size gives them. Without JavaScript no script observes it, and no frame callback runs.
SETTLED = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def set_text_size(page: Page, sizes: dict[str, int]) -> CDPSession:
    """The browser's text size for the page, across its navigations while the session it returns
    stays attached (detached, the page is back at the usual size from its next load)."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": sizes})
    return session


@contextlib.contextmanager
def at_200_percent(page: Page) -> Iterator[None]:
    """A page with JavaScript, loaded at the usual text size, at 200 % until the block ends."""
    session = set_text_size(page, TEXT_200)
    try:
        page.evaluate(SETTLED)
        yield
    finally:
        session.send("Page.setFontSizes", {"fontSizes": TEXT_100})
        session.detach()


def resize(page: Page, width: int, javascript: bool) -> None:
    if page.viewport_size != {"width": width, "height": HEIGHT}:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if javascript:
            page.evaluate(SETTLED)


def widths(code: str) -> tuple[int, ...]:
    """320 px for every locale, the sample also at 360 and 412 px (tests/browser/sample.py)."""
    return tuple(width for width in (NARROWEST, *SAMPLE_WIDTHS) if code in codes_at(width))


@dataclass
class Survey:
    """What a survey found, as 'code/page @ width: why'."""

    sideways: list[str] = field(default_factory=list)
    under_bar: list[str] = field(default_factory=list)


def survey(page: Page, code: str, page_type: str, found: Survey, javascript: bool) -> None:
    """Survey the page as loaded (at the top, nothing focused) at each of its widths, then follow
    the skip link at 320 px, where the page is left."""
    for width in widths(code):
        resize(page, width, javascript)
        seen = page.evaluate(SIDEWAYS)
        where = f"{code}/{page_type} @ {width}"
        assert seen["root"] == "32px", "the browser's text size is not at 200 %"
        if seen["wide"] > width:
            found.sideways.append(f"{where}: {seen['wide']} px wide")
        if seen["cut"] or seen["left"] < 0 or seen["right"] > width:
            found.sideways.append(f"{where}: exit label cut or off screen")
        if seen["padding"] < seen["bar"] + RING:
            found.under_bar.append(f"{where}: scroll padding {seen['padding']:g} px, bar {seen['bar']} px")
    resize(page, NARROWEST, javascript)
    page.keyboard.press("Tab")  # the skip link, first from the top
    page.keyboard.press("Enter")
    target, gap = page.evaluate(SKIP_TARGET)
    if target != "main-content" or gap < 0:
        found.under_bar.append(f"{code}/{page_type}: after the skip link the heading is {-gap} px under the bar")
