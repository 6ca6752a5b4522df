"""``i18n review-sheet CODE``: one printable HTML document for a reviewer without translation tools.

Messages come in the order a reader meets them: each page is rendered once with a translator that
puts an invisible marker before every message, and the rendered HTML is read to learn where each
marker landed (page, and the heading of its section). Messages no page shows follow at the end.
Every row: Swedish text, translation (with its own lang and dir), where, review state in words,
and an empty cell for comments. Labels are Swedish with English in brackets; they are not gettext
messages, since the sheet is read by the municipality's staff. A4, table headers repeat on each
printed page, no scripts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from babel.messages.catalog import Message
from markupsafe import Markup, escape

from webapp import reviews
from webapp.catalogs import PLACEHOLDER, TAG, Catalog, texts
from webapp.i18n import Translator
from webapp.locales import LocaleInfo
from webapp.pages import BY_NAME, NOT_FOUND, PAGES
from webapp.settings import Settings
from webapp.site import Site

OTHER = "Övriga meddelanden (other messages)"
MARK = re.compile("\ue000(\\d+)\ue001")
HEADINGS = {"h1", "h2", "h3"}
LANDMARKS = {"header": "Sidhuvud (header)", "footer": "Sidfot (footer)"}
TOP = "Överst i innehållet (top of the content)"
HEAD = "Sidans titel och beskrivning (title and description)"


class _Marking(Translator):
    """Source text, each message preceded by a marker naming it."""

    def __init__(self, info: LocaleInfo) -> None:
        super().__init__(info, None)
        self.order: list[str] = []

    def _mark(self, msgid: str) -> str:
        self.order.append(msgid)
        return f"\ue000{len(self.order) - 1}\ue001"

    def gettext(self, msgid: str, **variables: Any) -> Markup:
        return Markup(self._mark(msgid)) + super().gettext(msgid, **variables)

    def text(self, msgid: str, **variables: Any) -> str:
        return self._mark(msgid) + super().text(msgid, **variables)

    def ngettext(self, singular: str, plural: str, n: int, text: bool = False, **variables: Any) -> Markup | str:
        marked = self._mark(singular)
        shown = super().ngettext(singular, plural, n, text, **variables)
        return Markup(marked) + shown if isinstance(shown, Markup) else marked + shown


class _Places(HTMLParser):
    """Where each marker of one rendered page is: the section heading above it (or landmark)."""

    def __init__(self, found: Callable[[int, str], None]) -> None:
        super().__init__()
        self.found = found
        self.section = HEAD
        self.heading: list[str] | None = None
        self.pending: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in LANDMARKS:
            self.section = LANDMARKS[tag]
        if tag == "main":
            self.section = TOP
        if tag == "body":
            self.section = LANDMARKS["header"]
        if tag in HEADINGS:
            self.heading = []
        for _, value in attrs:
            self._marks(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and self.heading is not None:
            self.section = " ".join(MARK.sub("", "".join(self.heading)).split())
            for index in self.pending:
                self.found(index, self.section)
            self.heading, self.pending = None, []

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        self._marks(data)

    def _marks(self, text: str) -> None:
        for match in MARK.finditer(text):
            if self.heading is not None:
                self.pending.append(int(match.group(1)))
            else:
                self.found(int(match.group(1)), self.section)


@dataclass
class Row:
    message: Message
    places: list[tuple[str, str]] = field(default_factory=list)


def page_order(site: Site, info: LocaleInfo) -> dict[str, list[tuple[str, str]]]:
    """Each msgid the pages show, in reading order, with every (page name, section) it appears in."""
    places: dict[str, list[tuple[str, str]]] = {}
    for shown in (*PAGES, NOT_FOUND):
        marking = _Marking(info)
        html = site.renderer.render_with(info, shown, marking, draft=True)

        def found(index: int, section: str, page: str = shown.name, marking: _Marking = marking) -> None:
            where = places.setdefault(marking.order[index], [])
            if (page, section) not in where:
                where.append((page, section))

        parser = _Places(found)
        parser.feed(html)
        parser.close()
    return places


def rows(site: Site, catalog: Catalog, info: LocaleInfo) -> list[Row]:
    by_msgid = {texts(message.id)[0]: message for message in catalog.entries}
    order = page_order(site, info)
    shown = [Row(by_msgid[msgid], where) for msgid, where in order.items() if msgid in by_msgid]
    rest = [Row(message, [("", OTHER)]) for msgid, message in by_msgid.items() if msgid not in order]
    return shown + rest


def state_words(message: Message, catalog: Catalog, record: dict[reviews.Key, reviews.Review]) -> str:
    msgid = texts(message.id)[0]
    entry = record.get(reviews.key_of(message))
    if catalog.is_reviewed(msgid) and entry is not None:
        return f"Granskad (reviewed): {entry.reviewer}, {entry.date}"
    if msgid in catalog.out_of_date:
        return "Inaktuell: granskad tidigare, texten har ändrats sedan (out of date)"
    if not any(texts(message.string)):
        return "Saknas: visas på svenska (untranslated)"
    if message.fuzzy:
        return "Osäker: visas på svenska tills den kontrollerats (fuzzy)"
    if not catalog.usable(msgid):
        return "Fel i översättningen: visas på svenska (broken)"
    return "Utkast, inte granskad (draft)"


def _text(value: str) -> Markup:
    """A message with its inline tags and placeholders shown as code, so a reviewer sees them."""
    parts, position = [], 0
    for match in re.finditer(f"{PLACEHOLDER.pattern}|{TAG.pattern}", value):
        parts.append(escape(value[position : match.start()]))
        parts.append(Markup("<code>%s</code>") % match.group(0))
        position = match.end()
    parts.append(escape(value[position:]))
    return Markup("").join(parts)


def _forms(values: tuple[str, ...]) -> Markup:
    if len(values) == 1:
        return _text(values[0])
    return Markup('<ol start="0">%s</ol>') % Markup("").join(Markup("<li>%s</li>") % _text(value) for value in values)


def _where(places: list[tuple[str, str]]) -> Markup:
    """Page and section; a section every page has (header, footer) is named once."""
    everywhere = [s for s in dict.fromkeys(s for _, s in places) if sum(p[1] == s for p in places) == len(BY_NAME)]
    items = [f"Alla sidor (every page): {section}" for section in everywhere]
    items += [
        f"{BY_NAME[page].label}: {section}" if page else section
        for page, section in places
        if section not in everywhere
    ]
    return Markup("<ul>%s</ul>") % Markup("").join(Markup("<li>%s</li>") % item for item in items)


STYLE = """
@page { size: A4; margin: 14mm 12mm; }
body { font: 10.5pt/1.45 system-ui, sans-serif; color: #000; background: #fff; margin: 1rem; }
h1 { font-size: 1.5rem; margin-block: 0 0.5rem; }
table { border-collapse: collapse; inline-size: 100%; table-layout: fixed; }
caption { text-align: start; font-weight: bold; font-size: 1.15rem; padding-block: 1rem 0.4rem; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #555; padding: 0.35rem; vertical-align: top; text-align: start;
         overflow-wrap: anywhere; }
th { background: #eee; }
.nr { inline-size: 2.2rem; } .where { inline-size: 17%; } .state { inline-size: 13%; }
.comments { inline-size: 18%; }
code { font-family: ui-monospace, monospace; background: #f1f1f1; border: 1px solid #999;
       padding-inline: 0.15em; }
ul, ol { margin: 0; padding-inline-start: 1.1rem; }
@media print { body { margin: 0; } }
"""


def sheet(settings: Settings, info: LocaleInfo) -> str:
    site = Site.load(settings)
    catalog = site.translations.catalogs[info.code]
    record = _record(catalog.path)
    table_rows = rows(site, catalog, info)
    names = [page.name for page in (*PAGES, NOT_FOUND)] + [""]
    sections = [(name, [r for r in table_rows if r.places[0][0] == name]) for name in names]
    body = Markup("").join(
        _table(page, part, catalog, record, info, start) for page, part, start in _numbered(sections) if part
    )
    return str(_document(info, catalog, body))


def _record(path: Any) -> dict[reviews.Key, reviews.Review]:
    try:
        return reviews.read(reviews.record_path(path))
    except reviews.RecordError:
        return {}


def _numbered(sections: list[tuple[str, list[Row]]]) -> list[tuple[str, list[Row], int]]:
    numbered, start = [], 1
    for page, part in sections:
        numbered.append((page, part, start))
        start += len(part)
    return numbered


def _table(
    page: str,
    part: list[Row],
    catalog: Catalog,
    record: dict[reviews.Key, reviews.Review],
    info: LocaleInfo,
    start: int,
) -> Markup:
    caption = f"Sida (page): {BY_NAME[page].label}" if page else OTHER
    head = (
        Markup(
            '<thead><tr><th scope="col" class="nr">Nr</th><th scope="col">Svenska (Swedish)</th>'
            '<th scope="col">Översättning (translation): %s</th><th scope="col" class="where">Var (where)</th>'
            '<th scope="col" class="state">Status</th><th scope="col" class="comments">Kommentarer (comments)</th>'
            "</tr></thead>"
        )
        % info.english
    )
    lines = Markup("").join(_row(number, row, catalog, record, info) for number, row in enumerate(part, start))
    return Markup("<table><caption>%s</caption>%s<tbody>%s</tbody></table>\n") % (caption, head, lines)


def _row(
    number: int, row: Row, catalog: Catalog, record: dict[reviews.Key, reviews.Review], info: LocaleInfo
) -> Markup:
    translation = texts(row.message.string)
    shown = _forms(translation) if any(translation) else Markup('<span lang="sv">— ej översatt (not translated)</span>')
    lang = info.tag if any(translation) else "sv"
    direction = info.direction if any(translation) else "ltr"
    return Markup(
        '<tr><td>%s</td><td lang="sv" dir="ltr">%s</td><td lang="%s" dir="%s">%s</td><td>%s</td>'
        "<td>%s</td><td></td></tr>\n"
    ) % (
        number,
        _forms(texts(row.message.id)),
        lang,
        direction,
        shown,
        _where(row.places),
        state_words(row.message, catalog, record),
    )


def _document(info: LocaleInfo, catalog: Catalog, body: Markup) -> Markup:
    total, done = len(catalog.entries), len(catalog.reviewed)
    title = f"Granskningsunderlag (review sheet): {info.endonym} – {info.english} ({info.code})"
    return Markup(
        '<!doctype html>\n<html lang="sv" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>%s</title>\n'
        "<style>%s</style>\n</head>\n<body>\n<main>\n<h1>%s</h1>\n"
        "<p>Trygg sida, Vänersborgs kommun. %s av %s meddelanden är granskade (%s of %s messages reviewed). "
        "Skriv i kolumnen Kommentarer om en översättning ska ändras, och varför "
        "(write in the comments column what should change, and why).</p>\n%s</main>\n</body>\n</html>\n"
    ) % (title, Markup(STYLE), title, done, total, done, total, body)
