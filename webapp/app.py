"""The ASGI application: how every request is answered, and in what order.

    SecurityHeaders        every response, errors included, gets the privacy and security headers
      AllowedHosts         a request for a host not in TRYGG_ALLOWED_HOSTS is refused (400) first
        Starlette          its error handling: a localised 500, never a traceback to the client
          FastPages        pages, assets and certain 404s (webapp.fast): the one way they are served
          routes           /, /languages (negotiate and redirect), /healthz, and for every other
                           path a redirect to the page it is a variant of, or the 404 page

No answer sets a cookie: the language lives in the URL only.
"""

from __future__ import annotations

import functools
import logging

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Scope

from webapp.caching import REDIRECT
from webapp.fast import FastPages, not_found
from webapp.locales import negotiate
from webapp.messages import BAD_REQUEST, METHOD_NOT_ALLOWED, SERVER_ERROR
from webapp.pages import LANGUAGES
from webapp.reach import Reach
from webapp.security import AllowedHosts, SecurityHeaders
from webapp.settings import Settings
from webapp.site import Site
from webapp.urls import canonical, first_segments, locale_for

log = logging.getLogger(__name__)
METHODS = ["GET", "HEAD"]


def redirect(location: str, negotiated: bool = False) -> Response:
    if negotiated:
        headers = {"vary": "Accept-Language", "cache-control": "no-store"}
        return RedirectResponse(location, status_code=302, headers=headers)
    return RedirectResponse(location, status_code=301, headers=REDIRECT.headers())


class Handlers:
    """The endpoints, sharing one Site."""

    def __init__(self, site: Site) -> None:
        self.site = site

    async def root(self, request: Request) -> Response:
        return redirect(f"/{negotiate(request.headers.get('accept-language'))}/", negotiated=True)

    async def languages(self, request: Request) -> Response:
        return redirect(LANGUAGES.path(negotiate(request.headers.get("accept-language"))), negotiated=True)

    async def healthz(self, request: Request) -> Response:
        return PlainTextResponse("ok", headers={"cache-control": "no-store"})

    async def elsewhere(self, request: Request) -> Response:
        """Any other path: a variant of a page's path (/SV/, /sv/plain/) redirects to it."""
        target = canonical(request.url.path)
        return redirect(target) if target else not_found(self.site, request.scope)

    def text(self, scope: Scope, message: str, status: int, headers: dict[str, str] | None = None) -> Response:
        """A message said in plain text, in the language of the path, else of the browser."""
        translator = self.site.translator(locale_for(scope["path"], Headers(scope=scope).get("accept-language")))
        headers = {**(headers or {}), "cache-control": "no-store"}
        return PlainTextResponse(translator.text(message) + "\n", status_code=status, headers=headers)

    def wrong_host(self, scope: Scope) -> Response:
        return self.text(scope, BAD_REQUEST, 400)

    async def method_not_allowed(self, request: Request, exc: Exception) -> Response:
        """Every path has a route (the last one takes any path), so routing raises only this."""
        return self.text(request.scope, METHOD_NOT_ALLOWED, 405, {"allow": "GET, HEAD"})

    async def server_error(self, request: Request, exc: Exception) -> Response:
        log.error("error while answering %s: %s", request.url.path, type(exc).__name__)
        return self.text(request.scope, SERVER_ERROR, 500)


def root_routes(handlers: Handlers) -> list[Route]:
    """The paths with an endpoint of their own: the one list of them, which the fast path reads too."""
    return [
        Route("/", handlers.root, methods=METHODS),
        Route("/healthz", handlers.healthz, methods=METHODS),
        Route("/languages", handlers.languages, methods=METHODS),
    ]


def routed(site: Site, handlers: Handlers, roots: list[Route], reach: Reach | None = None) -> Starlette:
    """Starlette with the fast path in front, which leaves alone every path under ``roots``, and
    counts page views in ``reach`` if given (written on its lifespan's timer and at shutdown)."""
    return Starlette(
        routes=[*roots, Route("/{path:path}", handlers.elsewhere, methods=METHODS)],
        middleware=[Middleware(FastPages, site=site, routed=first_segments(roots), reach=reach)],
        exception_handlers={405: handlers.method_not_allowed, Exception: handlers.server_error},
        lifespan=reach.lifespan if reach else None,
    )


def create_app(settings: Settings | None = None) -> ASGIApp:
    """The application, with its catalogs read and checked once."""
    settings = settings or Settings.from_env()
    site = Site.load(settings)
    handlers = Handlers(site)
    reach = Reach(settings.reach_db) if settings.reach_db else None
    starlette = routed(site, handlers, root_routes(handlers), reach)
    hosts = settings.allowed_hosts
    checked = starlette if "*" in hosts else AllowedHosts(starlette, hosts, handlers.wrong_host)
    return SecurityHeaders(checked, settings)


@functools.cache
def _app() -> ASGIApp:
    return create_app()


def __getattr__(name: str) -> ASGIApp:
    """``webapp.app:app``, built once, on first use, so importing this module reads no files."""
    if name == "app":
        return _app()
    raise AttributeError(name)
