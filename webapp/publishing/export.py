"""``python -m webapp export DIR``: the whole site as static files, for any web server or CDN.

Writes every page of every published locale (and each locale's 404 page), the hashed assets,
a .gz and a .br beside every file, ``_headers`` (the response headers in the format static hosts
such as Netlify and Cloudflare Pages read) and ``nginx.conf``, a server block that serves the
export with the same headers, the same redirects, language negotiation at ``/`` and 404 pages.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from webapp.caching import ASSET, BROWSER, NOT_KEPT, PAGE, REDIRECT
from webapp.locales import PUBLISHED, LocaleInfo
from webapp.pages import NOT_FOUND, PAGES
from webapp.prepared import Prepared
from webapp.security import security_headers
from webapp.settings import Settings
from webapp.site import Site

SUFFIX = {"gzip": ".gz", "br": ".br"}


def _write(root: Path, relative: str, prepared: Prepared) -> int:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(prepared.bodies["identity"])
    for encoding, suffix in SUFFIX.items():
        if encoding in prepared.bodies:
            target.with_name(target.name + suffix).write_bytes(prepared.bodies[encoding])
    return 1 + sum(encoding in prepared.bodies for encoding in SUFFIX)


def export(settings: Settings, root: Path) -> int:
    """Write the site under ``root``; returns the number of files written."""
    site = Site.load(settings)
    written = 0
    for info in PUBLISHED:
        for page in (*PAGES, NOT_FOUND):
            written += _write(root, page.export_file(info.code), site.page(info, page))
    for hashed, prepared in site.static.items():
        written += _write(root, f"static/{hashed}", prepared)
    (root / "healthz").write_text("ok")
    (root / "_headers").write_text(headers_file(settings))
    (root / "nginx.conf").write_text(nginx_conf(settings, root))
    return written + 3


def _header_lines(settings: Settings) -> list[str]:
    return [f"{_title(name.decode())}: {value.decode()}" for name, value in security_headers(settings)]


def _title(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def headers_file(settings: Settings) -> str:
    """Browsers keep nothing (/*); the CDN keeps assets and each locale's pages. The rules never
    set the same header twice: hosts that join repeated headers would make them invalid."""
    every = "".join(f"  {line}\n" for line in _header_lines(settings))
    pages = "".join(f"/{info.code}/*\n  CDN-Cache-Control: {PAGE.cdn_cache_control}\n" for info in PUBLISHED)
    return f"/*\n{every}  Cache-Control: {BROWSER}\n/static/*\n  CDN-Cache-Control: {ASSET.cdn_cache_control}\n{pages}"


def _language_pattern(infos: tuple[LocaleInfo, ...]) -> str:
    """Tags longest first, so that fa-AF is seen before fa."""
    tags = {alias for info in infos for alias in info.aliases} | {info.tag.lower() for info in infos}
    return "|".join(sorted(tags, key=lambda tag: (-len(tag), tag)))


def _variants() -> list[tuple[str, str]]:
    """Each page's path as a case-insensitive pattern that also matches it without (or, for a
    page other than the main one, with) a trailing slash, and the path it redirects to."""
    return [(page.path(info.code).rstrip("/") + "/?", page.path(info.code)) for info in PUBLISHED for page in PAGES]


def nginx_conf(settings: Settings, root: Path) -> str:
    """An nginx server block that answers like the app (webapp/publishing/nginx.conf.jinja)."""
    environment = Environment(
        loader=PackageLoader("webapp.publishing", "."),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("nginx.conf.jinja").render(
        security=[(name.decode(), value.decode()) for name, value in security_headers(settings)],
        language_pattern=_language_pattern(PUBLISHED),
        aliases=[(info.tag.lower(), info.code) for info in PUBLISHED]
        + [(alias, info.code) for info in PUBLISHED for alias in info.aliases],
        codes=[info.code for info in PUBLISHED],
        variants=_variants(),
        root=root.resolve(),
        pages=[(page.segment, f"{page.export_name}.html") for page in PAGES],
        negotiated={"cache-control": BROWSER},
        asset=ASSET.headers(),
        page=PAGE.headers(),
        redirect=REDIRECT.headers(),
        not_found=NOT_KEPT,
    )


def standalone_nginx_conf(root: Path, prefix: Path, port: int, connections: int = 1024) -> str:
    """A whole nginx configuration around the export's server block, for running nginx by hand
    in the foreground on ``port`` (``nginx -p PREFIX -c PREFIX/nginx.conf``)."""
    server = (root / "nginx.conf").read_text().replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    return nginx_main(prefix, server, connections)


def nginx_main(prefix: Path, http: str, connections: int = 1024, error_log: str = "error.log") -> str:
    """nginx's main configuration around the ``http`` block's content, run in the foreground: pid,
    logs and temporary files under ``prefix``, nothing in the system's folders."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the export as its owner
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {prefix}/{kind};" for kind in kinds)
    return (
        f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/{error_log};\n"
        f"events {{ worker_connections {connections}; }}\nhttp {{\n{temp}\n{http}\n}}\n"
    )
