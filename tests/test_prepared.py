"""Choosing the encoding of a prepared body from Accept-Encoding, whatever the header says."""

from __future__ import annotations

import pytest

from webapp.prepared import choose_encoding

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
