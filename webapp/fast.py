"""The one way pages and assets are served: prepared bytes sent straight from ASGI, no routing.

A GET or HEAD for the exact path of a page (/sv/, /ar/plain, ...) or of a hashed asset is answered
here with a body and headers built in advance, and so is a path that can only be a 404. Anything
else (the negotiating redirects, variants of a page's path, other methods, /healthz) goes on to
the routes in webapp.app. This is what brings a page to the cost of a bare endpoint.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from webapp.assets import PREFIX
from webapp.caching import NOT_KEPT
from webapp.locales import PUBLISHED, LocaleInfo
from webapp.pages import NOT_FOUND, PAGES, Page
from webapp.prepared import PreparedResponse
from webapp.reach import Reach
from webapp.site import Site
from webapp.urls import certainly_missing, locale_for

# A 404 is kept by nobody, and its language follows Accept-Language when the path names none.
NOT_FOUND_HEADERS = {name.encode(): value.encode() for name, value in NOT_KEPT.items()} | {
    b"vary": b"Accept-Encoding, Accept-Language"
}


class FastPages:
    """``routed``: the first path segments of the routes behind, whose paths are theirs;
    ``reach``: where a page's views are counted (None: they are not)."""

    def __init__(self, app: ASGIApp, site: Site, routed: frozenset[str], reach: Reach | None = None) -> None:
        self.app = app
        self.site = site
        self.routed = routed
        self.reach = reach
        # The page's key for reach counts is made here once: a view then costs one dict add.
        self.paths: dict[str, tuple[LocaleInfo, Page, tuple[str, str]]] = {
            page.path(info.code): (info, page, (info.code, page.name)) for info in PUBLISHED for page in PAGES
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            response = self._answer(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: Scope) -> PreparedResponse | None:
        path = scope["path"]
        served = self.paths.get(path)
        if served is not None:
            return self._page(scope, served)
        asset = self.site.asset(path[len(PREFIX) :]) if path.startswith(PREFIX) else None
        if asset is not None:
            return PreparedResponse(asset, scope)
        if certainly_missing(path, self.routed):
            return not_found(self.site, scope)
        return None

    def _page(self, scope: Scope, served: tuple[LocaleInfo, Page, tuple[str, str]]) -> PreparedResponse:
        info, page, counted = served
        response = PreparedResponse(self.site.page(info, page), scope)
        if self.reach is not None and response.status_code == 200 and scope["method"] == "GET":
            self.reach.count(counted)
        return response


def not_found(site: Site, scope: Scope) -> PreparedResponse:
    """The 404 page in the language of the path, or else of the browser; never cached."""
    accept_language = Headers(scope=scope).get("accept-language")
    prepared = site.page(locale_for(scope["path"], accept_language), NOT_FOUND)
    return PreparedResponse(prepared, scope, 404, NOT_FOUND_HEADERS)
