"""Turning a locale and a page type into HTML: the Jinja2 environment and each page's context."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from webapp import facts
from webapp.catalogs import Catalog
from webapp.i18n import Translator
from webapp.locales import PUBLISHED, SOURCE, LocaleInfo
from webapp.pages import ASSESSMENT, BY_NAME, HELPLINES, ORGANISATIONS, REVIEW_STATES, STANDARD, Data, Page
from webapp.settings import Settings

DIGG_URL = "https://www.digg.se/tdosanmalan"


def date_text(day: datetime.date, info: LocaleInfo) -> str:
    """A date as the locale's own texts write it: its pattern, its ordinal ending after the day
    and its own month names where the table gives them (as quoted literals, so CLDR's are never
    used)."""
    pattern = info.date_format
    if info.day_suffixes:
        suffix = [ending for first, ending in info.day_suffixes if first <= day.day][-1]
        pattern = re.sub(r"\bd\b", f"d{_literal(suffix)}", pattern, count=1)
    if info.months:
        pattern = pattern.replace("MMMM", _literal(info.months[day.month - 1]))
    return format_date(day, pattern, locale=info.formatting)


def _literal(text: str) -> str:
    """Text inside a CLDR date pattern, quoted so none of its letters is read as a field."""
    return "'" + text.replace("'", "''") + "'"


def time_tag(day: datetime.date, info: LocaleInfo) -> Markup:
    return Markup('<time datetime="%s">%s</time>') % (day.isoformat(), date_text(day, info))


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
class Translations:
    """Every translated locale's catalog, read once: the one place a process holds them."""

    catalogs: Mapping[str, Catalog]

    def catalog(self, info: LocaleInfo) -> Catalog | None:
        return self.catalogs.get(info.code)

    def review_states(self, shown_in: LocaleInfo) -> dict[str, ReviewState]:
        """Each translation's state from its review record, the share formatted for ``shown_in``."""
        return {code: review_state(catalog, shown_in) for code, catalog in self.catalogs.items()}

    def unreviewed(self, info: LocaleInfo, msgids: Iterable[str]) -> bool:
        """Whether any of these messages shows text no reviewer approved in this locale."""
        if info.code == SOURCE:
            return False
        catalog = self.catalog(info)
        return catalog is None or not all(catalog.is_reviewed(msgid) for msgid in msgids)

    def translator(self, info: LocaleInfo) -> Translator:
        return Translator(info, self.catalog(info))


def page_data() -> dict[Data, dict[str, Any]]:
    """What each kind of data in the page registry puts in a template's context."""
    page_facts = facts.page_facts()
    return {
        HELPLINES: {"helplines": facts.helplines()},
        ORGANISATIONS: {"organisations": page_facts.groups, "updated": page_facts.updated},
        ASSESSMENT: {"assessment": facts.assessment()},
    }


class Renderer:
    """Pages from the templates, in the words of ``translations``; ``asset`` gives a static file's
    hashed path."""

    def __init__(self, settings: Settings, translations: Translations, asset: Callable[[str], str]) -> None:
        self.settings = settings
        self.translations = translations
        self.asset = asset
        self.env = Environment(
            loader=FileSystemLoader(settings.templates_dir),
            autoescape=True,
            undefined=StrictUndefined,
            auto_reload=False,
        )
        self.data = page_data()
        self.common = self._common_context()

    def _common_context(self) -> dict[str, Any]:
        settings = self.settings
        return {
            "contact": {"email": settings.contact_email, "phone": settings.contact_phone, "url": settings.contact_url},
            "digg_url": DIGG_URL,
            "exit_urls": settings.exit_urls,
            "language_groups": {
                group: [info for info in PUBLISHED if info.group == group] for group in ("source", "minority", "other")
            },
            "asset": self.asset,
            "link": link,
        }

    def render(self, info: LocaleInfo, page: Page) -> str:
        """A page; with the draft notice when any message it shows is not reviewed. The notice's
        own messages do not count: it is there already whenever they are shown."""
        translator = self.translations.translator(info)
        html = self.render_with(info, page, translator, draft=False)
        if self.translations.unreviewed(info, translator.seen):
            html = self.render_with(info, page, translator, draft=True)
        return html

    def render_with(self, info: LocaleInfo, page: Page, translator: Translator, draft: bool) -> str:
        template = self.env.get_template(f"pages/{page.name}.html")
        return template.render(self._context(info, page, translator, draft))

    def _context(self, info: LocaleInfo, page: Page, translator: Translator, draft: bool) -> dict[str, Any]:
        base = self.settings.base_url
        data = {name: value for kind in page.data for name, value in self._data(kind, info).items()}
        return {
            **self.common,
            **data,
            "locale": info,
            "page": page,
            "draft": draft,
            # The Swedish original of this page; of the main page, for a page without a URL.
            "original": (page if page.indexable else STANDARD).path(SOURCE),
            "canonical": base + page.path(info.code) if page.indexable else None,
            "alternates": self._alternates(page) if page.indexable else [],
            "url": lambda target, code=None: BY_NAME[target].path(code or info.code),
            "_": translator.gettext,
            "_attr": translator.text,
            "ngettext": translator.ngettext,
            "time_tag": lambda day: time_tag(day, info),
        }

    def _data(self, kind: Data, info: LocaleInfo) -> dict[str, Any]:
        if kind == REVIEW_STATES:
            return {"review_states": self.translations.review_states(info)}
        return self.data[kind]

    def _alternates(self, page: Page) -> list[tuple[str, str]]:
        base = self.settings.base_url
        links = [(other.tag, base + page.path(other.code)) for other in PUBLISHED]
        return [*links, ("x-default", base + "/")]
