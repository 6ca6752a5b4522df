"""deploy/nginx-proxy.conf in Debian's nginx with a certificate made here, in front of a real
uvicorn: every page over https as the app sends it plus HSTS, http sent to https, the shared
cache keeping pages and never a 404, and no log that holds a reader's address or user agent."""

from __future__ import annotations

import http.client
import re
import ssl
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.parallel import one_worker
from tests.servers import start, start_server
from tests.tools import ROOT, find, free_port
from webapp.locales import PUBLISHED
from webapp.pages import PAGES
from webapp.publishing.export import nginx_conf, nginx_main
from webapp.security import security_headers
from webapp.settings import Settings

pytestmark = one_worker("proxy")
CONF = ROOT / "deploy" / "nginx-proxy.conf"
SERVER_NAME = "tryggsida.vanersborg.se"
REACH_LINE = "# access_log /var/log/nginx/trygg-reach.log trygg_reach if=$trygg_counted;"
SECURITY = [name.decode() for name, _ in security_headers(Settings())]
HEADERS = [*SECURITY, "cache-control", "cdn-cache-control", "etag", "vary", "content-type"]
PAGE_PATHS = [page.path(info.code) for info in PUBLISHED for page in PAGES]
# A reader's traces that must never reach a file: a user agent and a forwarded address.
AGENT = f"TryggReader/{uuid.uuid4().hex}"
FORWARDED = "203.0.113.197"
ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b", re.IGNORECASE)
FORBIDDEN = ("$remote_addr", "$http_x_forwarded_for", "$http_user_agent", "$http_referer", "$request_uri")


def replaced(text: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert text.count(old) >= 1, f"{old!r} is no longer in {CONF.name}"
        text = text.replace(old, new)
    return text


def with_reach_log(text: str, log: Path) -> str:
    """The configuration with the reach log enabled as its comment says: the access_log line in
    place of the https server's `access_log off;`."""
    https_server = text.index("listen 443 ssl")
    off = text.index("access_log off;", https_server)
    line = REACH_LINE.removeprefix("# ").replace("/var/log/nginx/trygg-reach.log", str(log))
    return text[:off] + line + text[off + len("access_log off;") :]


def logging_problems(text: str) -> list[str]:
    """Every way an nginx configuration could log an address: an access_log with no format or
    with one that is not its own, a format with a client's address, agent, referrer or query."""
    live = re.sub(r"#[^\n]*", "", text)
    formats = dict(re.findall(r"log_format\s+(\w+)\s+((?:'[^']*'\s*)+);", live))
    problems = [f"log_format {name} logs {var}" for name, body in formats.items() for var in FORBIDDEN if var in body]
    for args in re.findall(r"\baccess_log\s+([^;]+);", live):
        words = args.split()
        if words != ["off"] and (len(words) < 2 or words[1] not in formats):
            problems.append(f"access_log {args} logs in a format that is not one of this file's")
    return problems


def test_neither_configuration_can_log_an_address(tmp_path: Path) -> None:
    proxy = CONF.read_text()
    export = nginx_conf(Settings(), tmp_path)
    assert logging_problems(proxy) == logging_problems(export) == []
    assert logging_problems(with_reach_log(proxy, tmp_path / "reach.log")) == []
    assert logging_problems("access_log /var/log/nginx/access.log;") != []  # the check can fail
    assert logging_problems("log_format x '$remote_addr'; access_log /x x;") != []
    assert "access_log off;" in export


@dataclass(frozen=True)
class Proxy:
    https: int
    http: int
    prefix: Path
    context: ssl.SSLContext


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(find("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={SERVER_NAME}"),
            *("-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def standalone(text: str, prefix: Path, https: int, http: int, upstream: int, cert: Path, key: Path) -> str:
    """The configuration as an operator installs it, in a whole nginx.conf under ``prefix`` whose
    http block logs every request in the combined format, as Debian's own nginx.conf does."""
    server = replaced(
        text,
        {
            "listen 80;": f"listen 127.0.0.1:{http};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "/etc/ssl/trygg-sida/fullchain.pem": str(cert),
            "/etc/ssl/trygg-sida/privkey.pem": str(key),
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
            "/var/cache/nginx/trygg-sida": str(prefix / "cache"),
            "/var/log/nginx/": f"{prefix}/",
        },
    )
    return nginx_main(prefix, f"access_log {prefix}/access.log;\n{server}", 64, "main-error.log")


def wait_until_answering(proxy: Proxy, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:
        try:
            request(over_https(proxy), "/healthz")
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx did not answer: {process.communicate(timeout=5)[0].decode()}")


def run_proxy(text: str, prefix: Path) -> Iterator[Proxy]:
    nginx = find("nginx", "/usr/sbin")
    cert, key = certificate(prefix)
    app_port, https, http = free_port(), free_port(), free_port()
    with (prefix / "app.log").open("wb") as output:
        app = start_server(app_port, output=output)
    (prefix / "nginx.conf").write_text(standalone(text, prefix, https, http, app_port, cert, key))
    process = start([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], output=subprocess.PIPE)
    try:
        proxy = Proxy(https, http, prefix, ssl.create_default_context(cafile=cert))
        wait_until_answering(proxy, process)
        yield proxy
    finally:
        for server in (process, app):
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    yield from run_proxy(CONF.read_text(), tmp_path_factory.mktemp("proxy"))


@pytest.fixture(scope="module")
def direct() -> Iterator[int]:
    port = free_port()
    process = start_server(port)
    yield port
    process.terminate()
    process.wait(timeout=10)


def request(
    connection: http.client.HTTPConnection, path: str, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    connection.request(method, path, headers={"User-Agent": AGENT, "X-Forwarded-For": FORWARDED})
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def over_https(proxy: Proxy) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection("127.0.0.1", proxy.https, context=proxy.context, timeout=10)


def test_every_page_over_https_is_the_apps_plus_hsts(proxy: Proxy, direct: int) -> None:
    secure, app = over_https(proxy), http.client.HTTPConnection("127.0.0.1", direct, timeout=10)
    for path in [*PAGE_PATHS, "/sv/nope", "/nope"]:
        status, headers, body = request(secure, path)
        expected_status, expected, expected_body = request(app, path)
        assert (status, body) == (expected_status, expected_body), path
        for name in HEADERS:
            assert headers.get(name) == expected.get(name), (path, name)
        assert headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
        assert "x-accel-expires" not in headers and headers.get("server") == "nginx"
    assert secure.sock.version() in {"TLSv1.2", "TLSv1.3"}
    print(f"\n{len(PAGE_PATHS) + 2} answers over https compared with the app's")


def test_tls_1_2_is_enough_and_the_configuration_asks_no_less() -> None:
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in CONF.read_text()


def test_tls_1_2_answers(proxy: Proxy) -> None:
    context = ssl.create_default_context(cafile=str(proxy.prefix / "cert.pem"))
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    connection = http.client.HTTPSConnection("127.0.0.1", proxy.https, context=context, timeout=10)
    assert request(connection, "/healthz")[0] == 200
    assert connection.sock.version() == "TLSv1.2"


def test_http_redirects_to_https(proxy: Proxy) -> None:
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http, timeout=10)
    for path in ("/", "/sv/plain", "/ar/?q=1"):
        status, headers, _ = request(plain, path)
        assert (status, headers["location"]) == (301, f"https://{SERVER_NAME}{path}")


def test_the_cache_keeps_every_page_and_no_404(proxy: Proxy) -> None:
    secure = over_https(proxy)
    for path in [*PAGE_PATHS, "/sv/nope"]:
        request(secure, path)
    cached = [path for path in (proxy.prefix / "cache").rglob("*") if path.is_file()]
    assert len(cached) == len(PAGE_PATHS)


def files_under(folder: Path) -> dict[Path, str]:
    return {path: path.read_bytes().decode("latin-1") for path in folder.rglob("*") if path.is_file()}


def test_no_file_holds_an_address_or_a_user_agent(proxy: Proxy) -> None:
    request(over_https(proxy), "/sv/?name=someone")
    request(http.client.HTTPConnection("127.0.0.1", proxy.http, timeout=10), "/sv/")
    written = files_under(proxy.prefix)
    traces = [path.name for path, text in written.items() if AGENT in text or FORWARDED in text]
    assert traces == []
    for log in proxy.prefix.glob("*.log"):
        # The app's log names the address it listens on, no one else's.
        lines = [line for line in written[log].splitlines() if "Uvicorn running on http://127.0.0.1:" not in line]
        assert not ADDRESS.search("\n".join(lines)), log.name
    assert written.get(proxy.prefix / "access.log", "") == ""
    print(f"\n{len(written)} files under nginx's prefix and the app's log: no user agent, no address")


def test_the_reach_log_holds_only_month_status_and_path(tmp_path: Path) -> None:
    log = tmp_path / "trygg-reach.log"
    for running in run_proxy(with_reach_log(CONF.read_text(), log), tmp_path):
        secure = over_https(running)
        asked = [request(secure, path)[0] for path in ("/sv/", "/ar/plain?name=someone", "/sv/nope")]
        request(secure, "/sv/", method="HEAD")
    lines = log.read_text().splitlines()
    print(f"\nreach log: {lines}")
    month = r"\d{4}-\d{2}"
    assert [re.fullmatch(rf"({month}) (\d{{3}}) (\S+)", line).groups()[1:] for line in lines] == [  # type: ignore[union-attr]
        ("200", "/healthz"),  # nginx answering, before the test began
        (str(asked[0]), "/sv/"),
        (str(asked[1]), "/ar/plain"),
        (str(asked[2]), "/sv/nope"),
    ]
    assert not any(AGENT in text or FORWARDED in text for text in files_under(tmp_path).values())
