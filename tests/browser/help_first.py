"""Help first: on a 360 x 640 phone, the first helpline number of a page that shows the helplines
is on the first screen, below the sticky exit bar, with the read-aloud control shown as on a device
with a voice for the page's language (it sits above the help box and pushes it down).

tests/browser/test_accessibility.py checks every locale x page type with JavaScript, in its walk
over every page; tests/browser/test_large_text.py the sample without."""

from __future__ import annotations

from typing import Any

from webapp.pages import NOT_FOUND, PAGES

PHONE = {"width": 360, "height": 640}
HELP_PAGES = [page.name for page in (*PAGES, NOT_FOUND) if page.shows_help]
FIRST_NUMBER = """() => {
  window.scrollTo(0, 0);
  const listen = document.querySelector('[data-listen]');
  if (listen) listen.hidden = false;
  const number = document.querySelector('.helpline-number').getBoundingClientRect();
  const bar = document.querySelector('.exit-bar').getBoundingClientRect();
  return [number.top - bar.bottom, innerHeight - number.bottom, Math.round(number.bottom)];
}"""


def first_number(page: Any) -> tuple[int, bool]:
    """Where the first number's bottom edge is on the first screen, and whether all of it shows
    there below the bar. The page stays with its read-aloud control shown."""
    below_bar, above_edge, bottom = page.evaluate(FIRST_NUMBER)
    return bottom, below_bar >= 0 and above_edge >= 0
