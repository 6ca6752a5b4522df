"""Reach counts: how often each page is read, per month and language, and nothing else.

A view is one GET of a page answered 200 (webapp.fast counts it). The key is (month, locale,
page name): no address, agent, referrer, query, day or time, so the store can place nobody.
Counts are added in memory on the request path, and written to an SQLite file (TRYGG_REACH_DB)
every minute and when the server stops gracefully, in a thread so that a slow or broken file
never holds up a page. Several processes add to one file: each write is one upserting
transaction, and counts leave memory only once it is committed. When the file cannot be written
(locked, full, read-only, corrupt, another program's), one line is logged, counting goes on in
memory and the write is tried again next time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

from starlette.types import ASGIApp

log = logging.getLogger(__name__)

Key = tuple[str, str, str]  # (month "YYYY-MM", locale code, page name)
Served = tuple[str, str]  # (locale code, page name)
SECONDS = 60.0
BUSY_SECONDS = 5.0
TABLE = "reach"
COLUMNS = ("month", "locale", "page", "views")
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    month TEXT NOT NULL, locale TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL,
    PRIMARY KEY (month, locale, page)
) WITHOUT ROWID"""
UPSERT = (
    f"INSERT INTO {TABLE} (month, locale, page, views) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (month, locale, page) DO UPDATE SET views = views + excluded.views"
)


class ForeignFileError(sqlite3.DatabaseError):
    """The file is a database, but not one of reach counts: it is never written to."""


def month_of(seconds: float) -> str:
    """The month of a moment in local time, as nginx's $time_iso8601 gives it."""
    return time.strftime("%Y-%m", time.localtime(seconds))


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection that waits for other writers; the file must hold reach counts or nothing."""
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", BUSY_SECONDS, uri=True)
    else:
        connection = sqlite3.connect(path, BUSY_SECONDS, isolation_level=None)
    try:
        check_schema(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def tables(connection: sqlite3.Connection) -> set[str]:
    return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def check_schema(connection: sqlite3.Connection) -> None:
    found = tables(connection)
    columns = tuple(row[1] for row in connection.execute(f"PRAGMA table_info({TABLE})"))
    if found - {TABLE} or (TABLE in found and columns != COLUMNS):
        raise ForeignFileError("not a file of reach counts: it holds other tables or columns")


def create(path: Path) -> None:
    """A new file readable by the service's own user only (SQLite gives its -wal and -shm the
    same mode); an existing one is left as it is."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def add(path: Path, counts: Mapping[Key, int]) -> None:
    """Add ``counts`` to the file in one transaction, creating it (WAL) if it is new."""
    create(path)
    connection = connect(path)
    try:
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(SCHEMA)
            check_schema(connection)
            connection.executemany(UPSERT, ((*key, views) for key, views in counts.items()))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


def stored(path: Path) -> dict[Key, int]:
    """Every count in the file, read without writing anything; raises sqlite3.Error if the file
    is missing, corrupt or another program's."""
    connection = connect(path, read_only=True)
    try:
        if TABLE not in tables(connection):
            return {}
        return {(m, c, p): n for m, c, p, n in connection.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE}")}
    finally:
        connection.close()


Counted = dict[str, dict[Served, int]]  # month: views of each (locale code, page)


def rows(counted: Counted) -> dict[Key, int]:
    return {(month, code, page): n for month, views in counted.items() for (code, page), n in views.items()}


class Reach:
    """The counts of one process, and writing them to the file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pending: Counted = {}
        self.failing = False
        self._next_month()

    def _next_month(self) -> None:
        """The month views count for: read again at every write, so a new month starts within
        a minute, and a view costs no clock read."""
        self.month = month_of(time.time())
        self.current = self.pending.setdefault(self.month, {})

    def count(self, served: Served) -> None:
        """One view; on the request path, so only a dict add."""
        self.current[served] = self.current.get(served, 0) + 1

    def take(self) -> Counted:
        """Everything counted so far, leaving nothing in memory."""
        taken, self.pending = self.pending, {}
        self._next_month()
        return taken

    def give_back(self, taken: Counted) -> None:
        for month, views in taken.items():
            kept = self.pending.setdefault(month, {})
            for served, n in views.items():
                kept[served] = kept.get(served, 0) + n

    async def write(self) -> None:
        """Add what was counted to the file; kept in memory, to be tried again, if that fails."""
        taken = self.take()
        counts = rows(taken)
        if not counts:
            return
        try:
            await asyncio.to_thread(add, self.path, counts)
        except (sqlite3.Error, OSError) as error:
            self.give_back(taken)
            self._failed(error)
        else:
            self._written()

    def _failed(self, error: Exception) -> None:
        if not self.failing:
            log.error(
                "reach counts: cannot write to %s (%s); counting goes on in memory and the write is retried",
                self.path,
                error,
            )
        self.failing = True

    def _written(self) -> None:
        if self.failing:
            log.info("reach counts: written to %s again", self.path)
        self.failing = False

    async def keep_writing(self, stop: asyncio.Event, seconds: float = SECONDS) -> None:
        """Write every ``seconds`` and once more when ``stop`` is set (the server is stopping)."""
        stopping = False
        while not stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)
            stopping = stop.is_set()  # before writing: views counted during the write get one more
            await self.write()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: ASGIApp) -> AsyncIterator[None]:
        """Starlette's lifespan: uvicorn re-raises SIGTERM after a graceful shutdown, so nothing
        registered with atexit would run; the lifespan's shutdown does."""
        stop = asyncio.Event()
        writer = asyncio.create_task(self.keep_writing(stop))
        try:
            yield
        finally:
            stop.set()
            await writer
