"""Everything the site serves, loaded once per process: catalogs, assets and prepared pages."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from webapp.assets import load_assets
from webapp.caching import ASSET, PAGE
from webapp.catalogs import catalog_path, load
from webapp.i18n import Translator
from webapp.locales import PUBLISHED, SOURCE, LocaleInfo
from webapp.pages import Page
from webapp.prepared import Prepared
from webapp.rendering import Renderer, Translations
from webapp.security import hosts_problem
from webapp.settings import Settings

log = logging.getLogger(__name__)

PAGE_TYPE = "text/html; charset=utf-8"


class SetupError(RuntimeError):
    """The process cannot serve the site as installed: it must not start."""


def setup_problem(settings: Settings) -> str | None:
    """One line saying why the site cannot be served with these settings and folders, or None."""
    hosts = hosts_problem(settings.allowed_hosts)
    if hosts is not None:
        return hosts
    if not (settings.templates_dir / "pages" / "standard.html").is_file():
        return f"no templates in {settings.templates_dir}: reinstall the package or fix the checkout"
    if not any(catalog_path(settings.locales_dir, info.code).is_file() for info in PUBLISHED if info.code != SOURCE):
        return f"no catalogs in {settings.locales_dir}: check TRYGG_LOCALES_DIR"
    return None


def load_translations(settings: Settings) -> Translations:
    """Every translated locale's catalog; each problem is logged once, here, with file:line."""
    catalogs = {}
    for info in PUBLISHED:
        if info.code == SOURCE:
            continue
        catalog = load(catalog_path(settings.locales_dir, info.code), info, settings.templates_dir)
        for problem in catalog.problems:
            log.warning("%s (the Swedish source is shown instead)", problem)
        catalogs[info.code] = catalog
    return Translations(catalogs)


@dataclass
class Site:
    """What one process serves: its translations, its assets, and each page, rendered once."""

    settings: Settings
    translations: Translations
    renderer: Renderer
    pages: dict[tuple[str, str], Prepared] = field(default_factory=dict)
    static: dict[str, Prepared] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings) -> Site:
        problem = setup_problem(settings)
        if problem is not None:
            raise SetupError(problem)
        translations = load_translations(settings)
        assets = load_assets()
        renderer = Renderer(settings, translations, lambda name: assets[name].path)
        static = {
            asset.path.rsplit("/", 1)[1]: Prepared.build(asset.body, asset.media_type, ASSET)
            for asset in assets.values()
        }
        return cls(settings, translations, renderer, static=static)

    def page(self, info: LocaleInfo, page: Page) -> Prepared:
        """A page, rendered and compressed the first time it is asked for."""
        key = (info.code, page.name)
        prepared = self.pages.get(key)
        if prepared is None:
            html = self.renderer.render(info, page).encode("utf-8")
            prepared = self.pages[key] = Prepared.build(html, PAGE_TYPE, PAGE)
        return prepared

    def asset(self, hashed_name: str) -> Prepared | None:
        return self.static.get(hashed_name)

    def translator(self, info: LocaleInfo) -> Translator:
        return self.translations.translator(info)
