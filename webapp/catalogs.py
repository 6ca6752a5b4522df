"""Reading translators' .po files straight from disk, trusting nothing in them.

A catalog is read with Babel's parser, never compiled, so a translator has no build step to forget.
Every translation is checked before it is used: syntax, encoding, fuzzy flag, plural count,
placeholders and inline markup. A translation that fails a check is left out, so the page shows the
Swedish source for that one message (marked lang="sv" by webapp.i18n) and every other message keeps
its translation. The problems are kept with file and line for the log and for ``i18n check``.
Nothing here ever writes to a translator's file. Whether each message is reviewed comes from the
review record beside the catalog (webapp.reviews), not from the header.
"""

from __future__ import annotations

import email.parser
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.catalog import Message
from babel.messages.pofile import PoFileParser

from webapp import reviews, usage
from webapp.locales import LOCALES, LocaleInfo
from webapp.reviews import texts as texts  # one definition; code that reads catalogs imports it here
from webapp.settings import Settings

DOMAIN = "messages"
REVIEW_HEADER = "X-Review-Status"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# The one element a translation may add: it marks a word in another language (WCAG 3.1.2).
LANG_MARK = re.compile(r'<span lang="([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)"(?: dir="(?:ltr|rtl)")?>')
_MARKED = re.compile(r'<span lang="[^"]*"(?: dir="[^"]*")?>.*?</span>', re.DOTALL)
# Scripts whose screen-reader voices say Latin letters wrongly (ISO 15924): in a locale written
# in one of them, Latin letters stand inside a <span lang> that tells the reader their language.
MARKED_SCRIPTS = frozenset({"Arab", "Hebr", "Ethi"})
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_NOWHERE = Path()
_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$')


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a catalog, where a translator can find it."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{_shown(self.path)}:{self.line}: {self.message}"


def _shown(path: Path) -> str:
    """A path as a translator would type it: relative to the current folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class Catalog:
    """The usable translations of one locale, and what was wrong with the rest."""

    path: Path
    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    untranslated: list[Message] = field(default_factory=list)
    fuzzy: list[Message] = field(default_factory=list)
    entries: list[Message] = field(default_factory=list)
    reviewed: frozenset[str] = frozenset()
    out_of_date: frozenset[str] = frozenset()

    @property
    def draft(self) -> bool:
        """A draft until the review record approves every message as it is now."""
        return not self.entries or len(self.reviewed) < len(self.entries)

    @property
    def reviewed_share(self) -> float:
        return len(self.reviewed) / len(self.entries) if self.entries else 0.0

    def is_reviewed(self, msgid: str) -> bool:
        return msgid in self.reviewed

    def usable(self, msgid: str) -> bool:
        return msgid in self.messages or msgid in self.plurals


def catalog_path(locales_dir: Path, code: str) -> Path:
    return locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


class _RecordingCatalog(BabelCatalog):
    """Babel's catalog drops header fields it does not know (X-Review-Status among them);
    this one keeps the raw header text."""

    raw_header = ""
    header_fuzzy = False

    def __setitem__(self, id: Any, message: Message) -> None:
        if not id:
            self.raw_header = str(message.string)
            self.header_fuzzy = message.fuzzy
        super().__setitem__(id, message)


class _Parser(PoFileParser):
    """Babel's lenient parser, with its complaints collected instead of printed."""

    def __init__(self, catalog: BabelCatalog, path: Path) -> None:
        super().__init__(catalog, ignore_obsolete=True, abort_invalid=False)
        self.path = path
        self.problems: list[Problem] = []

    def _invalid_pofile(self, line: Any, lineno: int, msg: str) -> None:
        self.problems.append(Problem(self.path, lineno + 1, f"syntax error: {msg}"))


def load(path: Path, info: LocaleInfo, templates_dir: Path | None = None) -> Catalog:
    """Read one .po file; never raises for anything a translator can write. The templates
    (the installed ones unless given) tell which messages are only attribute text."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Catalog(path, problems=[Problem(path, 0, f"cannot read the catalog: {error.strerror}")])
    read, parsed = _read(raw, info, templates_dir or Settings().templates_dir)
    catalog = _at(read, path)
    if parsed:
        _judge(catalog)
    return catalog


# A process that builds several sites (the suite, the i18n tools) reads the same files again and
# again; each distinct content is parsed and checked once. What comes from the file's place (the
# path in each problem, the review record beside it) is added to a copy by each load.
@functools.lru_cache(maxsize=64)
def _read(raw: bytes, info: LocaleInfo, templates_dir: Path) -> tuple[Catalog, bool]:
    """What the content holds, with no path yet; and whether it had any to parse."""
    catalog = Catalog(_NOWHERE)
    lines = _decode(raw, catalog)
    if not any(line.strip() for line in lines):
        catalog.problems.append(Problem(_NOWHERE, 1, "the catalog is empty"))
        return catalog, False
    _parse(lines, catalog, info, templates_dir)
    return catalog, True


def _at(read: Catalog, path: Path) -> Catalog:
    """A copy of a catalog as read, at ``path``: its own containers, sharing only Babel's messages,
    which nothing changes."""
    return replace(
        read,
        path=path,
        messages=dict(read.messages),
        plurals=dict(read.plurals),
        headers=dict(read.headers),
        problems=[replace(problem, path=path) for problem in read.problems],
        untranslated=list(read.untranslated),
        fuzzy=list(read.fuzzy),
        entries=list(read.entries),
    )


def _judge(catalog: Catalog) -> None:
    """Fill in which messages the review record approves; an unreadable record approves none."""
    path = reviews.record_path(catalog.path)
    try:
        record = reviews.read(path)
    except reviews.RecordError as error:
        catalog.problems.append(Problem(path, error.line, str(error)))
        return
    usable = {reviews.key_of(m) for m in catalog.entries if catalog.usable(reviews.key_of(m)[1])}
    verdict = reviews.judge(catalog.entries, record, usable)
    catalog.reviewed = frozenset(msgid for _, msgid in verdict.reviewed)
    catalog.out_of_date = frozenset(msgid for _, msgid in verdict.out_of_date)


def _decode(raw: bytes, catalog: Catalog) -> list[str]:
    lines = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            catalog.problems.append(Problem(catalog.path, number, "not valid UTF-8"))
            lines.append(line.decode("utf-8", errors="replace"))
    return lines


def _parse(lines: list[str], catalog: Catalog, info: LocaleInfo, templates_dir: Path) -> None:
    babel_catalog = _RecordingCatalog(locale=None, charset="utf-8")
    parser = _Parser(babel_catalog, catalog.path)
    parser.parse(lines)
    bad_lines = _syntax_errors(lines, catalog.path) + parser.problems
    catalog.problems.extend(bad_lines)
    catalog.headers = _headers(babel_catalog.raw_header)
    if babel_catalog.header_fuzzy:
        catalog.problems.append(Problem(catalog.path, 1, "the header is marked fuzzy"))
    entries = sorted((m for m in babel_catalog if m.id), key=lambda m: m.lineno or 0)
    catalog.entries = entries
    broken = _entries_on_lines(entries, {problem.line for problem in bad_lines})
    for message in entries:
        in_attribute = usage.only_in_attributes(texts(message.id)[0], message.locations, templates_dir)
        _admit(message, catalog, info, broken, in_attribute)


def _syntax_errors(lines: Iterable[str], path: Path) -> list[Problem]:
    problems = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text and not text.startswith("#") and not _LINE.match(text):
            problems.append(Problem(path, number, f"syntax error: cannot read {text[:40]!r}"))
    return problems


def _entries_on_lines(entries: list[Message], lines: set[int]) -> set[int]:
    """Start lines of the entries that contain any of ``lines``."""
    starts = [message.lineno or 0 for message in entries]
    if not starts:
        return set()
    ends = [*starts[1:], 10**9]
    return {start for start, end in zip(starts, ends, strict=True) if any(start <= n < end for n in lines)}


def _headers(raw: str) -> dict[str, str]:
    parsed = email.parser.HeaderParser().parsestr(raw)
    return {name: str(value).strip() for name, value in parsed.items()}


def _admit(message: Message, catalog: Catalog, info: LocaleInfo, broken: set[int], in_attribute: bool) -> None:
    """Keep a translation only if every check passes."""
    forms = texts(message.string)
    if not any(forms):
        catalog.untranslated.append(message)
        return
    if message.fuzzy:
        catalog.fuzzy.append(message)
        return
    if message.lineno in broken:
        return  # the syntax error is already reported, on its own line
    problem = _message_problem(message, forms, info, in_attribute)
    if problem is not None:
        catalog.problems.append(Problem(catalog.path, message.lineno or 0, problem))
    elif isinstance(message.id, tuple):
        catalog.plurals[texts(message.id)[0]] = forms
    else:
        catalog.messages[texts(message.id)[0]] = forms[0]


def _message_problem(message: Message, forms: tuple[str, ...], info: LocaleInfo, in_attribute: bool) -> str | None:
    source = texts(message.id)
    if len(source) > 1 and len(forms) != info.nplurals:
        return f"{len(forms)} plural forms, but {info.code} has {info.nplurals}"
    if not all(forms):
        return f"msgstr[{forms.index('')}] is missing or empty"
    if any("\ufffd" in form for form in forms):
        return "the translation has characters that are not valid UTF-8"
    for form in forms:
        problem = (
            placeholder_problem(source, form, plural=len(source) > 1)
            or markup_problem(source, form)
            or (foreign_word_problem(source, form, in_attribute) if info.script in MARKED_SCRIPTS else None)
        )
        if problem is not None:
            return problem
    return None


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def placeholder_problem(source: tuple[str, ...], translation: str, plural: bool) -> str | None:
    """A translation must use the msgid's placeholders (a plural form may leave the number out)
    and nothing else that %-formatting would trip over."""
    expected = set().union(*(placeholders(text) for text in source))
    found = placeholders(translation)
    if found - expected:
        return f"placeholder %({sorted(found - expected)[0]})s is not in the msgid"
    if not plural and found != expected:
        return f"placeholder %({sorted(expected - found)[0]})s is missing"
    if expected:
        try:
            translation % dict.fromkeys(expected, 1)
        except (KeyError, ValueError, TypeError) as error:
            return f"broken placeholder ({error})"
    return None


def markup_problem(source: tuple[str, ...], translation: str) -> str | None:
    """A translation may use only the inline tags of its msgid, each at most as often, nested
    properly: so no <script>, no new attribute, no javascript: URL can ever reach a page."""
    allowed = Counter(tag for text in source for tag in TAG.findall(text))
    marks = [mark for mark in LANG_MARK.finditer(translation) if _known_language(mark.group(1))]
    allowed.update([mark.group(0) for mark in marks] + ["</span>"] * len(marks))
    used = Counter(TAG.findall(translation))
    extra = used - allowed
    if extra:
        return f"markup {next(iter(extra))!r} is not in the msgid"
    stray = TAG.sub("", translation)
    if re.search(r"<[/!?A-Za-z]", stray):
        return "the translation has markup that is not in the msgid"
    return None if _balanced(TAG.findall(translation)) else "inline markup is not closed properly"


def _known_language(tag: str) -> bool:
    code = tag.split("-")[0]
    return code in LOCALES or code in Locale("en").languages


def foreign_word_problem(source: tuple[str, ...], translation: str, in_attribute: bool = False) -> str | None:
    """In a locale written in Arabic, Hebrew or Ethiopic script, every run of Latin letters (names from the msgid and
    key labels in <kbd> too) stands inside a <span lang> the translator added, so a screen reader
    says it in its own language. Attribute text cannot hold an element: there a name from the
    msgid may stand bare, and only a word the msgid lacks must be marked (the mark is dropped)."""
    names = {word for text in source for word in _LATIN_WORD.findall(PLACEHOLDER.sub(" ", text))}
    bare = TAG.sub(" ", PLACEHOLDER.sub(" ", _MARKED.sub(" ", translation)))
    for word in _LATIN_WORD.findall(bare):
        if not in_attribute:
            return f'"{word}" is in Latin script but not marked <span lang="..." dir="ltr">'
        if word not in names:
            return f'"{word}" is in Latin script but neither in the msgid nor marked <span lang="...">'
    return None


def _balanced(tags: list[str]) -> bool:
    stack: list[str] = []
    for tag in tags:
        name = re.match(r"</?\s*([A-Za-z0-9]+)", tag).group(1).lower()  # type: ignore[union-attr]
        if tag.startswith("</"):
            if not stack or stack.pop() != name:
                return False
        elif not tag.endswith("/>"):
            stack.append(name)
    return not stack
