"""Bad input never breaks a page: some 1,500 generated requests, and raw bytes to a real uvicorn.

Each property asserts: no status ≥ 500, no traceback in any body or log line, and a bounded time
per request (a guard against pathological input, far above the normal cost; not a benchmark).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.helpers import app_client
from tests.parallel import one_worker
from tests.tools import free_port, start_server
from webapp.locales import PUBLISHED
from webapp.pages import PAGES

pytestmark = one_worker("hardening")
# Examples per property; raise it for a deeper search (TRYGG_FUZZ_EXAMPLES=5000 make test-fast).
EXAMPLES = int(os.environ.get("TRYGG_FUZZ_EXAMPLES", "300"))
NO_LINE_BREAKS = str.maketrans("", "", "\r\n\0")
SLOW = 2.0  # seconds; a normal request takes about a millisecond here
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"), max_size=3000)
CODES = [info.code for info in PUBLISHED] + ["xx", "", "SV", "Ar", "sv-SE", "..", "%2e%2e"]
NAMES = [
    *(page.segment for page in PAGES),
    "standard",
    "Plain",
    "SAFETY",
    "nope",
    "..",
    "%2F",
    "static",
    "index.html",
    "languages/",
    "x" * 300,
]


@pytest.fixture(scope="module")
def fuzz_client() -> Iterator[TestClient]:
    with app_client() as client:
        yield client


def check(client: TestClient, method: str, path: str, headers: dict[str, str] | None = None) -> None:
    # Sent as raw bytes (UTF-8 for anything past Latin-1); only CR, LF and NUL, which no HTTP
    # client can put in a header, are left out.
    raw_headers = {
        name.encode("utf-8"): value.translate(NO_LINE_BREAKS).encode("utf-8") for name, value in (headers or {}).items()
    }
    start = time.perf_counter()
    response = client.request(method, "http://testserver" + path, headers=raw_headers)
    elapsed = time.perf_counter() - start
    assert response.status_code < 500, (method, path, headers, response.status_code)
    assert b"Traceback" not in response.content
    assert "set-cookie" not in response.headers
    assert "content-security-policy" in response.headers
    assert elapsed < SLOW, (path, elapsed)


@pytest.fixture(autouse=True)
def no_tracebacks_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    with caplog.at_level(logging.WARNING):
        yield
    for record in caplog.records:
        assert record.exc_info is None and "Traceback" not in record.getMessage(), record.getMessage()


@pytest.mark.unmeasured
@FUZZ
@given(header=HEADER_TEXT)
def test_any_accept_language(fuzz_client: TestClient, header: str) -> None:
    for path in ("/", "/languages", "/nope"):
        check(fuzz_client, "GET", path, {"accept-language": header})


# Each example is a header of up to 3,000 entries, and generating one costs as much as a hundred
# small ones: a sixth of the examples still sends tens of thousands of entries.
@pytest.mark.unmeasured
@settings(FUZZ, max_examples=max(1, EXAMPLES // 6))
@given(
    tags=st.lists(st.from_regex(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,3}", fullmatch=True), max_size=3000),
    qualities=st.lists(
        st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), st.text(max_size=6)), max_size=50
    ),
)
def test_thousands_of_language_entries_and_odd_qualities(
    fuzz_client: TestClient, tags: list[str], qualities: list[str]
) -> None:
    entries = [f"{tag};q={qualities[i % len(qualities)]}" if qualities else tag for i, tag in enumerate(tags)]
    check(fuzz_client, "GET", "/", {"accept-language": ",".join(entries)})


@pytest.mark.unmeasured
@FUZZ
@given(
    segments=st.lists(st.one_of(st.sampled_from(CODES + NAMES), st.text(max_size=40)), max_size=6),
    trailing=st.booleans(),
    query=st.text(max_size=200),
)
def test_any_path_and_query(fuzz_client: TestClient, segments: list[str], trailing: bool, query: str) -> None:
    from urllib.parse import quote

    path = "/" + "/".join(quote(s, safe="%.") for s in segments) + ("/" if trailing else "")
    check(fuzz_client, "GET", path + ("?" + quote(query, safe="=&") if query else ""))
    check(fuzz_client, "HEAD", path)


@pytest.mark.unmeasured
@FUZZ
@given(
    code=st.sampled_from(CODES),
    name=st.sampled_from(NAMES),
    upper=st.booleans(),
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO"]),
)
def test_every_locale_page_case_and_method(
    fuzz_client: TestClient, code: str, name: str, upper: bool, method: str
) -> None:
    path = f"/{code}/{name}"
    check(fuzz_client, method, path.upper() if upper else path)


@pytest.mark.unmeasured
@FUZZ
@given(range_=HEADER_TEXT, etag=HEADER_TEXT, encoding=HEADER_TEXT)
def test_range_etag_and_encoding_headers(fuzz_client: TestClient, range_: str, etag: str, encoding: str) -> None:
    headers = {"range": range_, "if-none-match": etag, "accept-encoding": encoding}
    for path in ("/sv/", "/ar/plain", "/nope"):
        check(fuzz_client, "GET", path, headers)


# Raw bytes to a real uvicorn: what a test client cannot even send.

RAW_REQUESTS = [
    b"GET /\xff\xfe/plain HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /sv/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /static/..%2f..%2fpyproject.toml HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /static/%2e%2e/%2e%2e/pyproject.toml HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nAccept-Language: \xff\xfe\x80sv;q=\xff\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nAccept-Language: " + b"en;q=0.5," * 6000 + b"\r\n\r\n",
    b"GET /sv/ HTTP/1.1\r\nHost: x\r\nAccept-Encoding: " + b"gzip;q=0.1, " * 5000 + b"\r\n\r\n",
    b"GET /sv/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + b'"a",' * 10000 + b"\r\n\r\n",
    b"GET /sv/ HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1,-5,99999999999999999999-\r\n\r\n",
    b"GET /" + b"a/" * 4000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"BREW /sv/ HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /sv/?%00%ff=\xff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /sv/ HTTP/1.0\r\n\r\n",
    b"garbage\r\n\r\n",
]


@pytest.fixture(scope="module")
def uvicorn_server() -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    process = start_server(port, output=subprocess.PIPE)
    yield port, process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def raw(port: int, request: bytes, read_all: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if not read_all and b"\r\n\r\n" in b"".join(chunks):
                break
        return b"".join(chunks)


@pytest.mark.parametrize("request_bytes", RAW_REQUESTS, ids=range(len(RAW_REQUESTS)))
def test_raw_bytes_never_give_a_server_error(
    uvicorn_server: tuple[int, subprocess.Popen[bytes]], request_bytes: bytes
) -> None:
    port, process = uvicorn_server
    answer = raw(port, request_bytes)
    if answer:
        status = int(answer.split(b" ", 2)[1])
        assert status < 500, answer[:200]
        assert b"Traceback" not in answer
    assert process.poll() is None  # the server is still up
    assert b"HTTP/1.1 200" in raw(port, b"GET /sv/ HTTP/1.1\r\nHost: x\r\n\r\n")


def test_server_log_has_no_traceback_and_no_address(uvicorn_server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, process = uvicorn_server
    raw(port, b"GET /sv/ HTTP/1.1\r\nHost: x\r\n\r\n")
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=15)[0].decode("utf-8", "replace")
    assert "Traceback" not in output
    assert "127.0.0.1:" not in output.replace(f"127.0.0.1:{port}", "")  # no client address logged


def test_in_flight_requests_finish_on_sigterm() -> None:
    """Many pipelined requests are still being answered when SIGTERM arrives: every answer that
    was started is sent whole, and the server exits cleanly."""
    port = free_port()
    process = start_server(port, output=subprocess.PIPE)
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        # About 17 MB of answers, far more than the socket buffers hold.
        sock.sendall(b"GET /sv/ HTTP/1.1\r\nHost: x\r\n\r\n" * 2000)
        time.sleep(0.3)  # the server is now blocked writing to a client that does not read
        process.send_signal(signal.SIGTERM)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        sock.close()
        # uvicorn shuts down gracefully, then re-raises the signal, as a process ended by SIGTERM should.
        assert process.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
    log = process.stdout.read() if process.stdout else b""
    assert b"Shutting down" in log and b"Finished server process" in log, log
    responses = data.split(b"HTTP/1.1 200 OK\r\n")[1:]
    assert len(responses) == 2000, len(responses)
    for response in responses:
        head, _, body = response.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        assert len(body) == length  # every started answer arrived whole
