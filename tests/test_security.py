"""Privacy and security headers on every kind of response."""

from __future__ import annotations

import pytest
from starlette.responses import Response
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from tests.helpers import app_client
from webapp.security import CSP, AllowedHosts, SecurityHeaders
from webapp.settings import Settings


def asset_path(client: TestClient, name: str) -> str:
    html = client.get("/sv/").text
    return html.split(f"/static/{name}.")[1].split('"')[0].join([f"/static/{name}.", ""])


RESPONSES = [
    ("GET", "/"),
    ("GET", "/sv/"),
    ("GET", "/ar/plain"),
    ("GET", "/nope"),
    ("GET", "/sv/nope"),
    ("POST", "/sv/"),
    ("GET", "/healthz"),
    ("GET", "/sv"),
    ("GET", "/languages"),
    ("HEAD", "/sv/"),
    ("GET", "/static/nope.js"),
    ("DELETE", "/static/x"),
]


@pytest.mark.parametrize(("method", "path"), RESPONSES)
def test_every_response_carries_the_headers(client: TestClient, method: str, path: str) -> None:
    headers = client.request(method, path).headers
    assert headers["content-security-policy"] == CSP
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "geolocation=()" in headers["permissions-policy"]
    assert "camera=()" in headers["permissions-policy"]
    assert "server" not in headers
    assert "set-cookie" not in headers
    assert "strict-transport-security" not in headers


def test_static_files_carry_the_headers(client: TestClient) -> None:
    for name in ("site", "exit"):
        response = client.get(asset_path(client, name))
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CSP


def test_csp_allows_nothing_inline_and_nothing_foreign() -> None:
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in CSP


def test_hsts_when_configured_for_tls() -> None:
    with app_client(Settings(hsts=True)) as client:
        assert client.get("/sv/").headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/..%2fpyproject.toml",
        "/static/%2e%2e%2fwebapp%2fapp.py",
        "/static/",
        "/static",
        "/static/site.css",
        "/static/..%5cpyproject.toml",
        "/static/.%2e/.%2e/etc/passwd",
    ],
)
def test_static_files_cannot_escape_or_be_listed(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 301)
    assert "[project]" not in response.text and "Index of" not in response.text


def test_pages_request_nothing_from_other_origins(client: TestClient) -> None:
    html = client.get("/sv/").text
    for attribute in ('src="', 'href="'):
        for value in html.split(attribute)[1:]:
            url = value.split('"')[0]
            assert (
                url.startswith(("/", "#", "tel:", "https://trygg.example/"))
                or 'rel="nofollow' in value
                or url in Settings().exit_urls
            ), url


def test_no_inline_script_or_style(client: TestClient) -> None:
    html = client.get("/sv/").text
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert " onclick=" not in html.lower()


def test_an_unexpected_error_is_a_plain_500_with_the_headers(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from webapp.pages import Page
    from webapp.site import Site

    def broken(self: Site, code: str, page: Page) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Site, "page", broken)
    with app_client(raise_server_exceptions=False) as client:
        response = client.get("/sv/")
    assert response.status_code == 500
    assert response.text.startswith("Något gick fel.") and "112" in response.text
    assert "Traceback" not in response.text and "disk on fire" not in response.text
    assert response.headers["content-security-policy"] == CSP
    assert "RuntimeError" in caplog.text and "Traceback" not in caplog.text


def test_set_cookie_and_server_headers_never_leave() -> None:
    """Whatever an inner part of the app sets, no cookie and no server name reach the browser."""

    async def careless(scope: Scope, receive: Receive, send: Send) -> None:
        leaky = [(b"Set-Cookie", b"id=1"), (b"server", b"uvicorn"), (b"X-Powered-By", b"x"), (b"x-kept", b"1")]
        await send({"type": "http.response.start", "status": 200, "headers": leaky})
        await send({"type": "http.response.body", "body": b"ok"})

    headers = TestClient(SecurityHeaders(careless, Settings())).get("/").headers
    assert [headers.get(name) for name in ("set-cookie", "server", "x-powered-by")] == [None, None, None]
    assert (headers["x-kept"], headers["content-security-policy"]) == ("1", CSP)


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("[::1]", True),
        ("[::1]:8000", True),
        ("[::2]:8000", False),
        ("[::1]:8000:1", False),
        ("trygg.example:8443", True),
        ("Trygg.Example", True),
        ("a.vanersborg.se:443", True),
        ("vanersborg.se", False),
        ("[trygg.example]", False),
    ],
)
def test_allowed_hosts_with_ports_and_ipv6_addresses(host: str, allowed: bool) -> None:
    hosts = AllowedHosts(careless_app, ("[::1]", "trygg.example", "*.Vanersborg.se"), refused)
    assert hosts.allows(host) is allowed


async def careless_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("never called")


def refused(scope: Scope) -> Response:
    return Response(status_code=400)
