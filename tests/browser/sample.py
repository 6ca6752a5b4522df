"""Which locales and pages a browser check covers at which viewport, in one place for every browser
module.

A check that walks locales × pages runs every locale at one viewport, the narrowest (320 px, where
most failures show), and SAMPLE at its other viewports:

- sv, the source: the long Swedish words ("Kvinnofridslinjen", "Tillgänglighetsredogörelse");
- uk, so and se: the longest labels, measured in Chromium at 320 px: uk has the widest exit link
  and the tallest help box, so the tallest help box at 200 % text, se the long helpline names
  ("Heahtenummir") and "Davvisámegiella";
- ar, right to left: of the four right-to-left locales it has the tallest exit bar at 200 % text
  (173 px at 320 px, where yi, fa and prs have 133) and Arabic script's joined letters; yi
  (Hebrew script) is in every check at 320 px;
- ti, the one locale in Ethiopic script.

Use it as ``parametrize("code", ALL)`` at NARROWEST and ``parametrize("code", SAMPLE)`` at the
others (or ``cases(widths)``), and say in the test's docstring which set it covers. A walk over
every page walks PAGE_TYPES, or CASES for every locale x page type. Which tests
must share one worker is in tests/parallel.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from webapp.locales import PUBLISHED
from webapp.pages import NOT_FOUND, PAGES

ALL = tuple(info.code for info in PUBLISHED)
SAMPLE = ("sv", "uk", "so", "se", "ar", "ti")
NARROWEST = 320
# Every page type of webapp/pages.py, as a path pattern; the 404 page at a path that is no page.
PAGE_TYPES = {page.name: page.path("{code}") for page in PAGES} | {NOT_FOUND.name: "/{code}/no-such-page"}
CASES = [(code, page_type) for code in ALL for page_type in PAGE_TYPES]


def codes_at(width: int) -> tuple[str, ...]:
    """Every locale at the narrowest width, the sample at any other."""
    return ALL if width <= NARROWEST else SAMPLE


def cases(widths: Iterable[int]) -> list[tuple[int, str]]:
    """(width, code) for each width: every locale at the narrowest, the sample at the others."""
    return [(width, code) for width in widths for code in codes_at(width)]
