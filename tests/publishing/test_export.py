"""The static export: every page valid HTML (Nu checker), and served by Debian's nginx exactly
as the live app serves it."""

from __future__ import annotations

import http.client
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.parallel import one_worker
from tests.servers import start, wait_until_answering
from tests.tools import find, free_port, nu_checker, start_server
from webapp.locales import PUBLISHED
from webapp.pages import NOT_FOUND, PAGES
from webapp.publishing.export import export, standalone_nginx_conf
from webapp.security import security_headers
from webapp.settings import Settings

pytestmark = one_worker("export")
SECURITY = [name.decode() for name, _ in security_headers(Settings())]
CACHE = ["cache-control", "cdn-cache-control", "x-accel-expires"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    root = tmp_path_factory.mktemp("export")
    export(settings, root)
    return root


def test_export_has_every_page_and_encoding(exported: Path) -> None:
    for info in PUBLISHED:
        for page in (*PAGES, NOT_FOUND):
            html = exported / page.export_file(info.code)
            assert html.exists()
            assert (html.parent / (html.name + ".gz")).exists()
            assert (html.parent / (html.name + ".br")).exists()
    assert len(list((exported / "static").glob("*.css"))) == 1
    assert "Content-Security-Policy: default-src 'none'" in (exported / "_headers").read_text()


def test_export_leaves_out_the_printed_cards(exported: Path) -> None:
    """The cards are for staff who print them; a PDF downloaded on a phone is a trace."""
    assert [path for path in exported.rglob("*") if path.suffix.casefold() == ".pdf"] == []
    assert ".pdf" not in (exported / "nginx.conf").read_text() + (exported / "_headers").read_text()


def test_exported_pages_are_the_live_pages(exported: Path, client: TestClient) -> None:
    for info in PUBLISHED:
        for page in PAGES:
            live = client.get(page.path(info.code), headers={"accept-encoding": ""}).content
            assert (exported / page.export_file(info.code)).read_bytes() == live


def test_every_page_is_valid_html(exported: Path) -> None:
    """The W3C Nu Html Checker over every page of every locale, warnings as errors. With enough
    text it also checks that the text's language matches lang."""
    files = sorted(exported.rglob("*.html"))
    returncode, messages = nu_checker(files)
    print(f"\nNu Html Checker: {len(files)} pages, {len(messages)} errors and warnings")
    assert messages == [], messages[:10]
    assert returncode == 0
    assert len(files) == len(PUBLISHED) * (len(PAGES) + 1)


@pytest.fixture(scope="module")
def nginx(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = find("nginx", "/usr/sbin")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    (prefix / "nginx.conf").write_text(standalone_nginx_conf(exported, prefix, port, connections=64))
    process = start([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], output=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/healthz", process, seconds=10)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


PATHS = [page.path(info.code) for info in PUBLISHED for page in PAGES] + [
    "/sv/nope",
    "/ar/nope",
    "/nope",
    "/sv",
    "/sv/plain/",
    # Variants in any case redirect as the app does; a 404 is said in the path's language.
    "/SV/",
    "/SV",
    "/Sv/Plain",
    "/ar/SAFETY/",
    "/PRS/nope",
    "/sv//",
    "/healthz",
    "/static/nope.css",
    # The 404 page's own file is no page, in a locale's folder or among the assets.
    "/sv/404.html",
    "/static/404.html",
]
# Paths a browser never sends as they are (it resolves dot segments first) but another client
# may: the test client would resolve them too, so they go raw to the real servers.
RAW = [
    "/sv/./plain",
    "/sv/../ar/plain",
    "/sv/%2e/plain",
    "/sv/%2E%2e/ar/",
    "/ar/plain/.",
    "/SV/./",
    "/sv/./404.html",
    "//sv/",
    "/sv/plain?x=1",
    "/SV?x=1",
    "/sv%2Fplain",
    "/sv/%70lain",
]


@pytest.mark.parametrize("path", PATHS)
def test_nginx_serves_the_export_like_the_app(nginx: str, client: TestClient, path: str) -> None:
    status, headers, body = fetch(nginx + path, {"accept-language": "uk"})
    live = client.get(path, headers={"accept-encoding": "", "accept-language": "uk"})
    assert status == live.status_code
    if status == 200 or status == 404:
        assert body == live.content
    if status in (301, 302):
        assert headers["location"] == live.headers["location"]
    for name in SECURITY + CACHE:
        assert headers.get(name) == live.headers.get(name), name
    assert headers["cache-control"] == "no-store"
    assert "set-cookie" not in headers
    assert headers.get("server", "nginx") == "nginx"  # no version


@pytest.fixture(scope="module")
def uvicorn(settings: Settings) -> Iterator[str]:
    """The live app as a reader reaches it: uvicorn, which passes a path on as the request wrote it."""
    port = free_port()
    process = start_server(port, env={"TRYGG_BASE_URL": settings.base_url})
    yield f"127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def raw_get(address: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """GET with exactly this request target, as a client that resolves nothing sends it."""
    connection = http.client.HTTPConnection(address, timeout=5)
    try:
        connection.request("GET", target, headers={"accept-language": "uk", "accept-encoding": "identity"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("target", RAW + PATHS)
def test_nginx_answers_a_raw_request_like_uvicorn(nginx: str, uvicorn: str, target: str) -> None:
    status, headers, body = raw_get(nginx.removeprefix("http://"), target)
    live_status, live_headers, live_body = raw_get(uvicorn, target)
    assert status == live_status
    if status not in (301, 302):  # nginx writes a short page into a redirect; the app nothing
        assert (body, headers["content-type"]) == (live_body, live_headers["content-type"])
    for name in [*SECURITY, *CACHE, "location", "vary"]:
        assert headers.get(name) == live_headers.get(name), name


@pytest.mark.parametrize(
    ("header", "code"),
    [("", "sv"), ("en-GB,en;q=0.9", "en"), ("de, fa-AF;q=0.9", "prs"), ("ku", "kmr"), ("xx", "sv"), ("sv-FI", "sv")],
)
def test_nginx_negotiates_like_the_app(nginx: str, client: TestClient, header: str, code: str) -> None:
    status, headers, _ = fetch(nginx + "/", {"accept-language": header} if header else {})
    assert (status, headers["location"]) == (302, f"/{code}/")
    assert client.get("/", headers={"accept-language": header}).headers["location"] == f"/{code}/"
    assert headers["cache-control"] == "no-store" and "Accept-Language" in headers["vary"]


def test_nginx_sends_precompressed_gzip(nginx: str, exported: Path) -> None:
    status, headers, body = fetch(nginx + "/sv/", {"accept-encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert body == (exported / "sv" / "index.html.gz").read_bytes()


def test_nginx_static_assets_are_immutable_for_shared_caches_only(
    nginx: str, exported: Path, client: TestClient
) -> None:
    css = next((exported / "static").glob("site.*.css")).name
    status, headers, _ = fetch(f"{nginx}/static/{css}")
    live = client.get(f"/static/{css}").headers
    assert status == 200
    assert headers["cdn-cache-control"] == live["cdn-cache-control"] == "public, max-age=31536000, immutable"
    assert headers["cache-control"] == live["cache-control"] == "no-store"


def test_headers_file_keeps_nothing_in_browsers_and_never_repeats_a_header(exported: Path) -> None:
    """Static hosts apply every rule that matches and join a header set twice with commas."""
    rules: dict[str, list[str]] = {}
    for line in (exported / "_headers").read_text().splitlines():
        if line.startswith("/"):
            rules[line] = []
        else:
            rules[list(rules)[-1]].append(line.split(":")[0].strip().lower())
    assert "cache-control" in rules["/*"] and "cdn-cache-control" not in rules["/*"]
    assert rules["/static/*"] == ["cdn-cache-control"]
    assert all(rules[f"/{info.code}/*"] == ["cdn-cache-control"] for info in PUBLISHED)
    assert len(rules) == 2 + len(PUBLISHED)
