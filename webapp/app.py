"""The ASGI application: routes, and how each answer is made.

URLs: ``/`` and ``/languages`` negotiate a locale and redirect; ``/{lang}/`` and
``/{lang}/{page}`` serve prepared pages; ``/static/{hashed name}`` serves assets; ``/healthz``.
Everything else is a 404 page in the best language we can tell. No answer sets a cookie: the
language lives in the URL only.
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

from webapp.caching import REDIRECT
from webapp.fast import FastPages, not_found
from webapp.locales import negotiate, published
from webapp.messages import BAD_REQUEST, METHOD_NOT_ALLOWED, SERVER_ERROR
from webapp.prepared import Prepared, PreparedResponse
from webapp.rendering import page_path
from webapp.security import SecurityHeaders, security_headers
from webapp.settings import Settings
from webapp.site import SiteContent
from webapp.urls import URL_PAGES, locale_for

log = logging.getLogger("webapp")
METHODS = ["GET", "HEAD"]


def send_prepared(request: Request, prepared: Prepared, status: int = 200) -> Response:
    return PreparedResponse(prepared, request.scope, status)


def redirect(location: str, negotiated: bool = False) -> Response:
    if negotiated:
        headers = {"vary": "Accept-Language", "cache-control": "no-store"}
        return RedirectResponse(location, status_code=302, headers=headers)
    return RedirectResponse(location, status_code=301, headers=REDIRECT.headers())


class Handlers:
    """The endpoints, sharing one SiteContent."""

    def __init__(self, content: SiteContent) -> None:
        self.content = content

    async def root(self, request: Request) -> Response:
        return redirect(f"/{negotiate(request.headers.get('accept-language'))}/", negotiated=True)

    async def languages(self, request: Request) -> Response:
        code = negotiate(request.headers.get("accept-language"))
        return redirect(f"/{code}/languages", negotiated=True)

    async def healthz(self, request: Request) -> Response:
        return PlainTextResponse("ok", headers={"cache-control": "no-store"})

    async def page(self, request: Request) -> Response:
        code = request.path_params["lang"]
        name = URL_PAGES.get(request.path_params.get("page", ""))
        if published(code) and name:
            return send_prepared(request, self.content.page(code, name))
        lower = URL_PAGES.get(request.path_params.get("page", "").lower())
        if published(code.lower()) and lower:
            return redirect(page_path(lower, code.lower()))
        return self.not_found(request)

    async def add_slash(self, request: Request) -> Response:
        code = request.path_params["lang"]
        if published(code.lower()):
            return redirect(f"/{code.lower()}/")
        return self.not_found(request)

    async def drop_slash(self, request: Request) -> Response:
        code, name = request.path_params["lang"], request.path_params["page"]
        if published(code.lower()) and name.lower() in URL_PAGES and name:
            return redirect(page_path(URL_PAGES[name.lower()], code.lower()))
        return self.not_found(request)

    async def asset(self, request: Request) -> Response:
        prepared = self.content.asset(request.path_params["name"])
        return self.not_found(request) if prepared is None else send_prepared(request, prepared)

    def not_found(self, request: Request, exc: Exception | None = None) -> Response:
        return not_found(self.content, request.scope)

    def _request_locale(self, request: Request) -> str:
        return locale_for(request.url.path, request.headers.get("accept-language"))

    def _text(self, request: Request, message: str, status: int, headers: dict[str, str]) -> Response:
        translator = self.content.translator(self._request_locale(request))
        headers = {**headers, "cache-control": "no-store"}
        return PlainTextResponse(translator.text(message) + "\n", status_code=status, headers=headers)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        if status == 404:
            return self.not_found(request)
        if status == 405:
            return self._text(request, METHOD_NOT_ALLOWED, 405, {"allow": "GET, HEAD"})
        return self._text(request, BAD_REQUEST, status, headers)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        log.error("error while answering %s: %s", request.url.path, type(exc).__name__)
        response = self._text(request, SERVER_ERROR, 500, {})
        # Starlette answers errors outside every middleware: the headers are added here.
        response.raw_headers.extend(security_headers(self.content.settings))
        return response


def routes(handlers: Handlers) -> list[Route]:
    return [
        Route("/", handlers.root, methods=METHODS),
        Route("/healthz", handlers.healthz, methods=METHODS),
        Route("/languages", handlers.languages, methods=METHODS),
        Route("/static/{name}", handlers.asset, methods=METHODS),
        Route("/{lang}", handlers.add_slash, methods=METHODS),
        Route("/{lang}/", handlers.page, methods=METHODS),
        Route("/{lang}/{page}", handlers.page, methods=METHODS),
        Route("/{lang}/{page}/", handlers.drop_slash, methods=METHODS),
    ]


def create_app(settings: Settings | None = None) -> Starlette:
    """The application, with its catalogs read and checked once."""
    settings = settings or Settings.from_env()
    content = SiteContent.load(settings)
    handlers = Handlers(content)
    middleware = [
        Middleware(FastPages, content=content),
        Middleware(SecurityHeaders, settings=settings),
    ]
    if settings.allowed_hosts != ("*",):
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)))
    return Starlette(
        routes=routes(handlers),
        middleware=middleware,
        exception_handlers={
            HTTPException: handlers.http_error,
            Exception: handlers.server_error,
        },
    )


def __getattr__(name: str) -> Starlette:
    """``webapp.app:app``, built on first use so importing this module reads no files."""
    if name == "app":
        return create_app()
    raise AttributeError(name)
