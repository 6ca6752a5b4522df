"""Turning a page type and a locale into HTML: the Jinja2 environment and each page's context."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from webapp import content
from webapp.catalogs import Catalog
from webapp.i18n import Translator
from webapp.locales import PUBLISHED, SOURCE, LocaleInfo
from webapp.settings import Settings

PAGES = ("standard", "plain", "safety", "accessibility", "languages")
NOT_FOUND = "not_found"
DIGG_URL = "https://www.digg.se/tdosanmalan"


def page_path(page: str, code: str) -> str:
    """The URL path of a page type in a locale: /sv/, /sv/plain, ..."""
    return f"/{code}/" if page == "standard" else f"/{code}/{page}"


def time_tag(day: datetime.date, info: LocaleInfo) -> Markup:
    shown = format_date(day, info.date_format, locale=info.formatting)
    return Markup('<time datetime="%s">%s</time>') % (day.isoformat(), shown)


def link(href: str, text: str, isolate: bool = False) -> Markup:
    inner = Markup('<bdi dir="ltr">%s</bdi>') % text if isolate else escape(text)
    return Markup('<a href="%s">%s</a>') % (href, inner)


@dataclass(frozen=True)
class ReviewState:
    """How far a translation has been reviewed, as the language page says it."""

    kind: Literal["reviewed", "partial", "draft"]
    share: str = ""


def review_state(catalog: Catalog, shown_in: LocaleInfo) -> ReviewState:
    if not catalog.draft:
        return ReviewState("reviewed")
    if not catalog.reviewed:
        return ReviewState("draft")
    # Rounded down, so a partly reviewed translation never reads as 100 %.
    share = math.floor(catalog.reviewed_share * 100) / 100
    return ReviewState("partial", format_percent(share, locale=shown_in.formatting))


@dataclass(frozen=True)
class Site:
    """What every page of every locale shares: settings, catalogs, data, asset names."""

    settings: Settings
    catalogs: Mapping[str, Catalog]
    asset: Callable[[str], str]

    def drafts(self) -> frozenset[str]:
        return frozenset(code for code, catalog in self.catalogs.items() if catalog.draft)

    def review_states(self, shown_in: LocaleInfo) -> dict[str, ReviewState]:
        """Each translation's state from its review record, the share formatted for ``shown_in``."""
        return {code: review_state(catalog, shown_in) for code, catalog in self.catalogs.items()}

    def unreviewed(self, info: LocaleInfo, msgids: Iterable[str]) -> bool:
        """Whether any of these messages shows text no reviewer approved in this locale."""
        if info.code == SOURCE:
            return False
        catalog = self.catalogs.get(info.code)
        return catalog is None or not all(catalog.is_reviewed(msgid) for msgid in msgids)

    def translator(self, info: LocaleInfo) -> Translator:
        return Translator(info, self.catalogs.get(info.code))


class Renderer:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = Environment(
            loader=FileSystemLoader(site.settings.templates_dir),
            autoescape=True,
            undefined=StrictUndefined,
            auto_reload=False,
        )
        self.shared = self._shared_context()

    def _shared_context(self) -> dict[str, Any]:
        facts = content.page_facts()
        return {
            "helplines": content.helplines(),
            "organisations": facts.groups,
            "updated": facts.updated,
            "assessment": content.assessment(),
            "contact": {
                "email": self.site.settings.contact_email,
                "phone": self.site.settings.contact_phone,
                "url": self.site.settings.contact_url,
            },
            "digg_url": DIGG_URL,
            "exit_urls": self.site.settings.exit_urls,
            "drafts": self.site.drafts(),
            "language_groups": {
                group: [info for info in PUBLISHED if info.group == group]
                for group in ("source", "minority", "other")
            },
            "asset": self.site.asset,
            "link": link,
        }

    def render(self, page: str, info: LocaleInfo) -> str:
        """A page; with the draft notice when any message it shows is not reviewed. The notice's
        own messages do not count: it is there already whenever they are shown."""
        translator = self.site.translator(info)
        html = self.render_with(page, info, translator, draft=False)
        if self.site.unreviewed(info, translator.seen):
            html = self.render_with(page, info, translator, draft=True)
        return html

    def render_with(self, page: str, info: LocaleInfo, translator: Translator, draft: bool) -> str:
        template = self.env.get_template(f"pages/{page}.html")
        return template.render(self._context(page, info, translator, draft))

    def _context(self, page: str, info: LocaleInfo, translator: Translator, draft: bool) -> dict[str, Any]:
        base = self.site.settings.base_url
        found = page != NOT_FOUND
        return {
            **self.shared,
            "locale": info,
            "page": page,
            "draft": draft,
            "review_states": self.site.review_states(info),
            "canonical": base + page_path(page, info.code) if found else None,
            "alternates": self._alternates(page) if found else [],
            "url": lambda target, code=None: page_path(target, code or info.code),
            "_": translator.gettext,
            "_attr": translator.text,
            "ngettext": translator.ngettext,
            "time_tag": lambda day: time_tag(day, info),
        }

    def _alternates(self, page: str) -> list[tuple[str, str]]:
        base = self.site.settings.base_url
        links = [(other.tag, base + page_path(page, other.code)) for other in PUBLISHED]
        return [*links, ("x-default", base + "/")]
