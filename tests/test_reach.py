"""Reach counts: a file holds only (month, locale, page, views); what a request carries (address,
agent, referrer, query) never reaches it; counts survive a graceful stop and add up across
workers; and a broken file never touches a page."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.client
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import app_client
from tests.servers import start, wait_until_answering
from tests.tools import free_port, start_server
from webapp import reach
from webapp.app import create_app
from webapp.settings import Settings

MONTH = reach.month_of(time.time())


def counting(db: Path) -> Settings:
    return Settings(base_url="https://trygg.example", reach_db=db)


def test_only_a_get_answered_200_with_a_page_counts(tmp_path: Path) -> None:
    db = tmp_path / "reach.db"
    with app_client(counting(db)) as client:
        page = client.get("/sv/")
        css = re.search(r'/static/[^"]+\.css', page.text).group(0)  # type: ignore[union-attr]
        for path in ("/sv/", "/ar/plain", "/ar/plain?q=1", "/uk/safety", "/uk/languages"):
            assert client.get(path).status_code == 200
        assert client.head("/fi/").status_code == 200
        assert client.get("/sv/", headers={"if-none-match": page.headers["etag"]}).status_code == 304
        assert client.get(css).status_code == client.get("/healthz").status_code == 200
        assert client.get("/sv/nope").status_code == client.get("/xx/nope").status_code == 404
        assert client.get("/").status_code == client.get("/languages").status_code == 302
        assert client.get("/SV/").status_code == client.get("/fi").status_code == 301
        assert client.post("/fi/").status_code == 405
    assert reach.stored(db) == {
        (MONTH, "sv", "standard"): 2,
        (MONTH, "ar", "plain"): 2,
        (MONTH, "uk", "safety"): 1,
        (MONTH, "uk", "languages"): 1,
    }


def test_the_file_holds_only_month_locale_page_and_views(tmp_path: Path) -> None:
    db = tmp_path / "reach.db"
    with app_client(counting(db)) as client:
        client.get("/so/")
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT type, name FROM sqlite_master").fetchall() == [("table", "reach")]
    columns = [(name, kind, key) for _, name, kind, _, _, key in connection.execute("PRAGMA table_info(reach)")]
    assert columns == [("month", "TEXT", 1), ("locale", "TEXT", 2), ("page", "TEXT", 3), ("views", "INTEGER", 0)]
    assert connection.execute("SELECT * FROM reach").fetchall() == [(MONTH, "so", "standard", 1)]
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()
    assert db.stat().st_mode & 0o777 == 0o600


def test_no_view_no_file(tmp_path: Path) -> None:
    db = tmp_path / "reach.db"
    with app_client(counting(db)) as client:
        assert client.get("/healthz").status_code == client.head("/sv/").status_code == 200
    assert not db.exists()


def test_writes_add_to_what_the_file_holds(tmp_path: Path) -> None:
    db = tmp_path / "reach.db"
    reach.add(db, {("2026-11", "ar", "plain"): 3})
    reach.add(db, {("2026-11", "ar", "plain"): 4, ("2026-12", "ar", "plain"): 1})
    assert reach.stored(db) == {("2026-11", "ar", "plain"): 7, ("2026-12", "ar", "plain"): 1}


def test_a_new_file_holds_no_counts_yet(tmp_path: Path) -> None:
    db = tmp_path / "reach.db"
    sqlite3.connect(db).close()
    assert reach.stored(db) == {}


def moment(year: int, month: int, day: int, hour: int) -> float:
    return time.mktime((year, month, day, hour, 0, 0, 0, 0, -1))


def test_a_month_ends_at_local_midnight_before_the_first() -> None:
    assert reach.month_of(moment(2026, 12, 31, 23) + 3599) == "2026-12"
    assert reach.month_of(moment(2027, 1, 1, 0)) == "2027-01"


def test_each_write_moves_on_to_the_month_it_is(tmp_path: Path) -> None:
    counts = reach.Reach(tmp_path / "reach.db")
    counts.month, counts.current = "2026-01", counts.pending.setdefault("2026-01", {})  # as if written in January
    counts.count(("sv", "standard"))
    assert reach.rows(counts.take()) == {("2026-01", "sv", "standard"): 1}
    counts.count(("sv", "standard"))
    assert reach.rows(counts.take()) == {(MONTH, "sv", "standard"): 1}


def test_counts_are_written_every_interval_and_once_more_on_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reach, "BUSY_SECONDS", 60.0)
    db = tmp_path / "reach.db"
    reach.add(db, {})

    async def run() -> None:
        counts = reach.Reach(db)
        stop = asyncio.Event()
        writer = asyncio.create_task(counts.keep_writing(stop, seconds=0.05))
        counts.count(("sv", "standard"))
        while not reach.stored(db):
            await asyncio.sleep(0.02)
        assert reach.stored(db) == {(MONTH, "sv", "standard"): 1}  # written while still serving
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        counts.count(("sv", "standard"))
        await asyncio.sleep(0.5)  # the next write has taken it and waits for the lock
        counts.count(("sv", "standard"))
        stop.set()  # the server stops during that write
        other.execute("ROLLBACK")
        other.close()
        await writer

    # On a thread of its own: a Playwright browser test before it on this worker leaves its event
    # loop running in the main thread, where asyncio.run refuses to start.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(run(), 60)).result()
    assert reach.stored(db) == {(MONTH, "sv", "standard"): 3}


# Each way a file can be unusable, and how an operator puts it right.
Breaker = Callable[[Path], Callable[[], object]]


def locked(db: Path) -> Callable[[], object]:
    """Another connection holds a write transaction open."""
    reach.add(db, {})
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO reach VALUES ('2000-01', 'sv', 'standard', 1)")

    def fix() -> None:
        other.execute("ROLLBACK")
        other.close()

    return fix


def read_only(db: Path) -> Callable[[], object]:
    """No write permission; root writes through any mode, so for root the file is immutable."""
    reach.add(db, {})
    db.chmod(0o400)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(db)], check=True)

    def fix() -> None:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        db.chmod(0o600)

    return fix


def corrupt(db: Path) -> Callable[[], object]:
    db.write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 16)
    return lambda: db.rename(db.with_name("broken.db"))


def foreign_table(db: Path) -> Callable[[], object]:
    """A table named like ours, with a column that must never exist."""
    with contextlib.closing(sqlite3.connect(db)) as other:
        other.execute("CREATE TABLE reach (month, locale, page, views, address)")
        other.commit()
    return lambda: db.rename(db.with_name("foreign.db"))


def another_programs(db: Path) -> Callable[[], object]:
    with contextlib.closing(sqlite3.connect(db)) as other:
        other.execute("CREATE TABLE users (name TEXT)")
        other.execute("INSERT INTO users VALUES ('someone')")
        other.commit()
    return lambda: db.rename(db.with_name("theirs.db"))


def missing_folder(db: Path) -> Callable[[], object]:
    return lambda: db.parent.mkdir()


@contextlib.contextmanager
def broken(breaker: Breaker, db: Path) -> Iterator[Callable[[], object]]:
    """The file broken by ``breaker``; fixed when the test calls the fix, or at the end anyway."""
    fix = breaker(db)
    fixed = False

    def fix_once() -> None:
        nonlocal fixed
        if not fixed:
            fixed = True
            fix()

    try:
        yield fix_once
    finally:
        fix_once()


@pytest.mark.parametrize("breaker", [locked, read_only, corrupt, foreign_table, another_programs, missing_folder])
def test_a_broken_file_never_touches_a_page(
    breaker: Breaker,
    tmp_path: Path,
    client: TestClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reach, "BUSY_SECONDS", 0.2)  # how long a write waits for a lock
    db = tmp_path / ("state" if breaker is missing_folder else "") / "reach.db"
    app = create_app(counting(db))
    caplog.set_level(logging.INFO, "webapp.reach")
    with broken(breaker, db) as fix:
        before = db.read_bytes() if db.exists() else b""
        for _ in range(2):  # two stops, so two failed writes
            with TestClient(app) as serving:
                for path in ("/sv/", "/ar/plain"):
                    answer = serving.get(path)
                    assert (answer.status_code, answer.content) == (200, client.get(path).content)
        assert [(r.levelno, r.getMessage().split(" (")[0]) for r in caplog.records] == [
            (logging.ERROR, f"reach counts: cannot write to {db}")
        ]
        if breaker in (corrupt, foreign_table, another_programs):
            assert db.read_bytes() == before  # never written to
        fix()
    with TestClient(app):
        pass
    assert reach.stored(db) == {(MONTH, "sv", "standard"): 2, (MONTH, "ar", "plain"): 2}
    assert caplog.records[-1].getMessage() == f"reach counts: written to {db} again"


# What a request carries that could point at a reader: none of it may reach the state folder.
AGENT = "TraceAgent/7.3 (reader-device-5521)"
REFERRER = "https://referrer.example/came-from-here"
FORWARDED = "203.0.113.77"
QUERY = "needle=q9z4"
ADDRESSES = ("127.0.0.2", "127.0.0.3")


def get(port: int, path: str, address: str = "127.0.0.1", headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(address, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)


def test_no_address_agent_referrer_or_query_reaches_the_state_folder(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    db = state / "reach.db"
    reach.add(db, {})
    # A reader holding a snapshot keeps what the server writes in reach.db-wal, to be read there.
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM reach")
    port = free_port()
    server = start_server(port, env={"TRYGG_REACH_DB": str(db)})
    try:
        headers = {"User-Agent": AGENT, "Referer": REFERRER, "X-Forwarded-For": FORWARDED, "Cookie": QUERY}
        for address in ADDRESSES:
            assert get(port, f"/sv/?{QUERY}", address, headers) == 200
            assert get(port, f"/ti/plain?{QUERY}", address, headers) == 200
    finally:
        stop(server)
    files = {path.name: path.read_bytes() for path in state.iterdir()}
    assert set(files) == {"reach.db", "reach.db-wal", "reach.db-shm"} and files["reach.db-wal"]
    markers = [AGENT, "reader-device", REFERRER, "referrer.example", FORWARDED, QUERY, "q9z4", *ADDRESSES]
    markers.append(time.strftime("%Y-%m-%d"))  # nothing finer than the month
    for name, data in files.items():
        for marker in markers:
            assert marker.encode() not in data, (name, marker)
            assert marker.encode("utf-16-le") not in data, (name, marker)
    reader.execute("COMMIT")
    reader.close()
    assert reach.stored(db) == {(MONTH, "sv", "standard"): 2, (MONTH, "ti", "plain"): 2}


def test_counts_survive_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "reach.db"
    port = free_port()
    server = start_server(port, env={"TRYGG_REACH_DB": str(db)})
    try:
        for path in ("/sv/", "/sv/", "/sv/", "/fa/safety", "/fa/safety", "/en/accessibility", "/sv/nope"):
            get(port, path)
    finally:
        stop(server)
    assert reach.stored(db) == {
        (MONTH, "sv", "standard"): 3,
        (MONTH, "fa", "safety"): 2,
        (MONTH, "en", "accessibility"): 1,
    }


def processes_under(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(child) for task in tasks.iterdir() for child in (task / "children").read_text().split()]


def worker_of(server: subprocess.Popen[bytes], port: int, connection: http.client.HTTPConnection) -> int:
    """The process under ``server`` that holds the other end of ``connection`` (from /proc)."""
    client_port = connection.sock.getsockname()[1]
    rows = (line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:])
    inode = next(r[9] for r in rows if r[1].endswith(f":{port:04X}") and r[2].endswith(f":{client_port:04X}"))
    for pid in processes_under(server.pid):
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) == f"socket:[{inode}]" for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return pid
    raise AssertionError("no worker holds the connection")


def get_from_worker(server: subprocess.Popen[bytes], port: int, path: str) -> tuple[int, int]:
    """The status of a GET on a new connection, and the worker that answered it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, worker_of(server, port, connection)
    finally:
        connection.close()


def test_two_workers_add_to_one_file(tmp_path: Path) -> None:
    """Each request on a new connection, once both workers answer; both count, the sum is exact."""
    db = tmp_path / "reach.db"
    port = free_port()
    command = [sys.executable, "-m", "webapp", "serve", "--port", str(port), "--workers", "2"]
    server = start(command, env={"TRYGG_REACH_DB": str(db)})
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, seconds=60)
        deadline = time.monotonic() + 60
        while len({get_from_worker(server, port, "/healthz")[1] for _ in range(10)}) < 2:
            assert time.monotonic() < deadline, "the second worker never answered"
        answers = [get_from_worker(server, port, path) for _ in range(40) for path in ("/so/", "/uk/plain")]
    finally:
        stop(server)
    assert {status for status, _ in answers} == {200}
    assert len({worker for _, worker in answers}) == 2
    assert reach.stored(db) == {(MONTH, "so", "standard"): 40, (MONTH, "uk", "plain"): 40}
