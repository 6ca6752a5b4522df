"""python -m webapp reach: the municipality's report of how often each page is read.

The views come from the app's file of counts (TRYGG_REACH_DB, webapp.reach) and from nginx logs
in the reach format of the shipped configurations (``YYYY-MM STATUS PATH``, plain, rotated or
gzipped), summed. A log line counts when nginx answered 200 with a page: a page's path
(/sv/plain) or, in the static export, the file nginx served for it (/sv/plain.html). Every figure
that leaves is rounded to the nearest 10, halves up, and shown as "<10" below 10: a small exact
count could point at one household.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from webapp import reach
from webapp.locales import PUBLISHED
from webapp.pages import PAGES

Key = reach.Key
MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
LINE = re.compile(rb"(\d{4}-(?:0[1-9]|1[0-2])) (\d{3}) (\S+)\r?\n?")
PAGE_PATHS = {
    path: (info.code, page.name)
    for info in PUBLISHED
    for page in PAGES
    for path in (page.path(info.code), "/" + page.export_file(info.code))
}
COLUMNS = (("month", 8), ("locale", 7), ("page", 14), ("views", 6))


class SourceError(Exception):
    """A file of counts or a log that cannot be read; the message is one line."""


@dataclass
class Tally:
    """Views per (month, locale, page), and how many log lines were not in the reach format."""

    views: Counter[Key] = field(default_factory=Counter)
    malformed: int = 0


def rounded(views: int) -> int:
    """To the nearest 10, halves up; 0 below 10, which is never shown as a number."""
    return 0 if views < 10 else (views + 5) // 10 * 10


def shown(views: int) -> str:
    return "<10" if views < 10 else str(rounded(views))


def collect(db: Path | None, logs: Iterable[Path]) -> Tally:
    tally = Tally()
    if db is not None:
        tally.views.update(read_db(db))
    for log in logs:
        read_log(log, tally)
    return tally


def read_db(path: Path) -> dict[Key, int]:
    if not path.is_file():
        raise SourceError(f"{path}: no such file of reach counts")
    try:
        return reach.stored(path)
    except sqlite3.Error as error:
        raise SourceError(f"{path}: cannot read reach counts: {error}") from error


def read_log(path: Path, tally: Tally) -> None:
    try:
        with _open(path) as lines:
            for line in lines:
                _tally_line(line, tally)
    except (OSError, EOFError, zlib.error) as error:
        raise SourceError(f"{path}: cannot read the log: {getattr(error, 'strerror', None) or error}") from error


def _open(path: Path) -> gzip.GzipFile | io.BufferedReader:
    """A log as it is, or gunzipped when it starts like gzip (logrotate's .gz files)."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def _tally_line(line: bytes, tally: Tally) -> None:
    match = LINE.fullmatch(line)
    if match is None:
        tally.malformed += 1
        return
    month, status, path = match.groups()
    page = PAGE_PATHS.get(path.decode("ascii", "replace"))
    if status == b"200" and page is not None:
        tally.views[(month.decode(), *page)] += 1


def rows(views: Counter[Key], month: str | None = None) -> list[tuple[str, str, str, str]]:
    """(month, locale, page, views as shown), sorted; only ``month`` if given."""
    return [(*key, shown(n)) for key, n in sorted(views.items()) if month is None or key[0] == month]


def table(found: list[tuple[str, str, str, str]]) -> Iterator[str]:
    yield _line([name for name, _ in COLUMNS])
    for row in found:
        yield _line(row)


def _line(cells: Iterable[str]) -> str:
    parts = zip(cells, COLUMNS, strict=True)
    return " ".join(f"{cell:>{width}}" if name == "views" else f"{cell:<{width}}" for cell, (name, width) in parts)


def as_json(found: list[tuple[str, str, str, str]]) -> str:
    names = [name for name, _ in COLUMNS]
    return json.dumps([dict(zip(names, row, strict=True)) for row in found], indent=2)
