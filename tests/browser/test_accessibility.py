"""Every page type in every locale, in real Chromium: axe (WCAG 2.2 AA and best practice), reflow,
text spacing, 200 % text, forced colours, dark mode, reduced motion, keyboard and structure.

The walks over locales × pages run every locale at 320 px and the sample of tests/browser/sample.py
at their other viewports; each test's docstring says which set it covers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import axe, help_first, large_text
from tests.browser.conftest import make_context, pages_at
from tests.browser.help_first import HELP_PAGES
from tests.browser.sample import CASES, NARROWEST, PAGE_TYPES, SAMPLE
from tests.tools import locked_snapshot
from webapp.locales import LOCALES, PUBLISHED

WIDTHS = (320, 1280)
# The walk over every page: every locale on a phone, the sample also on a desktop and in a viewport
# 200 px high (a phone held sideways with the keyboard out, or a zoomed desktop).
PHONE, DESKTOP, SHORT = (NARROWEST, 640), (1280, 800), (NARROWEST, 200)
VIEWPORTS = (PHONE, DESKTOP, SHORT)
# Runs in the page before its own scripts: on every Tab press, before the browser moves focus on, it
# records where the focused element is (focus moved there and the page scrolled to it on the press
# before), relative to the bar, whether anything covers it (a hit test at the middle of its first
# line box) and whether its focus ring shows.
FOCUS_RECORDER = """
window.__stops = [];
window.__focusables = () => [...document.querySelectorAll('a[href], button, input, select, textarea')]
  .filter(e => e.checkVisibility());
window.__where = (e) => {
  const bar = document.querySelector('.exit-bar').getBoundingClientRect();
  const link = document.getElementById('quick-exit').getBoundingClientRect();
  const r = e.getBoundingClientRect();
  const rects = [...e.getClientRects(), r];
  const under = !e.closest('.exit-bar') && rects.some(q => q.width && q.height && q.top < bar.bottom
    && q.bottom > bar.top && q.left < bar.right && q.right > bar.left);
  const first = e.getClientRects()[0] || r;
  const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
  const s = getComputedStyle(e);
  return {index: window.__focusables().indexOf(e), name: e.id || e.className, text: e.textContent.trim().slice(0, 40),
          under, top: r.top, bottom: r.bottom, width: r.width, height: r.height, viewport: innerHeight,
          bar: bar.height, barBottom: bar.bottom, link: [link.width, link.height],
          onTop: !!hit && (hit === e || e.contains(hit)),
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'};
};
addEventListener('keydown', (event) => {
  if (event.key === 'Tab') window.__stops.push(window.__where(document.activeElement));
}, true);
"""
SNAPSHOTS = Path(__file__).parent / "snapshots"
# WCAG 1.4.12 text spacing, as the W3C's bookmarklet sets it.
SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                 word-spacing: 0.16em !important; }
             p, li { margin-block-end: 2em !important; }"""
CLIPPED = """() => [...document.querySelectorAll('body *')].filter(e => {
    if (e.closest('.visually-hidden') || e.getClientRects().length === 0) return false;
    const s = getComputedStyle(e);
    const clips = /(hidden|clip|scroll|auto)/.test(s.overflowX + s.overflowY);
    return clips && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
  }).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture(scope="module")
def pages(browser: Browser, base_url: str) -> Iterator[dict[int, Page]]:
    """A 320 x 640 phone and a 1280 x 800 desktop, with axe and the focus recorder, reused by every
    case of the module."""
    with pages_at(browser, base_url, [NARROWEST], PHONE[1]) as narrow, pages_at(browser, base_url, [1280]) as wide:
        for page in (*narrow.values(), *wide.values()):
            axe.add_to(page.context).add_init_script(FOCUS_RECORDER)
        yield narrow | wide


def check_structure(page: Page) -> None:
    """The landmarks, one h1 and no skipped heading level, the exit link named as shown, a link in
    a navigation, and no image, as the accessibility tree has them."""
    snapshot = page.locator("body").aria_snapshot()
    for landmark in ("- banner:", "- main:", "- contentinfo:", '- navigation "'):
        assert landmark in snapshot
    assert snapshot.count("[level=1]") == 1
    levels = [int(part.split("]")[0]) for part in snapshot.split("[level=")[1:]]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    exit_name = page.locator("#quick-exit").inner_text().strip()
    assert f'- link "{exit_name}"' in snapshot
    assert 'link "' in snapshot.split("- navigation")[1]
    assert "img" not in snapshot and "graphic" not in snapshot


# The published locales, and the languages a read-aloud line names (a fallback voice's).
KNOWN_LANGS = {info.tag: info.direction for info in PUBLISHED} | {
    voice.tag: voice.direction for info in PUBLISHED for voice in info.fallback_voices
}


@pytest.mark.parametrize(("code", "page_type"), CASES)
def test_every_page_passes_axe_and_the_keyboard_walk(pages: dict[int, Any], code: str, page_type: str) -> None:
    """Every locale x page type on a 320 x 640 phone, the sample also at 1280 x 800 and 320 x 200
    (what is shown, and so the accessibility tree and the focus stops, depend on the viewport), in
    one load: the page's language and direction, every lang attribute a published locale's (with
    its direction where one is given); then in each viewport nothing scrolls sideways, axe finds
    nothing and the structure holds (check_structure; not at 320 x 200, the same page as at 640),
    and the keyboard walk finds nothing (check_focus); then, with the text at 200 %, the survey of
    tests/browser/large_text.py finds nothing (at 320 px, the sample also at 360 and 412 px); last,
    on a page that shows the helplines, the first number is on the first screen of a 360 x 640
    phone (tests/browser/help_first.py)."""
    page = pages[NARROWEST]
    response = page.goto(PAGE_TYPES[page_type].format(code=code))
    assert response.status == (404 if page_type == "not_found" else 200)
    info = LOCALES[code]
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [info.tag, info.direction]
    for lang, direction in page.evaluate("[...document.querySelectorAll('[lang]')].map(e => [e.lang, e.dir])"):
        assert lang in KNOWN_LANGS and direction in ("", KNOWN_LANGS[lang]), (lang, direction)
    checked = 0
    try:
        for width, height in VIEWPORTS if code in SAMPLE else VIEWPORTS[:1]:
            page.set_viewport_size({"width": width, "height": height})
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{width} x {height}"
            if height > SHORT[1]:
                assert axe.violations(page) == [], f"{width} x {height}"
                check_structure(page)
            checked += check_focus(page, f"{width} x {height}")
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        found = large_text.Survey()
        with large_text.at_200_percent(page):
            page.evaluate(START)
            large_text.survey(page, code, page_type, found, javascript=True)
        assert found == large_text.Survey(), f"at 200 % text: {found}"
        if page_type in HELP_PAGES:
            page.set_viewport_size(help_first.PHONE)
            bottom, shown = help_first.first_number(page)
            assert shown, f"the first helpline number ends at {bottom} px, under the bar or off the first screen"
    finally:  # the page is shared by the module's other cases
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    print(f"\n{code}/{page_type}: {checked} focus stops, none hidden")


@pytest.fixture(scope="module")
def styled(browser: Browser, base_url: str) -> Iterator[dict[int, Page]]:
    """One page per width into which a test may put its own styles (bypass_csp: the site itself
    allows no inline style), reused by the cases that do."""
    with pages_at(browser, base_url, WIDTHS, bypass_csp=True) as pages:
        yield pages


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("code", ["sv", "ar", "ti", "fit", "uk"])
def test_text_spacing_clips_nothing(styled: dict[int, Any], width: int, code: str) -> None:
    page = styled[width]
    for page_type, path in PAGE_TYPES.items():
        page.goto(path.format(code=code))
        page.add_style_tag(content=SPACING)
        assert page.evaluate(CLIPPED) == [], page_type
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page_type


@pytest.mark.parametrize("code", ["sv", "ar", "se"])
def test_200_percent_text_clips_nothing(styled: dict[int, Any], code: str) -> None:
    page = styled[1280]
    for page_type, path in PAGE_TYPES.items():
        page.goto(path.format(code=code))
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate(CLIPPED) == [], page_type
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, page_type
        bar = page.evaluate("document.querySelector('.exit-bar').getBoundingClientRect().height")
        assert bar < 800 * 0.35, page_type  # the sticky bar never takes over the screen


CONTRAST = """(selector) => {
  const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const e = document.querySelector(selector);
  let bg = e, colour;
  const clear = el => /rgba\\(0, 0, 0, 0\\)|transparent/.test(getComputedStyle(el).backgroundColor);
  while (bg && clear(bg)) bg = bg.parentElement;
  colour = getComputedStyle(bg || document.documentElement).backgroundColor;
  const [a, b] = [lum(parse(getComputedStyle(e).color)), lum(parse(colour))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
FOCUS_RING = """() => { const s = getComputedStyle(document.activeElement);
  return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          shadow: s.boxShadow !== 'none', id: document.activeElement.id}; }"""


@pytest.mark.parametrize("mode", ["light", "dark", "forced"])
@pytest.mark.parametrize("code", ["sv", "ar"])
def test_colours_keep_text_focus_and_exit_visible(browser: Any, base_url: str, mode: str, code: str) -> None:
    options: dict[str, Any] = {"forced_colors": "active"} if mode == "forced" else {"color_scheme": mode}
    context = make_context(browser, base_url, viewport={"width": 1280, "height": 800}, **options)
    page = context.new_page()
    page.goto(f"/{code}/")
    assert page.evaluate(CONTRAST, "main p") >= 7
    assert page.evaluate(CONTRAST, "#quick-exit") >= 4.5
    assert page.locator("#quick-exit").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate(FOCUS_RING)
    assert ring["id"] == "quick-exit" and (ring["outline"] or ring["shadow"])
    context.close()


def test_reduced_motion_means_no_motion(browser: Any, base_url: str) -> None:
    context = make_context(browser, base_url, reduced_motion="reduce")
    page = context.new_page()
    page.goto("/sv/")
    page.keyboard.press("Shift")
    assert page.evaluate("document.getAnimations().length") == 0
    durations = page.evaluate("[...document.querySelectorAll('*')].map(e => getComputedStyle(e).transitionDuration)")
    assert set(durations) <= {"0s"}
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    context.close()


def test_tab_order_of_the_swedish_page(pages: dict[int, Any]) -> None:
    page = pages[1280]
    page.goto("/sv/")
    names = []
    for _ in range(8):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.replace(/\\s+/g, ' ').trim()"))
    assert names == [
        "Gå till innehåll",
        "Lämna sidan snabbt",
        "Surfa säkrare",
        "Vänersborgs kommun",
        "Språk · Languages · اللغات",
        "Lättläst",
        "Nödnummer 112",
        "Kvinnofridslinjen 020-50 50 50",
    ]


SNAPSHOT_SV = """
- link "Gå till innehåll"
- navigation "Lämna sidan snabbt":
  - link "Lämna sidan snabbt"
  - link "Surfa säkrare"
  - status
- banner:
  - link "Vänersborgs kommun"
  - navigation "Språk och lättläst":
    - list:
      - listitem:
        - link "Språk · Languages · اللغات"
      - listitem:
        - link "Lättläst"
- main:
  - heading "Samverkan mot våld i nära relation" [level=1]
  - region "Få hjälp nu":
    - heading "Få hjälp nu" [level=2]
    - list:
      - listitem:
        - link "Nödnummer 112"
  - heading "Samlad kraft för förebyggande arbete" [level=2]
  - heading "Samverkansgruppen mot våld i nära relation" [level=2]
  - list
  - heading "Lokalt nätverk mot våld i nära relation" [level=2]
  - list
  - region "Sidinformation":
    - heading "Sidinformation" [level=2]
    - paragraph:
      - time: 5 oktober 2022
- contentinfo:
  - list:
    - listitem:
      - link "Tillgänglighetsredogörelse"
"""


def test_structure_of_the_swedish_page(pages: dict[int, Any]) -> None:
    from playwright.sync_api import expect

    page = pages[1280]
    page.goto("/sv/")
    expect(page.locator("body")).to_match_aria_snapshot(SNAPSHOT_SV)


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
@pytest.mark.parametrize("code", ["sv", "ar"])
def test_aria_snapshot_of_every_page_type_is_locked(pages: dict[int, Any], code: str, page_type: str) -> None:
    """The whole accessibility tree of each page type, locked in tests/browser/snapshots/ (set
    TRYGG_UPDATE_SNAPSHOTS=1 to rewrite after an intended change, and read the diff)."""
    from playwright.sync_api import expect

    page = pages[1280]
    page.goto(PAGE_TYPES[page_type].format(code=code))
    snapshot = SNAPSHOTS / f"aria-{code}-{page_type}.yaml"
    locked = locked_snapshot(snapshot, page.locator("body").aria_snapshot() + "\n")
    expect(page.locator("body")).to_match_aria_snapshot(locked)


START = """() => { window.scrollTo(0, 0); document.body.tabIndex = -1; document.body.focus({preventScroll: true});
  document.body.blur(); document.body.removeAttribute('tabindex'); window.__stops = []; }"""


def walk(page: Any, count: int) -> list[dict[str, Any]]:
    """Tab through every stop from the top, then Shift+Tab back to the first, with real keys held
    down as a reader holds Tab: the browser moves focus on each key-down, so a key-up between them
    would add a round trip and nothing else. It starts as on a page just loaded: at the top, nothing
    focused, and the browser's starting point for Tab at the start of the body (a blur alone would
    leave it where the last walk ended). The recorder notes each stop on the press after it, so the
    first note (nothing focused yet) is dropped and the last stop is noted here."""
    page.evaluate(START)
    for _ in range(count):
        page.keyboard.down("Tab")
    page.keyboard.up("Tab")
    page.keyboard.down("Shift")
    for _ in range(count - 1):
        page.keyboard.down("Tab")
    page.keyboard.up("Tab")
    page.keyboard.up("Shift")
    return page.evaluate("[...window.__stops.slice(1), window.__where(document.activeElement)]")  # type: ignore[no-any-return]


def skip_to_main(page: Any) -> dict[str, Any]:
    page.keyboard.press("Enter")  # focus is on the skip link, where the walk back ended
    where: dict[str, Any] = page.evaluate(
        "() => ({...window.__where(document.activeElement),"
        " id: document.activeElement.id,"
        " mainTop: document.querySelector('main').getBoundingClientRect().top})"
    )
    return where


def check_focus(page: Any, viewport: str) -> int:
    """The sticky exit bar never hides what has focus (WCAG 2.4.11, and 2.4.12: not even partly),
    and focus is always visible: every focus stop, forwards then back with real keys, comes in
    order, whole in the viewport, not under the bar, on top (nothing covers it) and with its focus
    ring; the skip link and the exit link come first, the exit link is a 44 px target, and the
    skip link leads to the content below the bar. At 320 x 200 the bar takes at most 30 % of the
    height. Returns the number of stops checked."""
    count = page.evaluate("window.__focusables().length")
    stops = walk(page, count)
    assert [s["index"] for s in stops] == [*range(count), *range(count - 2, -1, -1)], viewport
    hidden = [s for s in stops if s["under"] or s["top"] < -1 or s["bottom"] > s["viewport"] + 1 or not s["onTop"]]
    assert hidden == [], viewport
    unseen = [s for s in stops if not (s["ring"] and s["width"] > 0 and s["height"] > 0)]
    assert unseen == [], viewport
    assert [s["name"] for s in stops[:2]] == ["skip-link", "quick-exit"], viewport
    assert min(stops[0]["link"]) >= 44, (viewport, stops[0]["link"])
    assert max(s["bar"] for s in stops) <= 0.3 * stops[0]["viewport"] or stops[0]["viewport"] > SHORT[1], viewport
    main = skip_to_main(page)
    assert main["id"] == "main-content" and main["mainTop"] >= main["barBottom"], (viewport, main)
    return len(stops)


@pytest.mark.parametrize("width", [320, 1280])
def test_scroll_padding_follows_the_bar_under_larger_text(styled: dict[int, Any], width: int) -> None:
    """With text at 200 % the exit label may wrap; the script keeps the padding above the bar."""
    page = styled[width]
    for code in ("sv", "uk", "so"):
        page.goto(f"/{code}/")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        page.evaluate("new Promise(requestAnimationFrame)")
        bar, padding = page.evaluate("""[document.querySelector('.exit-bar').getBoundingClientRect().height,
            parseFloat(getComputedStyle(document.documentElement).scrollPaddingBlockStart)]""")
        assert padding >= bar + 8, (code, bar, padding)
