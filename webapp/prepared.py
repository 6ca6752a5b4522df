"""Bodies prepared once and served as bytes: compressed in advance, with a strong ETag.

A page is rendered and compressed (gzip and brotli) the first time it is asked for, then kept for
the life of the process; Accept-Encoding picks the body and If-None-Match gets a 304. This is what
lets a page cost about what a bare Starlette endpoint returning bytes costs.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from dataclasses import dataclass, field

import brotli
from starlette.responses import Response
from starlette.types import Scope

from webapp.caching import BROWSER, RawHeaders, SharedCache

ENCODINGS = ("br", "gzip")
MAX_HEADER_CHARS = 500
_CODING = re.compile(r"^\s*([A-Za-z0-9*-]+)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


@dataclass(frozen=True)
class Prepared:
    """One body in every encoding worth having, with its response headers built in advance."""

    bodies: dict[str, bytes]
    etag: str
    media_type: str
    cache: RawHeaders
    raw: dict[str, RawHeaders] = field(default_factory=dict)
    etags: dict[str, str] = field(default_factory=dict)
    encodings: tuple[str, ...] = ()

    @classmethod
    def build(cls, body: bytes, media_type: str, shared: SharedCache | None = None) -> Prepared:
        """``shared``: how long a CDN or proxy may keep it (browsers never do); None: nobody."""
        bodies = {"identity": body}
        if len(body) > 256:
            bodies["gzip"], bodies["br"] = _compressed(body)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        cache = shared.raw() if shared else [(b"cache-control", BROWSER.encode())]
        prepared = cls(bodies, etag, media_type, cache, encodings=tuple(bodies))
        for encoding, encoded in bodies.items():
            # A strong validator names one representation: each encoding gets its own.
            prepared.etags[encoding] = etag if encoding == "identity" else f'{etag[:-1]}-{encoding}"'
            prepared.raw[encoding] = prepared._headers(encoding, encoded)
        return prepared

    def _headers(self, encoding: str, body: bytes) -> RawHeaders:
        headers = [
            (b"content-type", self.media_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"etag", self.etags[encoding].encode()),
            *self.cache,
            (b"vary", b"Accept-Encoding"),
        ]
        if encoding != "identity":
            headers.append((b"content-encoding", encoding.encode()))
        return headers

    def not_modified(self, encoding: str) -> RawHeaders:
        kept = (b"etag", b"vary", *(name for name, _ in self.cache))
        return [(name, value) for name, value in self.raw[encoding] if name in kept]


@functools.lru_cache(maxsize=512)
def _compressed(body: bytes) -> tuple[bytes, bytes]:
    """A body in gzip and in brotli, each near its smallest. Brotli at quality 10, not 11: over
    every page and asset 1 % larger (about 30 bytes a page) at 40 % of the CPU (6 ms a page, not
    16). Kept by content, so a process that builds several apps (the test suite builds dozens)
    compresses each body once; 512 bodies are a few sites' pages and assets."""
    return gzip.compress(body, 9, mtime=0), brotli.compress(body, quality=10)


class PreparedResponse(Response):
    """A Starlette response that sends a prepared body and its prepared headers as they are;
    ``overrides`` replaces headers by name (a 404 page is not cached, for one)."""

    def __init__(
        self, prepared: Prepared, scope: Scope, status: int = 200, overrides: dict[bytes, bytes] | None = None
    ) -> None:
        accept_encoding, if_none_match = request_headers(scope)
        encoding = choose_encoding(accept_encoding, prepared.encodings)
        self.background = None
        if status == 200 and etag_matches(if_none_match, prepared.etags[encoding]):
            self.status_code, self.body, headers = 304, b"", prepared.not_modified(encoding)
        else:
            self.status_code, self.body, headers = status, prepared.bodies[encoding], prepared.raw[encoding]
        if overrides:
            headers = [(name, overrides.get(name, value)) for name, value in headers]
        self.raw_headers = list(headers)


def request_headers(scope: Scope) -> tuple[str | None, str | None]:
    """Accept-Encoding and If-None-Match, read straight from the ASGI scope."""
    accept_encoding = if_none_match = None
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            accept_encoding = value[:MAX_HEADER_CHARS].decode("latin-1")
        elif name == b"if-none-match":
            if_none_match = value[:2000].decode("latin-1")
    return accept_encoding, if_none_match


@functools.lru_cache(maxsize=512)
def choose_encoding(accept_encoding: str | None, available: tuple[str, ...]) -> str:
    """The smallest body the client accepts (q=0 honoured); identity when it says nothing.
    A long header is cut, never parsed whole; the answers for recent headers are remembered."""
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
