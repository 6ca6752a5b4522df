"""The ASGI application: how every request is answered, and in what order.

    SecurityHeaders        every response, errors included, gets the privacy and security headers
      AllowedHosts         a request for another host is refused before anything else runs
        Starlette          its error handling: a localised 500, never a traceback to the client
          FastPages        pages, assets and certain 404s (webapp.fast): the one way they are served
          routes           /, /languages (negotiate and redirect), /healthz, and for every other
                           path a redirect to the page it is a variant of, or the 404 page

No answer sets a cookie: the language lives in the URL only.
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from webapp.caching import REDIRECT
from webapp.fast import FastPages, not_found
from webapp.locales import negotiate
from webapp.messages import BAD_REQUEST, METHOD_NOT_ALLOWED, SERVER_ERROR
from webapp.pages import LANGUAGES
from webapp.security import SecurityHeaders
from webapp.settings import Settings
from webapp.site import Site
from webapp.urls import canonical, locale_for

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

    def _text(self, request: Request, message: str, status: int, headers: dict[str, str]) -> Response:
        translator = self.site.translator(locale_for(request.url.path, request.headers.get("accept-language")))
        headers = {**headers, "cache-control": "no-store"}
        return PlainTextResponse(translator.text(message) + "\n", status_code=status, headers=headers)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 405:
            return self._text(request, METHOD_NOT_ALLOWED, 405, {"allow": "GET, HEAD"})
        return self._text(request, BAD_REQUEST, status, {})

    async def server_error(self, request: Request, exc: Exception) -> Response:
        log.error("error while answering %s: %s", request.url.path, type(exc).__name__)
        return self._text(request, SERVER_ERROR, 500, {})


def routes(handlers: Handlers) -> list[Route]:
    return [
        Route("/", handlers.root, methods=METHODS),
        Route("/healthz", handlers.healthz, methods=METHODS),
        Route("/languages", handlers.languages, methods=METHODS),
        Route("/{path:path}", handlers.elsewhere, methods=METHODS),
    ]


def create_app(settings: Settings | None = None) -> ASGIApp:
    """The application, with its catalogs read and checked once."""
    settings = settings or Settings.from_env()
    site = Site.load(settings)
    handlers = Handlers(site)
    starlette = Starlette(
        routes=routes(handlers),
        middleware=[Middleware(FastPages, site=site)],
        exception_handlers={HTTPException: handlers.http_error, Exception: handlers.server_error},
    )
    return SecurityHeaders(TrustedHostMiddleware(starlette, allowed_hosts=list(settings.allowed_hosts)), settings)


def __getattr__(name: str) -> ASGIApp:
    """``webapp.app:app``, built on first use so importing this module reads no files."""
    if name == "app":
        return create_app()
    raise AttributeError(name)
