"""Choosing the encoding of a prepared body from Accept-Encoding, whatever the header says; and the
bodies each encoding gets."""

from __future__ import annotations

import gzip

import brotli
import pytest
from starlette.testclient import TestClient

from webapp.prepared import choose_encoding, etag_matches

AVAILABLE = ("identity", "gzip", "br")


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("br, gzip", "br"),
        ("gzip", "gzip"),
        ("gzip;q=0, br;q=0", "identity"),
        ("*", "br"),
        ("br;q=0, *", "gzip"),
        ("gzip;q=1..2", "identity"),
        ("gzip;q=.5", "gzip"),
        (None, "identity"),
        ("x" * 10_000, "identity"),
    ],
)
def test_choose_encoding(header: str | None, chosen: str) -> None:
    assert choose_encoding(header, AVAILABLE) == chosen


@pytest.mark.parametrize(
    ("header", "matches"),
    [('"abc"', True), ('W/"abc"', True), ('"x", W/"abc"', True), ('W/"abd"', False), ("*", True), ('"ab"', False)],
)
def test_a_weak_etag_in_if_none_match_matches_the_strong_one(header: str, matches: bool) -> None:
    """RFC 9110: If-None-Match compares weakly, so W/"abc" names the same body as "abc"."""
    assert etag_matches(header, '"abc"') is matches


def test_a_weak_etag_gets_304(client: TestClient) -> None:
    etag = client.get("/sv/").headers["etag"]
    assert client.get("/sv/", headers={"if-none-match": f"W/{etag}"}).status_code == 304


@pytest.mark.parametrize("path", ["/sv/", "/ar/plain", "/uk/contacts"])
def test_each_body_is_within_2_percent_of_its_smallest(client: TestClient, path: str) -> None:
    """A reader on a slow connection gets the page near its smallest in gzip and in brotli."""
    plain = client.get(path, headers={"accept-encoding": ""}).content
    for encoding, smallest in (("br", brotli.compress(plain, quality=11)), ("gzip", gzip.compress(plain, 9))):
        sent = client.get(path, headers={"accept-encoding": encoding})
        assert sent.headers["content-encoding"] == encoding
        assert int(sent.headers["content-length"]) <= len(smallest) * 1.02, (encoding, len(smallest))
