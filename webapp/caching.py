"""Cache headers: the browser keeps nothing, a CDN or reverse proxy keeps what helps.

A page or asset the browser keeps in its cache is a trace of the visit that someone with the
device can find. So every answer tells browsers ``Cache-Control: no-store``, and shared caches get
their own, targeted headers, which browsers ignore: ``CDN-Cache-Control`` (RFC 9213) for CDNs,
and ``X-Accel-Expires`` for nginx's proxy cache (which honours it over Cache-Control and does not
pass it on to clients).
"""

from __future__ import annotations

from dataclasses import dataclass

BROWSER = "no-store"
RawHeaders = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class SharedCache:
    """How long a shared cache may keep an answer; browsers are always told no-store."""

    seconds: int
    immutable: bool = False

    @property
    def cdn_cache_control(self) -> str:
        return f"public, max-age={self.seconds}" + (", immutable" if self.immutable else "")

    def headers(self) -> dict[str, str]:
        """In this order: nginx reads X-Accel-Expires before it meets Cache-Control."""
        return {
            "x-accel-expires": str(self.seconds),
            "cdn-cache-control": self.cdn_cache_control,
            "cache-control": BROWSER,
        }

    def raw(self) -> RawHeaders:
        return [(name.encode(), value.encode()) for name, value in self.headers().items()]


PAGE = SharedCache(300)
ASSET = SharedCache(31_536_000, immutable=True)  # hashed names: a changed file is a new name
REDIRECT = SharedCache(3600)
# What nobody keeps, a 404 among them: not the browser, not a CDN, not nginx's proxy cache.
NOT_KEPT = {"x-accel-expires": "0", "cdn-cache-control": BROWSER, "cache-control": BROWSER}
