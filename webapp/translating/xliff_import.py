"""``i18n xliff-import``: an agency's XLIFF file merged into a catalog and its review record.

All or nothing. A file for another site, another locale or an older Swedish source is refused
before anything is read into the catalog. Changed targets replace msgstrs (webapp.catalog_edit);
the new catalog must pass the project's checks and ``msgfmt --check`` in a scratch folder, or
nothing is written and each problem is listed with the XLIFF line and unit id. Approved units
become reviewed in the record (webapp.reviews); an import never withdraws an approval, an edit
of the text does. A round trip with no edits writes nothing.
"""

from __future__ import annotations

import bisect
import datetime
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Message

from webapp import reviews
from webapp.catalogs import Catalog, catalog_path, load, texts
from webapp.locales import LOCALES, SOURCE, LocaleInfo, match
from webapp.translating import xliff
from webapp.translating.catalog_edit import Forms, replace_msgstrs, write_atomically


class RefusedError(Exception):
    """The file cannot be imported at all; nothing was written."""


@dataclass
class Outcome:
    code: str
    changed: int = 0
    approved: int = 0
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def locale_for(tag: str) -> LocaleInfo | None:
    """The translated locale an XLIFF target-language means, as negotiation reads a language tag:
    aliases first, so fa-AF is Dari and ku is Kurmanji, then ever shorter prefixes (uk-UA)."""
    code = match(tag.strip().replace("_", "-"))
    return None if code is None or code == SOURCE else LOCALES[code]


def import_file(
    path: Path, locales_dir: Path, reviewer: str = "", expected_locale: str = "", today: datetime.date | None = None
) -> Outcome:
    parsed = _parse(path)
    info = locale_for(parsed.target_language)
    if info is None or (expected_locale and info.code != expected_locale):
        raise RefusedError(
            f"{path}: target-language {parsed.target_language!r} is not "
            f"{expected_locale or 'a translated locale of this site'}"
        )
    catalog = load(catalog_path(locales_dir, info.code), info)
    if not catalog.entries:
        raise RefusedError(f"{catalog.path}: no catalog to import into ({'; '.join(map(str, catalog.problems))})")
    by_id = {xliff.unit_id(message): message for message in catalog.entries}
    _refuse_stale_sources(path, parsed.units.values(), by_id)
    name = reviewer.strip() or parsed.reviewer
    if not name and any(_new_approval(unit, by_id[unit.unit_id], catalog) for unit in parsed.units.values()):
        raise RefusedError(
            f"{path}: units are approved but no reviewer is named: use --reviewer NAME or "
            'fill <phase process-name="review" contact-name="..."> in the header'
        )
    return _merge(Source(path, parsed, catalog, info, by_id), name, today or _date(parsed.date))


def _parse(path: Path) -> xliff.Parsed:
    try:
        return xliff.parse(path.read_bytes())
    except OSError as error:
        raise RefusedError(f"{path}: cannot read the file: {error.strerror}") from error
    except xliff.NotXliffError as error:
        raise RefusedError(f"{path}: {error}") from error


def _new_approval(unit: xliff.Incoming, message: Message, catalog: Catalog) -> bool:
    """Approved in the file, and not already approved as it stands (a re-export says so too)."""
    unchanged = unit.targets is None or unit.targets == texts(message.string)
    return unit.approved and not (unchanged and catalog.is_reviewed(texts(message.id)[0]))


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return datetime.date.today()


def _refuse_stale_sources(path: Path, units: Iterable[xliff.Incoming], by_id: dict[str, Message]) -> None:
    stale = []
    for unit in units:
        message = by_id.get(unit.unit_id)
        if message is None:
            stale.append(f"{path}:{unit.line}: unit {unit.unit_id}: not in the current catalog")
        elif not _same_source(unit.sources, texts(message.id)):
            stale.append(f"{path}:{unit.line}: unit {unit.unit_id}: the Swedish source has changed")
    if stale:
        raise RefusedError(
            "\n".join(
                [
                    f"{path}: {len(stale)} units no longer match the Swedish source; "
                    "export again and carry the translations over",
                    *stale,
                ]
            )
        )


def _same_source(incoming: tuple[str, ...], current: tuple[str, ...]) -> bool:
    return incoming[0] == current[0] and all(s == current[-1] for s in incoming[1:])


@dataclass(frozen=True)
class Source:
    """An agency's file and the catalog it is for, as read."""

    path: Path
    parsed: xliff.Parsed
    catalog: Catalog
    info: LocaleInfo
    by_id: dict[str, Message]

    def where(self, identifier: str) -> str:
        return f"{self.path}:{self.parsed.units[identifier].line}: unit {identifier}"


@dataclass(frozen=True)
class Plan:
    """What an import writes, worked out before anything is written: the new catalog and record
    texts (None where nothing changes), or the problems that stop it."""

    catalog_text: str | None = None
    record_text: str | None = None
    changed: int = 0
    approved: int = 0
    problems: tuple[str, ...] = ()


def _merge(source: Source, reviewer: str, date: datetime.date) -> Outcome:
    plan = _plan(source, reviewer, date)
    if plan.problems:
        return Outcome(source.info.code, problems=list(plan.problems))
    return Outcome(source.info.code, plan.changed, plan.approved, _write(plan, source.catalog.path))


def _plan(source: Source, reviewer: str, date: datetime.date) -> Plan:
    takes = {
        identifier: _take(unit, source.by_id[identifier], source.info)
        for identifier, unit in source.parsed.units.items()
    }
    problems = tuple(f"{source.where(i)}: {take.problem}" for i, take in takes.items() if take.problem)
    changes = {take.lineno: take.targets for take in takes.values() if take.targets is not None}
    confirmed = {take.lineno for take in takes.values() if take.confirm}
    old = _catalog_text(source.catalog)
    new = replace_msgstrs(old, changes, confirmed) if changes or confirmed else old
    touched = {i for i, take in takes.items() if take.targets is not None or take.confirm}
    checked, problems = _checked(source, new, touched, problems)
    if problems:
        return Plan(problems=problems)
    approvals = [m for m in checked.entries if source.parsed.units.get(xliff.unit_id(m), _NO).approved]
    record = _record(source.catalog)
    updated, problems = _approve(source, record, approvals, checked, reviewer, date)
    if problems:
        return Plan(problems=problems)
    kept = _current_keys(checked.entries)
    record_text = reviews.dump(source.info.code, (r for k, r in updated.items() if k in kept))
    return Plan(new if new != old else None, record_text if updated != record else None, len(changes), len(approvals))


def _write(plan: Plan, catalog_file: Path) -> list[Path]:
    record_file = reviews.record_path(catalog_file)
    writes = [(catalog_file, plan.catalog_text), (record_file, plan.record_text)]
    for target, text in writes:
        if text is not None:
            write_atomically(target, text.encode("utf-8"))
    return [target for target, text in writes if text is not None]


def _catalog_text(catalog: Catalog) -> str:
    try:
        return catalog.path.read_text("utf-8")
    except UnicodeDecodeError as error:
        raise RefusedError(f"{catalog.path}: not valid UTF-8 ({error.reason}): fix it first (i18n check)") from None


def _record(catalog: Catalog) -> dict[reviews.Key, reviews.Review]:
    record_file = reviews.record_path(catalog.path)
    try:
        return reviews.read(record_file)
    except reviews.RecordError as error:
        raise RefusedError(f"{record_file}: {error}") from None


_NO = xliff.Incoming("", 0, (), None, False, False)


@dataclass(frozen=True)
class Take:
    """What one unit does to its entry: new forms, a fuzzy flag cleared, or a problem."""

    lineno: int
    targets: Forms | None = None
    confirm: bool = False
    problem: str | None = None


def _take(unit: xliff.Incoming, message: Message, info: LocaleInfo) -> Take:
    current, lineno = texts(message.string), message.lineno or 0
    targets = unit.targets if unit.targets and any(unit.targets) else None
    if targets is not None and len(targets) != len(current):
        return Take(lineno, problem=f"{len(targets)} plural forms, but {info.code} has {len(current)}")
    changed = targets if targets is not None and targets != current else None
    confirm = message.fuzzy and targets is not None and (changed is not None or unit.confirmed or unit.approved)
    problem = "approved, but it has no translation" if unit.approved and not any(targets or current) else None
    return Take(lineno, changed, confirm, problem)


def _checked(
    source: Source, text: str, touched: set[str], problems: tuple[str, ...]
) -> tuple[Catalog, tuple[str, ...]]:
    """The new catalog as the site would read it, and ``problems`` with those of the entries this
    import touched."""
    with tempfile.TemporaryDirectory() as scratch:
        candidate = catalog_path(Path(scratch), source.info.code)
        candidate.parent.mkdir(parents=True)
        candidate.write_text(text, "utf-8")
        catalog = load(candidate, source.info)
        lines = [(problem.line, problem.message) for problem in catalog.problems]
        lines += _msgfmt(candidate)
    starts = [message.lineno or 0 for message in catalog.entries]
    found = []
    for line, message in lines:
        entry = catalog.entries[bisect.bisect_right(starts, line) - 1] if starts and line >= starts[0] else None
        identifier = xliff.unit_id(entry) if entry is not None else ""
        if identifier in touched:
            found.append(f"{source.where(identifier)}: {message}")
    return catalog, (*problems, *found)


def _msgfmt(path: Path) -> list[tuple[int, str]]:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    found = re.findall(rf"^{re.escape(str(path))}:(\d+): (.*)$", result.stderr, re.MULTILINE)
    return [(int(line), f"msgfmt: {message}") for line, message in found]


def _approve(
    source: Source,
    record: dict[reviews.Key, reviews.Review],
    approvals: list[Message],
    catalog: Catalog,
    reviewer: str,
    date: datetime.date,
) -> tuple[dict[reviews.Key, reviews.Review], tuple[str, ...]]:
    """The record with these approvals, and the approvals it cannot take."""
    updated = dict(record)
    problems = []
    for message in approvals:
        key = reviews.key_of(message)
        if not catalog.usable(key[1]):
            problems.append(f"{source.where(xliff.unit_id(message))}: approved, but still fuzzy or not usable")
            continue
        entry = record.get(key)
        if entry is None or entry.digest != reviews.digest(message):
            updated[key] = reviews.approve(message, reviewer, date)
    return updated, tuple(problems)


def _current_keys(entries: list[Message]) -> set[reviews.Key]:
    """Keys a record entry may still matter for: current messages and msgmerge's previous msgids."""
    keys = {reviews.key_of(message) for message in entries}
    return keys | {key for key in map(reviews.previous_key, entries) if key is not None}
