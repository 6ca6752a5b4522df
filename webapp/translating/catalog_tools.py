"""The translator's tools behind ``python -m webapp i18n``: extract, update, init, check, stats.

Extraction uses Babel's API and then adds the header Babel does not know (X-Source-Language).
Updating uses GNU msgmerge, which keeps every header and comment a translator wrote, and refuses
a catalog that does not parse rather than rewrite it and lose work.
"""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from webapp.catalogs import REVIEW_HEADER, Catalog, Problem, catalog_path, load, texts
from webapp.locales import LOCALES, SOURCE, LocaleInfo
from webapp.settings import ROOT
from webapp.usage import KEYWORDS

POT = "messages.pot"
LAYOUT = "locales/<code>/LC_MESSAGES/messages.po"
FUZZY = "fuzzy: check the translation, then remove the fuzzy flag"
METHOD_MAP = [
    ("templates/**.html", "jinja2"),
    ("webapp/data/*.toml", "webapp.facts:extract_toml"),
    ("webapp/**.py", "python"),
]
COMMENT_TAGS = ["Translators:"]
SOURCE_HEADER = "X-Source-Language"
REQUIRED_HEADERS = ("Language", "Plural-Forms", "Content-Type", REVIEW_HEADER, SOURCE_HEADER)


def extract(root: Path = ROOT) -> str:
    """The text of messages.pot for the code and templates under ``root``."""
    catalog = BabelCatalog(project="Trygg sida", version="1", charset="utf-8", fuzzy=False)
    # Fixed, so that the template changes only when a message does (CI compares it).
    catalog.creation_date = datetime.datetime(2022, 10, 5, tzinfo=datetime.UTC)
    catalog.header_comment = (
        "# Messages of Trygg sida, Vänersborgs kommun's page against domestic violence.\n"
        "# Swedish (sv) is the source language: every msgid is the Swedish text."
    )
    found = extract_from_dir(root, METHOD_MAP, {}, KEYWORDS, COMMENT_TAGS, strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79, sort_by_file=True, include_lineno=False)
    return _with_headers(buffer.getvalue().decode("utf-8"), {SOURCE_HEADER: SOURCE})


def _with_headers(text: str, extra: dict[str, str]) -> str:
    """Put header fields that Babel's writer does not know where it writes its own version
    (which would make the template depend on the installed Babel)."""
    lines = "".join(f'"{name}: {value}\\n"\n' for name, value in extra.items())
    return re.sub(r'"Generated-By: [^"]*"\n', lambda m: lines, text, count=1)


def pot_path(locales_dir: Path) -> Path:
    return locales_dir / POT


def pot_is_current(locales_dir: Path, root: Path = ROOT) -> bool:
    path = pot_path(locales_dir)
    return path.exists() and path.read_text("utf-8") == extract(root)


def write_pot(locales_dir: Path, root: Path = ROOT) -> Path:
    path = pot_path(locales_dir)
    path.write_text(extract(root), "utf-8")
    return path


def update(locales_dir: Path, info: LocaleInfo) -> list[Problem]:
    """Merge messages.pot into one catalog with msgmerge; refuse a catalog that does not parse."""
    path = catalog_path(locales_dir, info.code)
    syntax = [p for p in load(path, info).problems if "syntax" in p.message or "UTF-8" in p.message]
    if syntax or not path.exists():
        return syntax or [Problem(path, 0, "no catalog; start one with make locale")]
    subprocess.run(
        [
            "msgmerge",
            "--quiet",
            "--update",
            "--backup=none",
            "--previous",
            "--width=79",
            str(path),
            str(pot_path(locales_dir)),
        ],
        check=True,
    )
    return []


def header_text(info: LocaleInfo, produced_by: str) -> str:
    """The header of a new catalog: draft until a qualified translator has reviewed it."""
    return (
        f"# {info.english} ({info.endonym}) translation of Trygg sida.\n"
        "# DRAFT: this translation has not been reviewed by a qualified translator.\n"
        f"# When a qualified translator has reviewed it, set {REVIEW_HEADER} to reviewed.\n"
        'msgid ""\nmsgstr ""\n'
        '"Project-Id-Version: Trygg sida 1\\n"\n'
        f'"Language: {info.code}\\n"\n'
        f'"Language-Team: {info.english}\\n"\n'
        f'"Last-Translator: {produced_by}\\n"\n'
        f'"PO-Revision-Date: {datetime.date.today():%Y-%m-%d} 00:00+0000\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {info.plural_forms}\\n"\n'
        f'"{SOURCE_HEADER}: {SOURCE}\\n"\n'
        f'"{REVIEW_HEADER}: draft\\n"\n'
        f'"X-Produced-By: {produced_by}\\n"\n'
    )


def init(locales_dir: Path, info: LocaleInfo, produced_by: str) -> Path:
    """Start a catalog from messages.pot; never overwrites an existing one."""
    path = catalog_path(locales_dir, info.code)
    if path.exists():
        raise FileExistsError(f"{path} exists; make messages updates it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header_text(info, produced_by), "utf-8")
    update(locales_dir, info)
    return path


def header_problems(catalog: Catalog, info: LocaleInfo) -> list[Problem]:
    problems = [
        Problem(catalog.path, 1, f"header {name} is missing")
        for name in REQUIRED_HEADERS
        if name not in catalog.headers
    ]
    expected = {
        "Language": info.code,
        SOURCE_HEADER: SOURCE,
    }
    for name, value in expected.items():
        if name in catalog.headers and catalog.headers[name] != value:
            found = catalog.headers[name]
            problems.append(Problem(catalog.path, 1, f"header {name} is {found!r}, not {value!r}"))
    plural = catalog.headers.get("Plural-Forms", "")
    if plural and f"nplurals={info.nplurals};" not in plural.replace(" ", ""):
        problems.append(Problem(catalog.path, 1, f"Plural-Forms must have nplurals={info.nplurals}"))
    if "utf-8" not in catalog.headers.get("Content-Type", "utf-8").lower():
        problems.append(Problem(catalog.path, 1, "Content-Type must say charset=UTF-8"))
    return problems + review_header_problems(catalog)


def review_header_problems(catalog: Catalog) -> list[Problem]:
    """The header may not claim more than the review record says (webapp.reviews)."""
    status = catalog.headers.get(REVIEW_HEADER, "draft").strip().lower()
    if status not in {"draft", "reviewed"}:
        return [Problem(catalog.path, 1, f"{REVIEW_HEADER} must be draft or reviewed")]
    if status == "reviewed" and catalog.draft:
        missing = len(catalog.entries) - len(catalog.reviewed)
        return [
            Problem(
                catalog.path,
                1,
                f"{REVIEW_HEADER} says reviewed, but the review record "
                f"approves {missing} messages fewer than the catalog has: set it to draft",
            )
        ]
    return []


def check_catalog(path: Path, info: LocaleInfo, strict: bool = False) -> list[Problem]:
    """What is broken in one catalog, in line order; ``strict`` adds what is not yet translated."""
    catalog = load(path, info)
    problems = list(catalog.problems)
    if catalog.entries or catalog.headers:
        problems += header_problems(catalog, info)
    if strict and info.published:
        problems += [Problem(path, m.lineno or 0, FUZZY) for m in catalog.fuzzy]
        problems += [Problem(path, m.lineno or 0, "untranslated") for m in catalog.untranslated]
    return sorted(set(problems), key=lambda p: (str(p.path), p.line, p.message))


def locale_of(path: Path) -> LocaleInfo | None:
    """The locale a catalog path belongs to: locales/<code>/LC_MESSAGES/messages.po."""
    parts = path.resolve().parts
    code = parts[-3] if len(parts) >= 3 else ""
    return LOCALES.get(code)


def translated_catalogs(locales_dir: Path) -> list[tuple[Path, LocaleInfo]]:
    return [(catalog_path(locales_dir, info.code), info) for info in LOCALES.values() if info.code != SOURCE]


@dataclass(frozen=True)
class Stats:
    code: str
    translated: int
    fuzzy: int
    untranslated: int
    broken: int
    words: int
    words_translated: int
    reviewed: int
    out_of_date: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.broken

    @property
    def draft(self) -> int:
        """Messages not (or no longer) approved, out-of-date ones included."""
        return self.total - self.reviewed

    @property
    def status(self) -> str:
        if self.total and self.reviewed == self.total:
            return "reviewed"
        return "partial" if self.reviewed else "draft"

    def as_json(self) -> dict[str, int | str]:
        return {
            "locale": self.code,
            "status": self.status,
            "total": self.total,
            "translated": self.translated,
            "reviewed": self.reviewed,
            "draft": self.draft,
            "out_of_date": self.out_of_date,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "broken": self.broken,
            "words": self.words,
            "words_translated": self.words_translated,
        }


def _words(messages: Iterable[object]) -> int:
    return sum(len(re.sub(r"<[^>]+>", " ", str(m)).split()) for m in messages)


def stats(locales_dir: Path, info: LocaleInfo) -> Stats:
    catalog = load(catalog_path(locales_dir, info.code), info)
    ids = [texts(m.id)[0] for m in catalog.entries]
    done = [i for i in ids if catalog.usable(i)]
    broken = len(ids) - len(done) - len(catalog.fuzzy) - len(catalog.untranslated)
    return Stats(
        code=info.code,
        translated=len(done),
        fuzzy=len(catalog.fuzzy),
        untranslated=len(catalog.untranslated),
        broken=broken,
        words=_words(ids),
        words_translated=_words(done),
        reviewed=len(catalog.reviewed),
        out_of_date=len(catalog.out_of_date),
    )
