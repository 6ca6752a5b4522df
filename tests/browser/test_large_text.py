"""Readers with large text on a phone, and help first: in real Chromium, with the browser's own text
size at 200 % (tests/browser/large_text.py).

Every locale x page type at 320 px without JavaScript, and the sample at 360 and 412 px (the longest
labels, one right-to-left locale, Ethiopic script): nothing scrolls sideways, the exit label is
never cut, no focus stop is under the exit bar (with JavaScript, the walk over every page of
tests/browser/test_accessibility.py surveys the same), and no read-aloud control shows. Then the
first helpline number on the first screen of a 360 x 640 phone without JavaScript (with it, the
same walk checks), the first printed sheet, and the read-aloud highlight in light and forced
colours."""

from __future__ import annotations

import base64
import itertools
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import make_context
from tests.browser.help_first import HELP_PAGES, PHONE, first_number
from tests.browser.large_text import TEXT_200, Survey, resize, set_text_size, survey
from tests.browser.sample import CASES, NARROWEST, PAGE_TYPES, SAMPLE
from tests.tools import find
from webapp.pages import PAGES

# The one pass without JavaScript over every page is shared by two tests: keep them on one worker.
pytestmark = pytest.mark.xdist_group("large-text")


@pytest.fixture(scope="module")
def large(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page without JavaScript with text at 200 %, shared by the module."""
    context = make_context(browser, base_url, viewport={"width": NARROWEST, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    set_text_size(page, TEXT_200)  # the context keeps the session, and so the size, to its close
    try:
        yield page
    finally:
        context.close()


# How many read-aloud controls the page has, and whether it shows any of them or any button.
NO_CONTROL = """() => [document.querySelectorAll('[data-listen]').length,
  [...document.querySelectorAll('[data-listen], button, [role=button]')].some(e => e.checkVisibility())]"""
READ_ALOUD = {page.name for page in PAGES if page.reads_aloud}


@dataclass
class NoScript(Survey):
    """What the pass without JavaScript found: the survey's findings, and each page that reads
    aloud whose control is missing or shown."""

    read_aloud: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def surveyed(large: Page) -> NoScript:
    """One pass without JavaScript over every locale x page type, loaded at 200 % text, shared by
    the tests that read it."""
    found = NoScript()
    for code, page_type in CASES:  # the survey leaves the page at 320 px
        large.goto(PAGE_TYPES[page_type].format(code=code))
        survey(large, code, page_type, found, javascript=False)
        if page_type in READ_ALOUD and large.evaluate(NO_CONTROL) != [1, False]:
            found.read_aloud.append(f"{code}/{page_type}")
    return found


def test_nothing_scrolls_sideways_at_200_percent_text(surveyed: NoScript) -> None:
    """Without JavaScript: every locale x page type at 320 px, the sample also at 360 and 412 px."""
    found = surveyed.sideways
    assert found == [], f"{len(found)} scroll sideways or cut the exit label:\n" + "\n".join(found)


def test_no_read_aloud_control_without_javascript(surveyed: NoScript) -> None:
    """Without scripts there are no voices to ask for: every locale x page type that reads aloud
    has its control, hidden, and no button shows."""
    assert READ_ALOUD and surveyed.read_aloud == [], surveyed.read_aloud


# Whether the focused element is partly under the bar (the bar's own links never are).
UNDER_BAR = """() => {
  const e = document.activeElement;
  if (e === document.body || e.closest('.exit-bar')) return null;
  const bar = document.querySelector('.exit-bar').getBoundingClientRect();
  const under = [...e.getClientRects()].some(q => q.width && q.height && q.top < bar.bottom - 0.5);
  return under ? e.textContent.trim().slice(0, 30) : null;
}"""
FOCUSABLE = (
    "[...document.querySelectorAll('a[href], button, input, select, textarea')].filter(e => e.checkVisibility()).length"
)
# A real walk where the bar is tallest (three lines of label) and the pages are longest.
WALKED = [("uk", "standard"), ("so", "plain"), ("ar", "safety"), ("sv", "accessibility"), ("se", "languages")]


def walk(page: Page, code: str, page_type: str) -> list[str]:
    """Tab through every stop from the top and Shift+Tab back, with real keys, without JavaScript."""
    resize(page, NARROWEST, javascript=False)
    page.goto(PAGE_TYPES[page_type].format(code=code))
    count = page.evaluate(FOCUSABLE)
    found = []
    for key in ["Tab"] * count + ["Shift+Tab"] * (count - 1):
        page.keyboard.press(key)
        hidden = page.evaluate(UNDER_BAR)
        if hidden:
            found.append(f"{code}/{page_type} @ {NARROWEST}: {key} to {hidden!r}")
    return found


def test_focus_is_never_under_the_bar_at_200_percent_text(large: Page, surveyed: NoScript) -> None:
    """Without JavaScript the CSS fallback's scroll padding, in every locale x page type (at 320 px,
    the sample also at 360 and 412 px), covers the bar and its focus ring, the heading after the
    skip link starts below the bar, and a real keyboard walk on the pages with the most stops finds
    nothing under the bar. (With JavaScript, exit.js's padding is surveyed and every page walked in
    tests/browser/test_accessibility.py.)"""
    found = surveyed.under_bar + [where for case in WALKED for where in walk(large, *case)]
    assert found == [], f"{len(found)} focus stops or jumps under the exit bar:\n" + "\n".join(found)


def test_first_helpline_number_is_on_the_first_screen_without_javascript(browser: Browser, base_url: str) -> None:
    """The sample x every page type that shows the helplines, as a 360 x 640 phone opens it
    without JavaScript (tests/browser/help_first.py; with JavaScript, every locale is checked in
    the walk of tests/browser/test_accessibility.py)."""
    context = make_context(browser, base_url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    found, worst = [], (0, "")
    for code, page_type in itertools.product(SAMPLE, HELP_PAGES):
        page.goto(PAGE_TYPES[page_type].format(code=code))
        bottom, shown = first_number(page)
        worst = max(worst, (bottom, f"{code}/{page_type}"))
        if not shown:
            found.append(f"{code}/{page_type}: ends at {bottom} px, under the bar or off screen")
    context.close()
    print(f"\nfirst helpline number without JavaScript, worst bottom edge at 360 x 640: {worst[0]} px on {worst[1]}")
    assert HELP_PAGES and found == [], f"{len(found)} pages hide the first number:\n" + "\n".join(found)


# Right-to-left and the longest easy-to-read page first: their help box moved whole to sheet 2.
PRINTED = [
    ("ar", "plain"),
    ("so", "plain"),
    ("sv", "standard"),
    ("uk", "standard"),
    ("ti", "safety"),
    ("se", "not_found"),
]


def sheets(pdf: Path) -> list[str]:
    """The text of each printed sheet."""
    info = subprocess.run([find("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(
            [find("pdftotext"), "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_first_printed_sheet_carries_the_help_box_and_text(page: Page, tmp_path: Path) -> None:
    """A help box that may not break moved whole to sheet 2 and left most of sheet 1 blank."""
    found = []
    for code, page_type in PRINTED:
        page.goto(PAGE_TYPES[page_type].format(code=code))
        page.pdf(path=tmp_path / "page.pdf", format="A4")
        printed = sheets(tmp_path / "page.pdf")
        lines = [len([line for line in sheet.splitlines() if line.strip()]) for sheet in printed]
        full = max(lines[1:-1] or lines)
        helplines = "112" in printed[0] and "020-50 50 50" in printed[0]
        if not helplines or lines[0] < 0.6 * full:
            found.append(f"{code}/{page_type}: sheet 1 has {lines[0]} lines of {full}, helplines: {helplines}")
    assert found == [], "\n".join(found)


# The sentence being read, on every line of a heading that wraps: for each line box of the range,
# whether some pixel row under its baseline is (almost) all the underline's colour.
HIGHLIGHT = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('main h1'));
  CSS.highlights.set('listen', new Highlight(range));
  const probe = document.createElement('span');
  probe.style.color = matchMedia('(forced-colors: active)').matches ? 'HighlightText' : '#0b0c0c';
  document.body.append(probe);
  const colour = getComputedStyle(probe).color.match(/\\d+/g).map(Number);
  probe.remove();
  const lines = [...range.getClientRects()].filter(r => r.width > 8);
  return {colour, lines: lines.map(r => [r.left, r.top, r.width, r.height])};
}"""
UNDERLINED = """async ([png, colour, lines, scale]) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = new OffscreenCanvas(image.width, image.height);
  const draw = canvas.getContext('2d');
  draw.drawImage(image, 0, 0);
  const near = (data, i) => Math.abs(data[i] - colour[0]) + Math.abs(data[i + 1] - colour[1])
    + Math.abs(data[i + 2] - colour[2]) < 60;
  return lines.map(([left, top, width, height]) => {
    const x = Math.ceil((left + 3) * scale), w = Math.floor((width - 6) * scale);
    for (let y = Math.floor((top + height / 2) * scale); y < (top + height) * scale; y++) {
      const data = draw.getImageData(x, y, w, 1).data;
      let hits = 0;
      for (let i = 0; i < data.length; i += 4) hits += near(data, i);
      if (hits >= 0.95 * w) return true;
    }
    return false;
  });
}"""


@pytest.mark.parametrize("code", ["sv", "ar", "ti"])
@pytest.mark.parametrize("mode", ["light", "dark", "forced"])
def test_read_aloud_highlight_underlines_every_line(browser: Browser, base_url: str, mode: str, code: str) -> None:
    """The highlight of Lyssna on a heading of two lines or more: each line shows its underline,
    not covered by the next line's highlight, in forced colours too."""
    options: dict[str, Any] = {"forced_colors": "active"} if mode == "forced" else {"color_scheme": mode}
    context = make_context(browser, base_url, viewport={"width": NARROWEST, "height": 640}, **options)
    page = context.new_page()
    page.goto(f"/{code}/")
    marked = page.evaluate(HIGHLIGHT)
    assert len(marked["lines"]) >= 2, "the heading should wrap at this width"
    png = page.screenshot()
    blank = context.new_page()  # no site CSP here, so the screenshot can be decoded in a canvas
    drawn = blank.evaluate(UNDERLINED, [base64.b64encode(png).decode(), marked["colour"], marked["lines"], 1])
    context.close()
    assert all(drawn), f"{code} {mode}: underline drawn per line {drawn}"
