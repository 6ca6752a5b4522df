"""Cache headers: browsers keep nothing, while a real nginx proxy cache in front of a real uvicorn
keeps pages and assets (and never a 404), and passes no nginx-only header on to the browser."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.parallel import one_worker
from tests.tools import find, free_port, start_server
from webapp.caching import ASSET, PAGE, REDIRECT
from webapp.publishing.export import nginx_main

pytestmark = one_worker("caching")


def test_browsers_are_always_told_no_store() -> None:
    for shared in (PAGE, ASSET, REDIRECT):
        assert shared.headers()["cache-control"] == "no-store"
    assert ASSET.cdn_cache_control == "public, max-age=31536000, immutable"
    assert PAGE.cdn_cache_control == "public, max-age=300"
    assert next(iter(PAGE.headers())) == "x-accel-expires"  # nginx must meet it before no-store


def proxy_conf(prefix: Path, port: int, upstream: int) -> str:
    return nginx_main(
        prefix,
        f"proxy_cache_path {prefix}/cache keys_zone=trygg:1m;\n"
        f"server {{ listen 127.0.0.1:{port}; access_log off;\n"
        f"  location / {{ proxy_pass http://127.0.0.1:{upstream}; proxy_cache trygg;\n"
        f"    add_header X-Cache-Status $upstream_cache_status always; }}\n}}",
        64,
    )


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Debian's nginx with proxy_cache on, in front of `python -m webapp serve`."""
    binary = find("nginx", "/usr/sbin")
    app_port, port = free_port(), free_port()
    app = start_server(app_port)
    prefix = tmp_path_factory.mktemp("proxy")
    (prefix / "nginx.conf").write_text(proxy_conf(prefix, port, app_port))
    nginx = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and nginx.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield url
    for process in (nginx, app):
        process.terminate()
        process.wait(timeout=10)


def get(url: str) -> dict[str, str]:
    request = urllib.request.Request(url, headers={"accept-encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return {k.lower(): v for k, v in error.headers.items()}


def test_nginx_caches_pages_and_assets_browsers_get_no_store(proxy: str) -> None:
    html = urllib.request.urlopen(f"{proxy}/sv/", timeout=5).read().decode()
    asset = html.split('<link rel="stylesheet" href="')[1].split('"')[0]
    for path in ("/sv/", "/ar/plain", asset):
        first, second = get(proxy + path), get(proxy + path)
        assert second["x-cache-status"] == "HIT", (path, first, second)
        assert second["cache-control"] == "no-store"
        assert "x-accel-expires" not in second  # nginx keeps it to itself
        assert second["cdn-cache-control"].startswith("public, max-age=")
        assert second["content-encoding"] == "gzip" and second["etag"]


def test_nginx_never_caches_a_not_found_page(proxy: str) -> None:
    statuses = [get(f"{proxy}/sv/nope")["x-cache-status"] for _ in range(3)]
    assert "HIT" not in statuses, statuses
