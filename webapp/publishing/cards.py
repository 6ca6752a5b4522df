"""``python -m webapp cards -o DIR [CODE ...]``: the helplines on paper, for staff to hand out.

``DIR/<code>.pdf`` is one A6 card in one language: the help box's heading, every helpline with its
number and what it is for, the municipality, and the address of the page in that language as text
and as a QR code. ``DIR/languages.pdf`` is one A4 poster of every language, each by its own name
with one line in it and its address and QR code. The words are the site's own messages, through
the site's Translator: the same Swedish fallback, and the same draft notice, small, when a message
on a card is not reviewed.

WeasyPrint lays the pages out with the system's Pango and fonts (Arabic joining, right-to-left,
Ethiopic) and embeds a subset of each font; segno draws the QR codes as vector SVG. Both come with
the ``print`` extra and are imported only here: serving never needs them. No page of the site links
a card (a downloaded file on a phone is a trace) and the static export leaves them out.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from markupsafe import Markup

from webapp import facts
from webapp.i18n import Translator
from webapp.locales import PUBLISHED, SOURCE, LocaleInfo, published
from webapp.messages import POSTER_LINE
from webapp.settings import Settings
from webapp.site import Site

INSTALL = "pip install 'trygg-sida[print]'"
PANGO = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
POSTER = "languages"
# The font families of the printed pages, in the order the layout tries them, and the Debian
# package of each: Latin and Cyrillic, Arabic script, Hebrew script (Yiddish), Ethiopic (Tigrinya).
FONTS = {
    "Noto Sans": "fonts-noto-core",
    "Noto Sans Arabic": "fonts-noto-core",
    "Noto Sans Hebrew": "fonts-noto-core",
    "Noto Sans Ethiopic": "fonts-noto-core",
}
# Messages the cards share with the site's help box, header and draft notice. Named here rather
# than written as _("...") in the print templates, so that extraction (and with it every catalog's
# references) stays as it is; a test checks that each is still a message of messages.pot.
MESSAGES = {
    "heading": "Få hjälp nu",
    "municipality": "Vänersborgs kommun",
    "draft": "Den här översättningen är ett utkast. Den har inte granskats av en översättare ännu.",
}


class PrintError(Exception):
    """Nothing was written; the message is the one line to show."""


@dataclass(frozen=True)
class Printed:
    """One PDF: where it goes, its bytes and its layout."""

    path: Path
    pdf: bytes
    document: Any

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def targets(codes: Sequence[str]) -> list[LocaleInfo | None]:
    """What ``codes`` ask for: a published locale's card, or None for the poster (its name,
    ``languages``); every card and the poster when none is given. PrintError for anything else."""
    unknown = [code for code in codes if code != POSTER and published(code) is None]
    if unknown:
        known = " ".join(info.code for info in PUBLISHED)
        raise PrintError(f"{', '.join(unknown)}: not a published locale (published: {known}; {POSTER}: the poster)")
    return [published(code) for code in codes] if codes else [*PUBLISHED, None]


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except (ImportError, OSError) as error:
        # OSError: WeasyPrint is installed but cannot load Pango.
        raise PrintError(f"printing needs {name}: {INSTALL} (and the Debian packages {PANGO})") from error


def _has_family(family: str) -> bool:
    """Whether fontconfig, the font lookup WeasyPrint's Pango uses, has this family itself
    (it answers every request with some font, so the family it picked is compared)."""
    ffi_module = _module("weasyprint.text.ffi")
    ffi, fontconfig = ffi_module.ffi, ffi_module.fontconfig
    pattern = fontconfig.FcPatternCreate()
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcConfigSubstitute(ffi.NULL, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    found = fontconfig.FcFontMatch(ffi.NULL, pattern, result)
    fontconfig.FcPatternDestroy(pattern)
    names = _families(ffi, fontconfig, found)
    fontconfig.FcPatternDestroy(found)
    return family.casefold() in names


def _families(ffi: Any, fontconfig: Any, font: Any) -> set[str]:
    names, value, index = set(), ffi.new("FcChar8 **"), 0
    while fontconfig.FcPatternGetString(font, b"family", index, value) == fontconfig.FcResultMatch:
        names.add(ffi.string(value[0]).decode().casefold())
        index += 1
    return names


def check_fonts(fonts: Mapping[str, str]) -> None:
    for family, package in fonts.items():
        if not _has_family(family):
            raise PrintError(f'font "{family}" not found: install the Debian package {package}')


class Printer:
    """Renders cards and the poster from the site's templates, messages and settings."""

    def __init__(self, settings: Settings, fonts: Mapping[str, str]) -> None:
        # WeasyPrint's steps (at import too) at INFO would bury the one line per file the command says.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        self.weasyprint = _module("weasyprint")
        self.segno = _module("segno")
        check_fonts(fonts)
        self.site = Site.load(settings)
        self.base_url = settings.base_url
        self.env = self.site.renderer.env
        self.font_config = _module("weasyprint.text.fonts").FontConfiguration()
        css = (settings.templates_dir / "print" / "print.css").read_text("utf-8")
        families = ", ".join(f'"{family}"' for family in fonts)
        self.stylesheet = self.weasyprint.CSS(string=f"{css}\nhtml {{ font-family: {families}; }}\n")

    def address(self, info: LocaleInfo) -> str:
        return f"{self.base_url}/{info.code}/"

    def qr(self, address: str) -> Markup:
        # Never a Micro QR code, which segno picks for short text and phone cameras do not read.
        return Markup(self.segno.make(address, micro=False).svg_inline(border=4, omitsize=True))

    def document(self, target: LocaleInfo | None) -> Any:
        """A locale's card, or the poster for None (see targets)."""
        return self.poster() if target is None else self.card(target)

    def card(self, info: LocaleInfo) -> Any:
        """The card of one locale; with the draft mark when a message on it is not reviewed. The
        mark's own messages do not count, as on the site."""
        translator = self.site.translator(info.code)
        html = self._card_html(info, translator, draft=False)
        if self.site.renderer.shared.unreviewed(info, translator.seen):
            html = self._card_html(info, translator, draft=True)
        return self._layout(html)

    def _card_html(self, info: LocaleInfo, translator: Translator, draft: bool) -> str:
        address = self.address(info)
        return self.env.get_template("print/card.html").render(
            locale=info,
            helplines=facts.helplines(),
            address=address,
            qr=self.qr(address),
            draft=draft,
            messages=MESSAGES,
            _=translator.gettext,
            _attr=translator.text,
        )

    def poster(self) -> Any:
        languages = [self._language(info) for info in PUBLISHED]
        title = self.site.translator(SOURCE).text(MESSAGES["municipality"])
        return self._layout(self.env.get_template("print/poster.html").render(languages=languages, title=title))

    def _language(self, info: LocaleInfo) -> dict[str, Any]:
        address = self.address(info)
        line = self.site.translator(info.code).gettext(POSTER_LINE)
        return {"info": info, "line": line, "address": address, "qr": self.qr(address)}

    def _layout(self, html: str) -> Any:
        document = self.weasyprint.HTML(string=html)
        return document.render(stylesheets=[self.stylesheet], font_config=self.font_config)


def render(
    settings: Settings, directory: Path, codes: Sequence[str] = (), fonts: Mapping[str, str] = FONTS
) -> list[Printed]:
    """What ``codes`` ask for (see targets), laid out and in memory; PrintError before any of it."""
    wanted = targets(codes)
    printer = Printer(settings, fonts)
    documents = [
        (directory / f"{POSTER if target is None else target.code}.pdf", printer.document(target)) for target in wanted
    ]
    return [Printed(path, document.write_pdf(), document) for path, document in documents]


def write(printed: Iterable[Printed]) -> None:
    try:
        for item in printed:
            item.path.parent.mkdir(parents=True, exist_ok=True)
            item.path.write_bytes(item.pdf)
    except OSError as error:
        raise PrintError(f"{error.filename}: cannot write: {error.strerror}") from error


def fill(document: Any) -> float:
    """How much of its first page's content box the content fills, top to bottom (1.0 is full)."""
    page = document.pages[0]._page_box
    boxes = [box for child in page.children for box in child.descendants()]
    bottom = max(box.border_box_y() + box.border_height() for box in boxes)
    return float((bottom - page.content_box_y()) / page.height)
