"""The fast path: prepared pages and assets sent straight from ASGI, with no routing work.

A GET or HEAD for the exact path of a page (/sv/, /ar/plain, ...) or of a hashed asset is answered
here with bytes and headers built in advance, security headers included. Everything else (and a
request for a host that is not allowed) goes on to the Starlette routes, which answer the same
paths the same way, only slower. This is what brings a page to the cost of a bare endpoint.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from webapp.locales import PUBLISHED
from webapp.prepared import Prepared, PreparedResponse
from webapp.rendering import NOT_FOUND, PAGES, page_path
from webapp.security import security_headers
from webapp.site import SiteContent
from webapp.static import PREFIX
from webapp.urls import certainly_missing, locale_for

# A 404 is kept by nobody: not by the browser, not by a CDN, not by nginx's proxy cache.
NOT_FOUND_HEADERS = {b"cache-control": b"no-store", b"cdn-cache-control": b"no-store", b"x-accel-expires": b"0",
                     b"vary": b"Accept-Encoding, Accept-Language"}


class FastPages:
    def __init__(self, app: ASGIApp, content: SiteContent) -> None:
        self.app = app
        self.content = content
        self.security = security_headers(content.settings)
        self.paths = {page_path(page, info.code): (info.code, page) for info in PUBLISHED for page in PAGES}
        hosts = content.settings.allowed_hosts
        self.hosts = None if "*" in hosts else frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and self._host_allowed(scope):
            response = self._answer(scope)
            if response is not None:
                response.raw_headers += self.security
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: Scope) -> PreparedResponse | None:
        path = scope["path"]
        prepared = self._lookup(path)
        if prepared is not None:
            return PreparedResponse(prepared, scope)
        if certainly_missing(path):
            return not_found(self.content, scope)
        return None

    def _lookup(self, path: str) -> Prepared | None:
        key = self.paths.get(path)
        if key is not None:
            return self.content.page(*key)
        if path.startswith(PREFIX):
            return self.content.asset(path[len(PREFIX):])
        return None

    def _host_allowed(self, scope: Scope) -> bool:
        """Only exact host names take the fast path; anything else is left to Starlette's
        TrustedHostMiddleware, which answers it (wildcards included)."""
        if self.hosts is None:
            return True
        host = Headers(scope=scope).get("host", "").split(":")[0]
        return host in self.hosts


def not_found(content: SiteContent, scope: Scope) -> PreparedResponse:
    """The 404 page in the language of the path, or else of the browser; never cached."""
    accept_language = Headers(scope=scope).get("accept-language")
    prepared = content.page(locale_for(scope["path"], accept_language), NOT_FOUND)
    return PreparedResponse(prepared, scope, 404, NOT_FOUND_HEADERS)
