"""Configuration, read once from the environment (TRYGG_*); every value has a safe default."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("webapp.settings")
PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def _bundled(packaged: str, checkout: str) -> Path:
    """A folder of the site: inside the package when installed from a wheel, else at the top of
    the repository (a checkout, or an editable install)."""
    inside = PACKAGE / packaged
    return inside if inside.is_dir() else ROOT / checkout


DEFAULT_EXIT_URLS = (
    "https://www.smhi.se/vader",
    "https://www.yr.no/sv",
)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.replace(",", " ").split() if part)


def _web_urls(value: str) -> tuple[str, ...]:
    """Exit destinations: only http(s) URLs; anything else (a javascript: URL, a typo) is
    dropped with a warning, so the button can never be turned into something else."""
    urls = _split(value)
    kept = tuple(url for url in urls if re.fullmatch(r"https?://[^\s\"'<>]+", url))
    for url in set(urls) - set(kept):
        log.warning("TRYGG_EXIT_URLS: %r is not an http(s) URL; left out", url)
    return kept


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """What an operator may change; see the README's "Configuration" section."""

    base_url: str = "http://127.0.0.1:8000"
    exit_urls: tuple[str, ...] = DEFAULT_EXIT_URLS
    allowed_hosts: tuple[str, ...] = ("*",)
    hsts: bool = False
    access_log: bool = False
    contact_email: str = ""
    contact_phone: str = ""
    contact_url: str = "https://www.vanersborg.se/"
    reach_db: Path | None = None
    locales_dir: Path = field(default_factory=lambda: _bundled("translations", "locales"))
    templates_dir: Path = field(default_factory=lambda: _bundled("templates", "templates"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        default = cls()
        return cls(
            base_url=env.get("TRYGG_BASE_URL", default.base_url).rstrip("/"),
            exit_urls=_web_urls(env.get("TRYGG_EXIT_URLS", "")) or default.exit_urls,
            allowed_hosts=_split(env.get("TRYGG_ALLOWED_HOSTS", "")) or default.allowed_hosts,
            hsts=_flag(env.get("TRYGG_HSTS", "")),
            access_log=_flag(env.get("TRYGG_ACCESS_LOG", "")),
            contact_email=env.get("TRYGG_CONTACT_EMAIL", default.contact_email),
            contact_phone=env.get("TRYGG_CONTACT_PHONE", default.contact_phone),
            contact_url=env.get("TRYGG_CONTACT_URL", default.contact_url),
            reach_db=Path(env["TRYGG_REACH_DB"]) if env.get("TRYGG_REACH_DB") else None,
            locales_dir=Path(env.get("TRYGG_LOCALES_DIR", str(default.locales_dir))),
        )
