"""Bodies prepared once and served as bytes: compressed in advance, with a strong ETag.

A page is rendered and compressed (gzip and brotli) the first time it is asked for, then kept for
the life of the process; Accept-Encoding picks the body and If-None-Match gets a 304. This is what
lets a page cost about what a bare Starlette endpoint returning bytes costs.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass

import brotli

ENCODINGS = ("br", "gzip")
MAX_HEADER_CHARS = 500
_CODING = re.compile(r"^\s*([A-Za-z0-9*-]+)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


@dataclass(frozen=True)
class Prepared:
    """One body in every encoding worth having, and the headers that describe it."""

    bodies: dict[str, bytes]
    etag: str
    media_type: str
    cache_control: str

    @classmethod
    def build(cls, body: bytes, media_type: str, cache_control: str) -> Prepared:
        bodies = {"identity": body}
        if len(body) > 256:
            bodies["gzip"] = gzip.compress(body, 9, mtime=0)
            bodies["br"] = brotli.compress(body, quality=11)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return cls(bodies, etag, media_type, cache_control)

    def headers(self, encoding: str) -> dict[str, str]:
        headers = {
            "content-type": self.media_type,
            "etag": self.etag,
            "cache-control": self.cache_control,
            "vary": "Accept-Encoding",
        }
        if encoding != "identity":
            headers["content-encoding"] = encoding
        return headers


def choose_encoding(accept_encoding: str | None, available: dict[str, bytes]) -> str:
    """The smallest body the client accepts (q=0 honoured); identity when it says nothing.
    A long header is cut, never parsed whole."""
    accepted: dict[str, float] = {}
    for part in (accept_encoding or "")[:MAX_HEADER_CHARS].split(",")[:20]:
        match = _CODING.match(part)
        if match:
            accepted[match.group(1).lower()] = _quality(match.group(2))
    for encoding in ENCODINGS:
        if encoding in available and accepted.get(encoding, accepted.get("*", 0.0)) > 0:
            return encoding
    return "identity"


def _quality(text: str | None) -> float:
    try:
        return float(text) if text else 1.0
    except ValueError:
        return 0.0


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match[:2000].split(",")}
    return etag in tags or "*" in tags
