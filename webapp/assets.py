"""Static assets under content-hashed names, held in memory.

A hashed name changes whenever the file does, so assets can be cached for a year as immutable.
Only the files listed here exist: there is no directory to list and no path to escape from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/static/"
TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    name: str
    path: str
    body: bytes
    media_type: str


def _hashed(path: Path, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()[:12]
    return f"{path.stem}.{digest}{path.suffix}"


def load_assets(folder: Path = STATIC) -> dict[str, Asset]:
    """Every asset by its plain name (site.css)."""
    assets = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in TYPES:
            body = path.read_bytes()
            assets[path.name] = Asset(path.name, PREFIX + _hashed(path, body), body, TYPES[path.suffix])
    return assets
