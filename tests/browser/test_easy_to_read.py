"""The easy-to-read page by the Swedish easy-to-read standard (MTM, LL-förlaget), measured on the
rendered page in Chromium, in every language: lines of at most 55 characters including spaces at
any width, paragraphs of at most 5 lines on a 360 px screen, ragged edge, no hyphenation.

Every locale at 360 px (the standard's screen, where paragraphs are counted) and at 1280 px (the
full measure of the text column, where lines are longest: it is the same from about 450 px up);
the sample of tests/browser/sample.py also at 320 and 768 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import pages_at
from tests.browser.sample import ALL, SAMPLE
from tests.parallel import one_worker

pytestmark = one_worker("easy-to-read")
MAX_LINE = 55
MAX_PARAGRAPH_LINES = 5
EVERY_LOCALE = (360, 1280)
SAMPLE_ONLY = (320, 768)
WIDTHS = (*EVERY_LOCALE, *SAMPLE_ONLY)

# For each visible text block of <main>: its tag, the characters of each rendered line (spaces
# included, the space at a soft wrap left out), text-align and hyphens.
LINES = """() => {
  const blocks = [...document.querySelectorAll('main :is(p, li, h1, h2, h3)')]
    .filter(b => b.getClientRects().length && !b.closest('[hidden], .visually-hidden')
                 && !b.querySelector('p, li'));
  const range = document.createRange();
  return blocks.map(block => {
    const lines = [];
    let top = null, line = '';
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('[hidden], [aria-hidden=true]')) continue;
      for (let i = 0; i < node.data.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top === null || rect.top > top + rect.height / 2) {
          if (top !== null) lines.push(line);
          top = rect.top; line = '';
        }
        line += node.data[i];
      }
    }
    if (top !== null) lines.push(line);
    const style = getComputedStyle(block);
    // A character is what a reader sees: combining marks (Hebrew points, Arabic harakat) and
    // zero-width joiners belong to the letter before them.
    const shown = l => l.replace(/[\\p{M}\\u200c\\u200d]/gu, '').replace(/\\s+/g, ' ').trim();
    return {tag: block.tagName, lines: lines.map(shown).filter(Boolean),
            align: style.textAlign, hyphens: style.hyphens};
  });
}"""


@pytest.fixture(scope="module")
def pages(browser: Browser, base_url: str) -> Iterator[dict[int, Page]]:
    """One page per width, reused by every case of the module."""
    with pages_at(browser, base_url, WIDTHS) as pages:
        yield pages


@pytest.mark.parametrize("code", ALL)
def test_lines_and_paragraphs_are_short(pages: dict[int, Any], code: str) -> None:
    """Every locale at 360 and 1280 px, the sample also at 320 and 768 px."""
    widths = WIDTHS if code in SAMPLE else EVERY_LOCALE
    measured = {width: pages[width].goto(f"/{code}/plain") and pages[width].evaluate(LINES) for width in widths}
    lines = {width: [line for block in blocks for line in block["lines"]] for width, blocks in measured.items()}
    paragraphs = [block["lines"] for block in measured[360] if block["tag"] == "P"]
    tallest = max(paragraphs, key=len)
    longest = {width: max(found, key=len) for width, found in lines.items()}
    print(
        f"\n{code}: longest line {max(map(len, longest.values()))} characters "
        f"({ {width: len(line) for width, line in longest.items()} }), tallest paragraph "
        f"{len(tallest)} lines at 360 px"
    )
    for width, line in longest.items():
        assert len(line) <= MAX_LINE, f"{width} px: {len(line)} characters: {line!r}"
    assert len(tallest) <= MAX_PARAGRAPH_LINES, f"{len(tallest)} lines at 360 px: {tallest}"
    styles = {(block["align"], block["hyphens"]) for blocks in measured.values() for block in blocks}
    assert styles <= {("start", "manual"), ("start", "none")}
