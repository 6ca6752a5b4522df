"""What a URL path means: which page in which locale, where a variant of a page's path redirects,
and which language a 404 is said in."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import Route

from webapp.locales import LOCALES, LocaleInfo, negotiate, published
from webapp.pages import BY_SEGMENT, STANDARD


def locale_for(path: str, accept_language: str | None) -> LocaleInfo:
    """The language to answer in: the path's own locale, else the browser's best."""
    first = path.lstrip("/").split("/", 1)[0]
    return published(first) or published(first.lower()) or LOCALES[negotiate(accept_language)]


def canonical(path: str) -> str | None:
    """The page a variant of its path redirects to (/sv and /SV/ to /sv/, /Sv/Plain/ to /sv/plain),
    or None when the path is no page at all."""
    segments = path[1:].split("/")
    info = published(segments[0].lower())
    if info is None or len(segments) > 3 or (len(segments) == 3 and segments[2]):
        return None
    page = BY_SEGMENT.get(segments[1].lower()) if len(segments) > 1 else STANDARD
    if page is None or (len(segments) == 3 and page is STANDARD):
        return None
    return page.path(info.code)


def first_segment(path: str) -> str:
    return path[1:].split("/", 1)[0]


def first_segments(routes: Iterable[Route]) -> frozenset[str]:
    """The first path segments of these routes (/healthz: "healthz"; /: "")."""
    return frozenset(first_segment(route.path) for route in routes)


def certainly_missing(path: str, routed: frozenset[str]) -> bool:
    """True for a path that is no page, no variant of one and not under a route: a 404 at once."""
    return first_segment(path) not in routed and canonical(path) is None
