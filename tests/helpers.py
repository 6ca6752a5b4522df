"""Small tools the tests share: the app and a client for it, reading a page as a person would, and LIX."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from webapp.app import create_app
from webapp.settings import Settings

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "title", "dt", "dd", "td", "th"}
SKIPPED = {"script", "style", "svg"}


class _Text(HTMLParser):
    """Collects the text of each block element (p, li, headings) of one part of a page."""

    def __init__(self, root_id: str | None) -> None:
        super().__init__()
        self.root_id = root_id
        self.depth = 0 if root_id else 1
        self.skip = 0
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"meta", "link", "br", "img", "input"}:
            return
        self.stack.append(tag)
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.root_id:
            self.depth = 1
        if tag in SKIPPED:
            self.skip += 1
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"meta", "link", "br", "img", "input"} or not self.stack:
            return
        self.stack.pop()
        if tag in SKIPPED:
            self.skip -= 1
        if tag in BLOCKS:
            self._flush()
        if self.depth:
            self.depth -= 1
            if self.depth == 0 and self.root_id:
                self.root_id = "\0done"

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def text_blocks(html: str, root_id: str | None = "main-content") -> list[str]:
    """The text of each block in the element with id ``root_id`` (the whole page if None)."""
    parser = _Text(root_id)
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


def visible_text(html: str, root_id: str | None = "main-content") -> str:
    return " ".join(text_blocks(html, root_id))


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def lix(blocks: list[str]) -> float:
    """LIX (Björnsson): words per sentence + 100 x share of words longer than 6 letters.
    A sentence ends at . : ! ? or at the end of a block (a heading or a list item is one)."""
    words = [word for block in blocks for word in WORD.findall(block)]
    sentences = sum(max(1, len(re.findall(r"[.:!?](?:\s|$)", block))) for block in blocks)
    long_words = sum(1 for word in words if len(word.replace("-", "")) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


# Sentence ends in the scripts of our locales: Latin, Arabic (؟ ۔), Ethiopic (። ፧ ፨).
_SENTENCE_END = re.compile(r"(?<=[.:!?؟۔።፧፨])\s+")


def block_sentences(blocks: list[str]) -> list[list[str]]:
    """The words of every sentence of a page, in any of our scripts; a heading or list item
    without a full stop is a sentence of its own."""
    return [part.split() for block in blocks for part in _SENTENCE_END.split(block) if part.split()]


def sentences(text: str) -> list[str]:
    """The sentences of a plain text, each without its closing punctuation."""
    parts = re.split(r"(?<=[.!?:])\s+|\n+", text)
    return [" ".join(part.split()).rstrip(".:!?") for part in parts if part.strip()]


FALLBACK = 'class="untranslated" lang="sv" dir="ltr">'


def swedish_fallbacks(html: str) -> set[str]:
    """The Swedish passages webapp.i18n put on a page for want of a translation (a name a
    translator marked lang="sv" is not one)."""
    marked = {text.strip() for text in re.findall(FALLBACK + r"([^<]*)", html)}
    return (marked - {""}) | ({"<markup>"} if FALLBACK + "<" in html else set())


def approve(locales: Path, code: str, msgids: set[str] | None = None, reviewer: str = "Test Reviewer") -> int:
    """Write a review record approving ``msgids`` (every usable message if None) as they are now,
    the way an import does; returns how many were approved."""
    import datetime

    from webapp import reviews
    from webapp.catalogs import catalog_path, load
    from webapp.locales import LOCALES

    path = catalog_path(locales, code)
    catalog = load(path, LOCALES[code])
    chosen = [
        m
        for m in catalog.entries
        if catalog.usable(reviews.key_of(m)[1]) and (msgids is None or reviews.key_of(m)[1] in msgids)
    ]
    day = datetime.date(2026, 12, 1)
    reviews.record_path(path).write_text(
        reviews.dump(code, (reviews.approve(m, reviewer, day) for m in chosen)), "utf-8"
    )
    return len(chosen)


@contextlib.contextmanager
def app_client(settings: Settings | None = None, **options: Any) -> Iterator[TestClient]:
    """The one way tests build the app and a client: the settings a test needs (the defaults,
    with the base URL https://trygg.example, otherwise), redirects not followed."""
    app = create_app(settings or Settings(base_url="https://trygg.example"))
    with TestClient(app, follow_redirects=False, **options) as client:
        yield client
