"""python -m webapp reach: rounded views from the app's file and from nginx reach logs (plain,
rotated, gzipped), a real nginx serving the export writing such a log, and the refusals."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import sqlite3
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.parallel import one_worker
from tests.publishing.test_export import fetch
from tests.servers import start, wait_until_answering
from tests.tools import find, free_port
from webapp import reach
from webapp.cli import main
from webapp.publishing import reach_report
from webapp.publishing.export import export, standalone_nginx_conf
from webapp.settings import ROOT, Settings

pytestmark = one_worker("reach-report")
SNIPPET = """\
# Reach counts (optional): only the month, the status and the path (no query string) of each GET.
map $time_iso8601 $trygg_month { default ""; "~^(?<ym>\\d{4}-\\d{2})" $ym; }
map $request_method $trygg_counted { default 0; GET 1; }
log_format trygg_reach '$trygg_month $status $uri';
# access_log /var/log/nginx/trygg-reach.log trygg_reach if=$trygg_counted;
"""


@pytest.mark.parametrize(
    ("views", "shown"), [(0, "<10"), (5, "<10"), (9, "<10"), (10, "10"), (14, "10"), (15, "20"), (25, "30")]
)
def test_views_are_rounded_to_ten_halves_up_and_small_ones_hidden(views: int, shown: str) -> None:
    assert reach_report.shown(views) == shown
    assert reach_report.rounded(views) == (0 if shown == "<10" else int(shown))


LOG = """\
2026-12 200 /sv/index.html
2026-12 200 /sv/
2026-12 200 /ar/plain.html
2026-12 200 /ar/plain
2026-11 200 /uk/languages.html
2026-12 404 /sv/404.html
2026-12 304 /sv/index.html
2026-12 301 /SV/
2026-12 302 /
2026-12 200 /healthz
2026-12 200 /static/site.0123abcd.css
2026-12 200 /sv
2026-12 200 /sv/index.htm
2026-12 200 /xx/
 200 /sv/
2026-13 200 /sv/
2026-12 200 /sv/ extra
127.0.0.1 - - [03/Dec/2026:10:00:00 +0100] "GET /sv/ HTTP/1.1" 200 100
"""


def test_a_log_in_the_reach_format_counts_pages_answered_200(tmp_path: Path) -> None:
    log = tmp_path / "trygg-reach.log"
    log.write_text(LOG)
    tally = reach_report.Tally()
    reach_report.read_log(log, tally)
    assert tally.views == {
        ("2026-12", "sv", "standard"): 2,
        ("2026-12", "ar", "plain"): 2,
        ("2026-11", "uk", "languages"): 1,
    }
    assert tally.malformed == 4


def test_rotated_and_gzipped_logs_are_read_and_summed_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "trygg-reach.log").write_text("2026-12 200 /sv/index.html\n")
    (tmp_path / "trygg-reach.log.1").write_text("2026-12 200 /sv/index.html\n" * 3)
    (tmp_path / "trygg-reach.log.2.gz").write_bytes(gzip.compress(b"2026-12 200 /sv/index.html\n" * 10))
    db = tmp_path / "reach.db"
    reach.add(db, {("2026-12", "sv", "standard"): 100, ("2026-12", "fi", "safety"): 2})
    tally = reach_report.collect(db, sorted(tmp_path.glob("trygg-reach.log*")))
    assert tally.views == {("2026-12", "sv", "standard"): 114, ("2026-12", "fi", "safety"): 2}


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path | None, *args: str
) -> tuple[int, str, str]:
    if db is None:
        monkeypatch.delenv("TRYGG_REACH_DB", raising=False)
    else:
        monkeypatch.setenv("TRYGG_REACH_DB", str(db))
    code = main(["reach", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_report_prints_rounded_views_as_a_table_and_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "reach.db"
    reach.add(db, {("2026-12", "so", "standard"): 14, ("2026-12", "ti", "plain"): 9, ("2026-11", "so", "standard"): 3})
    log = tmp_path / "reach.log.gz"
    log.write_bytes(gzip.compress(b"2026-12 200 /so/index.html\nnot a line\n"))
    code, out, err = run(capsys, monkeypatch, db, "--nginx-log", str(log))
    assert code == 0
    assert [line.split() for line in out.splitlines()] == [
        ["month", "locale", "page", "views"],
        ["2026-11", "so", "standard", "<10"],
        ["2026-12", "so", "standard", "20"],
        ["2026-12", "ti", "plain", "<10"],
    ]
    assert err == "1 log lines not in the reach format were skipped\n"
    code, out, err = run(capsys, monkeypatch, db, "--month", "2026-12", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [
        {"month": "2026-12", "locale": "so", "page": "standard", "views": "10"},
        {"month": "2026-12", "locale": "ti", "page": "plain", "views": "<10"},
    ]


def corrupt_gzip(path: Path) -> None:
    path.write_bytes(gzip.compress(b"2026-12 200 /sv/\n" * 100)[:40])


def not_gzip(path: Path) -> None:
    path.write_bytes(b"\x1f\x8bnot gzip at all")


def corrupt_db(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 16)


def foreign_db(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE visits (address TEXT)")
        connection.commit()


@pytest.mark.parametrize(
    ("make", "db", "args", "line"),
    [
        (None, None, ["--month", "2026-13"], "--month 2026-13: not a month (YYYY-MM)"),
        (None, None, ["--month", "december"], "--month december: not a month (YYYY-MM)"),
        (None, None, [], "nothing to read: set TRYGG_REACH_DB or give --nginx-log FILE"),
        (None, "{tmp}/x", [], "{tmp}/x: no such file of reach counts"),
        (corrupt_db, "{tmp}/x", [], "{tmp}/x: cannot read reach counts: file is not a database"),
        (foreign_db, "{tmp}/x", [], "{tmp}/x: cannot read reach counts: not a file of reach counts"),
        (None, None, ["--nginx-log", "{tmp}/x"], "{tmp}/x: cannot read the log: No such file or directory"),
        (corrupt_gzip, None, ["--nginx-log", "{tmp}/x"], "{tmp}/x: cannot read the log: Compressed file ended"),
        (not_gzip, None, ["--nginx-log", "{tmp}/x"], "{tmp}/x: cannot read the log: Unknown compression method"),
    ],
)
def test_refusals_are_one_line_and_exit_2(
    make: Callable[[Path], None] | None,
    db: str | None,
    args: list[str],
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if make is not None:
        make(tmp_path / "x")
    db_path = None if db is None else Path(db.format(tmp=tmp_path))
    code, out, err = run(capsys, monkeypatch, db_path, *(arg.format(tmp=tmp_path) for arg in args))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith(line.format(tmp=tmp_path)), err


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    export(Settings(base_url="https://trygg.example"), root)
    return root


def test_the_export_offers_exactly_the_reach_snippet(exported: Path) -> None:
    assert SNIPPET in (exported / "nginx.conf").read_text()
    assert SNIPPET in (ROOT / "webapp" / "publishing" / "nginx.conf.jinja").read_text()


def turned_on(conf: str, log: Path) -> str:
    """The configuration with the reach log turned on the way its comment says."""
    line = re.search(r"^# (access_log \S+ trygg_reach if=\$trygg_counted;)$", conf, re.MULTILINE)
    assert line is not None
    on = line.group(1).replace("/var/log/nginx/trygg-reach.log", str(log))
    return re.sub(r"access_log off;.*", on, conf)


def test_a_real_nginx_serving_the_export_writes_a_log_the_report_reads(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = find("nginx", "/usr/sbin")
    port = free_port()
    log = tmp_path / "trygg-reach.log"
    conf = tmp_path / "nginx.conf"
    conf.write_text(turned_on(standalone_nginx_conf(exported, tmp_path, port, connections=64), log))
    process = start([binary, "-p", str(tmp_path), "-c", str(conf)], output=subprocess.PIPE)
    site = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{site}/healthz", process, seconds=10)
        etag = fetch(f"{site}/sv/")[1]["etag"]
        css = re.search(r'/static/[^"]+\.css', fetch(f"{site}/sv/")[2].decode()).group(0)  # type: ignore[union-attr]
        statuses = Counter(
            fetch(site + path, headers)[0]
            for path, headers in [
                ("/sv/?q=needle", {"user-agent": "TraceAgent/7.3", "referer": "https://ref.example/x"}),
                ("/ar/plain", {"accept-encoding": "gzip"}),
                ("/ar/plain", {}),
                ("/uk/languages", {}),
                ("/sv/", {"if-none-match": etag}),
                ("/sv/nope", {}),
                ("/", {}),
                ("/languages", {}),
                ("/SV/", {}),
                (css, {}),
            ]
        )
        request = urllib.request.Request(f"{site}/fi/", method="HEAD")
        with urllib.request.urlopen(request) as head:
            assert head.status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert statuses == {200: 5, 304: 1, 404: 1, 302: 2, 301: 1}
    text = log.read_text()
    assert "needle" not in text and "TraceAgent" not in text and "127.0.0.1" not in text
    month = reach.month_of(time.time())
    assert f"{month} 200 /sv/index.html\n" in text
    code, out, err = run(capsys, monkeypatch, None, "--json", "--nginx-log", str(log))
    assert (code, err) == (0, "")
    assert json.loads(out) == [
        {"month": month, "locale": "ar", "page": "plain", "views": "<10"},
        {"month": month, "locale": "sv", "page": "standard", "views": "<10"},
        {"month": month, "locale": "uk", "page": "languages", "views": "<10"},
    ]
    tally = reach_report.Tally()
    reach_report.read_log(log, tally)
    assert tally.views == {(month, "ar", "plain"): 2, (month, "sv", "standard"): 3, (month, "uk", "languages"): 1}
