"""Privacy and security headers on every response, whoever made it.

A pure ASGI middleware, so pages, redirects, errors, static files and anything Starlette answers
by itself all get the same headers, and no Set-Cookie or Server header ever leaves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webapp.settings import Settings

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'none'",
        "font-src 'none'",
        "manifest-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
# The powerful features a page could be made to ask for; the site uses none of them.
PERMISSIONS = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "display-capture",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "browsing-topics",
    )
)
DROPPED = {b"server", b"set-cookie", b"x-powered-by"}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# What TRYGG_ALLOWED_HOSTS may list: "*", a name, "*." and a name, or an IPv6 address in brackets.
HOST_PATTERN = re.compile(rf"\*|(?:\*\.)?{_LABEL}(?:\.{_LABEL})*|\[[0-9a-f:.]+\]", re.IGNORECASE)


def hosts_problem(patterns: Sequence[str]) -> str | None:
    """One line naming the patterns that can never match a Host header, or None. A typo would
    otherwise refuse every reader without a word."""
    wrong = [pattern for pattern in patterns if not HOST_PATTERN.fullmatch(pattern)]
    if not wrong:
        return None
    listed = ", ".join(map(repr, wrong))
    return f"TRYGG_ALLOWED_HOSTS: {listed}: not a host name, *.name or [IPv6 address] (a port is not part of it)"


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = {
        "content-security-policy": CSP,
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
        "permissions-policy": PERMISSIONS,
        "cross-origin-opener-policy": "same-origin",
    }
    if settings.hsts:
        headers["strict-transport-security"] = "max-age=63072000; includeSubDomains"
    return [(name.encode(), value.encode()) for name, value in headers.items()]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [h for h in message.get("headers", []) if h[0].lower() not in DROPPED]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowedHosts:
    """Refuses a request for a host the site does not serve before anything else runs.
    Patterns as TRYGG_ALLOWED_HOSTS gives them: "example.org", "*.example.org" (with "*" alone the
    app does without this check)."""

    def __init__(self, app: ASGIApp, hosts: Sequence[str], refusal: Callable[[Scope], Response]) -> None:
        self.app = app
        self.hosts = tuple(host.lower() for host in hosts)
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.allows(Headers(scope=scope).get("host", "")):
            await self.refusal(scope)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def allows(self, host: str) -> bool:
        host = host.lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return any(
            pattern == name or (pattern.startswith("*.") and name.endswith(pattern[1:])) for pattern in self.hosts
        )
