"""What a URL path means: which page, which locale, and what a 404 is said in."""

from __future__ import annotations

from webapp.locales import negotiate, published
from webapp.rendering import PAGES

# The last segment of each page's URL: /sv/ is the standard page, /sv/plain the easy-to-read one.
URL_PAGES = {("" if page == "standard" else page): page for page in PAGES}
ROOT_ROUTES = frozenset({"", "healthz", "languages", "static"})


def locale_for(path: str, accept_language: str | None) -> str:
    """The language to answer in: the path's own locale, else the browser's best."""
    first = path.lstrip("/").split("/", 1)[0]
    info = published(first) or published(first.lower())
    return info.code if info else negotiate(accept_language)


def certainly_missing(path: str) -> bool:
    """True for a path that no route redirects or serves, so a 404 can be sent at once.
    False means "ask the routes" (they may redirect, e.g. /SV/ or /sv/plain/)."""
    segments = path[1:].split("/")
    if segments[0] in ROOT_ROUTES:
        return False
    if not (published(segments[0]) or published(segments[0].lower())):
        return True
    return len(segments) > 1 and segments[1].lower() not in URL_PAGES
