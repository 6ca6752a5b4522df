"""Every route and status of the application, through a real app and the ASGI test client."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import brotli
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.helpers import app_client
from webapp.app import METHODS, Handlers, root_routes, routed
from webapp.catalogs import catalog_path, load
from webapp.locales import LOCALES, PUBLISHED
from webapp.messages import BAD_REQUEST
from webapp.pages import PAGES
from webapp.settings import Settings
from webapp.site import Site

PAGE_PATHS = [page.path(info.code) for info in PUBLISHED for page in PAGES]


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_page_of_every_locale(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    code = path.split("/")[1]
    assert f'<html lang="{code}" dir="' in response.text


def test_root_redirects_by_accept_language(client: TestClient) -> None:
    response = client.get("/", headers={"accept-language": "ar,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["location"] == "/ar/"
    assert response.headers["vary"] == "Accept-Language"
    assert response.headers["cache-control"] == "no-store"


def test_root_without_header_goes_to_swedish(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/sv/"


def test_root_with_a_10_kb_header(client: TestClient) -> None:
    response = client.get("/", headers={"accept-language": "x" * 10_000 + ",en"})
    assert (response.status_code, response.headers["location"]) == (302, "/sv/")


def test_languages_redirects_by_accept_language(client: TestClient) -> None:
    response = client.get("/languages", headers={"accept-language": "fi"})
    assert (response.status_code, response.headers["location"]) == (302, "/fi/languages")


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/sv", "/sv/"),
        ("/sv/plain/", "/sv/plain"),
        ("/ar/safety/", "/ar/safety"),
        ("/SV/", "/sv/"),
        ("/Sv/Plain", "/sv/plain"),
        ("/EN", "/en/"),
    ],
)
def test_canonical_redirects(client: TestClient, path: str, location: str) -> None:
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["location"] == location


@pytest.mark.parametrize(
    "path",
    [
        "/xx/",
        "/xx/plain",
        "/sv/nope",
        "/sv/standard",
        "/nope",
        "/sv/plain/x",
        "/static/site.css",
        "/static/../pyproject.toml",
        "/sv/not_found",
    ],
)
def test_unknown_paths_are_404_pages(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert 'href="/sv/languages"' in response.text


def test_404_is_in_the_language_of_the_path(client: TestClient) -> None:
    response = client.get("/ar/nope", headers={"accept-language": "fi"})
    assert '<html lang="ar" dir="rtl">' in response.text


@pytest.mark.parametrize(("path", "lang"), [("/SV/nope", 'lang="sv" dir="ltr"'), ("/AR/nope", 'lang="ar" dir="rtl"')])
def test_404_is_in_the_language_of_an_upper_case_path(client: TestClient, path: str, lang: str) -> None:
    response = client.get(path, headers={"accept-language": "fi"})
    assert response.status_code == 404
    assert f"<html {lang}>" in response.text


def test_404_outside_a_locale_follows_accept_language(client: TestClient) -> None:
    response = client.get("/nope", headers={"accept-language": "uk"})
    assert '<html lang="uk" dir="ltr">' in response.text
    assert "Accept-Language" in response.headers["vary"]


def test_404_links_to_the_page_and_to_other_languages(client: TestClient) -> None:
    html = client.get("/en/nope").text
    assert 'href="/en/"' in html and 'href="/en/languages"' in html


@pytest.mark.parametrize("path", ["/", "/sv/", "/sv/plain", "/healthz", "/nope", "/static/nope.css"])
def test_head_works_wherever_get_does(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers.get("content-length") == get.headers.get("content-length")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/sv/", "/ar/plain", "/healthz", "/static/x.css"])
def test_other_methods_get_405_with_allow(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert "Traceback" not in response.text


def test_405_is_said_in_the_language_of_the_path(client: TestClient) -> None:
    assert client.post("/sv/").text.startswith("Metoden är inte tillåten")


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_static_assets_are_hashed_and_immutable(client: TestClient) -> None:
    html = client.get("/sv/").text
    css = html.split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert css.startswith("/static/site.") and css.endswith(".css")
    response = client.get(css)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["cdn-cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-accel-expires"] == "31536000"
    assert response.headers["content-type"] == "text/css; charset=utf-8"


def test_browsers_keep_nothing_shared_caches_keep_pages_briefly(client: TestClient) -> None:
    """A page in the browser's cache is a trace of the visit: only a CDN or proxy may keep it."""
    for path in ("/sv/", "/ar/plain"):
        headers = client.get(path).headers
        assert (headers["cache-control"], headers["cdn-cache-control"], headers["x-accel-expires"]) == (
            "no-store",
            "public, max-age=300",
            "300",
        )
        again = client.get(path, headers={"if-none-match": headers["etag"]})
        assert again.status_code == 304 and again.headers["cache-control"] == "no-store"
        assert again.headers["cdn-cache-control"] == "public, max-age=300"


@pytest.mark.parametrize("path", ["/sv/nope", "/nope", "/static/nope.css", "/xx/"])
def test_not_found_is_kept_by_nobody(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert (headers["cache-control"], headers["cdn-cache-control"], headers["x-accel-expires"]) == (
        "no-store",
        "no-store",
        "0",
    )


@pytest.mark.parametrize("path", ["/sv", "/SV/", "/sv/plain/", "/", "/languages", "/healthz"])
def test_redirects_and_health_are_not_kept_by_the_browser(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["cache-control"] == "no-store"
    if response.status_code == 301:
        assert response.headers["cdn-cache-control"] == "public, max-age=3600"


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("br, gzip", "br"),
        ("gzip", "gzip"),
        ("", None),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("gzip;q=abc", None),
        ("x" * 5000, None),
    ],
)
def test_compressed_bodies(client: TestClient, accept: str, encoding: str | None) -> None:
    plain = client.get("/sv/", headers={"accept-encoding": ""}).content
    response = client.get("/sv/", headers={"accept-encoding": accept})
    assert response.headers.get("content-encoding") == encoding
    assert "Accept-Encoding" in response.headers["vary"]
    assert response.content == plain  # the client decodes what it was sent


def test_precompressed_bodies_decode_to_the_page(client: TestClient) -> None:
    from webapp.prepared import Prepared

    prepared = Prepared.build(b"<p>" * 400, "text/html")
    assert gzip.decompress(prepared.bodies["gzip"]) == prepared.bodies["identity"]
    assert brotli.decompress(prepared.bodies["br"]) == prepared.bodies["identity"]


def test_etag_and_304(client: TestClient) -> None:
    first = client.get("/sv/")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get("/sv/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/sv/", headers={"if-none-match": '"other"'}).status_code == 200


def test_each_encoding_has_its_own_etag(client: TestClient) -> None:
    etags = {
        encoding: client.get("/sv/", headers={"accept-encoding": encoding}).headers["etag"]
        for encoding in ("identity", "gzip", "br")
    }
    assert len(set(etags.values())) == 3
    assert client.get("/sv/", headers={"accept-encoding": "gzip", "if-none-match": etags["gzip"]}).status_code == 304
    assert client.get("/sv/", headers={"accept-encoding": "br", "if-none-match": etags["gzip"]}).status_code == 200


def test_no_cookie_on_any_response(client: TestClient) -> None:
    for path in ["/", "/sv/", "/ar/plain", "/nope", "/healthz", "/languages", "/sv"]:
        assert "set-cookie" not in client.get(path).headers
    assert "set-cookie" not in client.post("/sv/").headers


@pytest.fixture(scope="module")
def guarded() -> Iterator[TestClient]:
    """An app that answers trygg.example and the subdomains of vanersborg.se, and no other host."""
    with app_client(Settings(allowed_hosts=("trygg.example", "*.vanersborg.se"))) as client:
        yield client


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("trygg.example", True),
        ("trygg.example:8443", True),
        ("www.vanersborg.se", True),
        ("vanersborg.se", False),
        ("evil.example", False),
        ("trygg.example.evil", False),
        ("", False),
        ("[::1]", False),
        ("[::1]:8000", False),
    ],
)
def test_only_allowed_hosts_are_answered(guarded: TestClient, host: str, allowed: bool) -> None:
    response = guarded.get("/ar/plain", headers={"host": host, "accept-language": "fi"})
    assert response.status_code == (200 if allowed else 400)
    assert "content-security-policy" in response.headers
    if not allowed:  # said in the language of the path, Arabic
        arabic = load(catalog_path(Settings().locales_dir, "ar"), LOCALES["ar"]).messages[BAD_REQUEST]
        assert (response.text, response.headers["cache-control"]) == (arabic + "\n", "no-store")


def test_hreflang_comes_from_settings_never_from_host(client: TestClient) -> None:
    html = client.get("/sv/", headers={"host": "evil.example"}).text
    assert "evil.example" not in html
    assert '<link rel="alternate" hreflang="x-default" href="https://trygg.example/">' in html


def test_the_module_builds_its_app_once_on_first_use() -> None:
    import webapp.app

    assert callable(webapp.app.app)
    assert webapp.app.app is webapp.app.app
    with pytest.raises(AttributeError):
        webapp.app.nothing  # noqa: B018


def test_a_root_route_added_to_the_one_list_is_reached(settings: Settings) -> None:
    """The fast path leaves a root route's paths to it, GET included, because both read one list."""
    site = Site.load(settings)
    handlers = Handlers(site)

    async def news(request: Request) -> Response:
        return PlainTextResponse(f"news {request.url.path}")

    app = routed(site, handlers, [*root_routes(handlers), Route("/news", news, methods=METHODS)])
    with TestClient(app) as client:
        assert [client.get("/news").text, client.head("/news").status_code] == ["news /news", 200]
        assert client.get("/newsletter").status_code == 404
