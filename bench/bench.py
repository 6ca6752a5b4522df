"""make bench: requests/s, p50 and p99 of the site against a baseline measured in the same run.

On loopback, one uvicorn worker each, wrk as the client (Debian package wrk):
  baseline    a bare Starlette endpoint returning the same bytes as /sv/ (bench/baseline.py)
  /sv/        the site's standard page
  /ar/plain   a right-to-left easy-to-read page
  /xx/nope    a 404 page
  /sv/ br     the standard page, brotli
  counting on /sv/ and /ar/plain again, from a server with reach counts on (TRYGG_REACH_DB)
  nginx       the static export served by Debian's nginx (when nginx is installed)
Then start-up time (process start to first answer) and resident memory with every page of every
locale rendered. Ratios, not absolute numbers, are what compare across machines: these machines
are shared and noisy.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Message

from tests.servers import free_port, start
from tests.servers import wait_until_answering as wait_up
from webapp.app import create_app
from webapp.locales import PUBLISHED
from webapp.pages import PAGES
from webapp.publishing.export import export, standalone_nginx_conf
from webapp.reach import Reach
from webapp.settings import Settings

DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
COUNTING = ", counting on"


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float


def uvicorn(app: str, port: int, env: dict[str, str] | None = None, factory: bool = False) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--port",
        str(port),
        "--no-access-log",
        "--no-server-header",
        "--log-level",
        "warning",
    ]
    return start(command + (["--factory"] if factory else []), env)


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(name: str, url: str, headers: tuple[str, ...] = ()) -> Result:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    subprocess.run([*command[:-1], "-d1s", url], capture_output=True, check=True)  # warm up
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", out, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    if errors and "404" not in name:
        print(f"  {name}: {errors.group(0)}")
    return Result(name, rps, to_ms(*p50.groups()), to_ms(*p99.groups()))  # type: ignore[union-attr]


def rounds(targets: list[tuple[str, str, tuple[str, ...]]]) -> tuple[list[Result], dict[str, list[Result]]]:
    """Each target ROUNDS times, interleaved, so that a noisy moment hits every target alike;
    the median round of each is reported, and every round is returned for paired ratios."""
    runs: dict[str, list[Result]] = {name: [] for name, _, _ in targets}
    for _ in range(ROUNDS):
        for name, url, headers in targets:
            runs[name].append(wrk(name, url, headers))
    return [sorted(found, key=lambda r: r.rps)[len(found) // 2] for found in runs.values()], runs


def counting_ratios(results: list[Result]) -> str:
    by_name = {r.name: r.rps for r in results}
    return ", ".join(
        f"{name.removesuffix(COUNTING)} {rps / by_name[name.removesuffix(COUNTING)]:.3f}"
        for name, rps in by_name.items()
        if name.endswith(COUNTING)
    )


async def answer_seconds(app: ASGIApp, path: str, times: int) -> float:
    """Seconds per GET of ``path`` through the whole app, called in process: no network, no
    client, so the cost of counting is not hidden in the noise of a shared machine."""
    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}
    scope |= {"http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1)}

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    start = time.perf_counter()
    for _ in range(times):
        await app(dict(scope), receive, send)
    return (time.perf_counter() - start) / times


def count_seconds(work: Path, times: int = 200_000) -> float:
    """Seconds to count one view (Reach.count), the best of 5 runs."""
    counts = Reach(work / "unused.db")
    key = ("sv", "standard")
    return min(timeit.repeat(lambda: counts.count(key), number=times, repeat=5)) / times


def in_process(work: Path, times: int = 2000, rounds: int = 31) -> tuple[float, float]:
    """µs per answer of /sv/ with counting off and on: the fastest of many short interleaved
    rounds, the one least disturbed by whatever else the machine runs."""
    off = create_app(Settings())
    on = create_app(Settings(reach_db=work / "in-process.db"))
    for app in (off, on):
        asyncio.run(answer_seconds(app, "/sv/", 100))  # renders and compresses the page once
    found: dict[bool, list[float]] = {False: [], True: []}
    for round_ in range(rounds):
        for counting, app in ((False, off), (True, on))[:: 1 if round_ % 2 else -1]:  # each goes first in turn
            found[counting].append(asyncio.run(answer_seconds(app, "/sv/", times)) * 1e6)
    return min(found[False]), min(found[True])


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def startup_and_memory(port: int) -> tuple[float, float, float]:
    """Median start-up time of 5 starts; RSS after start and with every page rendered."""
    times = []
    for _ in range(5):
        process = start([sys.executable, "-m", "webapp", "serve", "--port", str(port)])
        times.append(wait_up(f"http://127.0.0.1:{port}/healthz"))
        process.terminate()
        process.wait()
    process = start([sys.executable, "-m", "webapp", "serve", "--port", str(port)])
    wait_up(f"http://127.0.0.1:{port}/healthz")
    before = rss_mb(process.pid)
    for info in PUBLISHED:
        for page in PAGES:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{page.path(info.code)}").read()
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/{info.code}/nope")
    after = rss_mb(process.pid)
    process.terminate()
    process.wait()
    return statistics.median(times), before, after


def nginx_server(root: Path, port: int) -> subprocess.Popen[bytes] | None:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        return None
    prefix = root.parent / "nginx"
    prefix.mkdir(exist_ok=True)
    (prefix / "nginx.conf").write_text(standalone_nginx_conf(root, prefix, port))
    process = start([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")])
    wait_up(f"http://127.0.0.1:{port}/healthz")
    return process


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk (make bench installs it as root)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    settings = Settings()
    export(settings, work / "site")
    body = work / "site" / "sv" / "index.html"
    ports = [free_port() for _ in range(5)]
    processes = [
        uvicorn("bench.baseline:app", ports[0], {"TRYGG_BENCH_BODY": str(body)}),
        uvicorn("webapp.app:create_app", ports[1], factory=True),
        uvicorn("webapp.app:create_app", ports[4], {"TRYGG_REACH_DB": str(work / "reach.db")}, factory=True),
    ]
    nginx = nginx_server(work / "site", ports[2])
    try:
        base, site, counted = (f"http://127.0.0.1:{port}" for port in (*ports[:2], ports[4]))
        wait_up(f"{base}/sv/")
        wait_up(f"{site}/healthz")
        wait_up(f"{counted}/healthz")
        targets: list[tuple[str, str, tuple[str, ...]]] = [
            ("baseline (Starlette, bytes)", f"{base}/sv/", ()),
            ("/sv/", f"{site}/sv/", ()),
            (f"/sv/{COUNTING}", f"{counted}/sv/", ()),
            ("/ar/plain", f"{site}/ar/plain", ()),
            (f"/ar/plain{COUNTING}", f"{counted}/ar/plain", ()),
            ("404 /xx/nope", f"{site}/xx/nope", ()),
            ("/sv/ brotli", f"{site}/sv/", ("Accept-Encoding: br",)),
        ]
        if nginx is not None:
            targets.append(("nginx, static export", f"http://127.0.0.1:{ports[2]}/sv/", ()))
        results, _ = rounds(targets)
    finally:
        for process in [*processes, *([nginx] if nginx else [])]:
            process.terminate()
            process.wait()
    startup, rss_start, rss_all = startup_and_memory(ports[3])
    report(results, startup, rss_start, rss_all)
    print(f"reach counting on / off, req/s of the rows above: {counting_ratios(results)}   (target ≥ 0.97)")
    per_page = 1e6 / statistics.median(r.rps for r in results if r.name in ("/sv/", "/ar/plain"))
    per_view = count_seconds(work) * 1e6
    print(f"reach: a view costs {per_view:.2f} µs to count; a page {per_page:.0f} µs per answer above", end="")
    print(f" (at most {per_view / per_page:.1%} of it)")
    off, on = in_process(work)
    print(
        f"reach counting, in process (the whole app, /sv/): off {off:.2f} µs, on {on:.2f} µs, on / off {on / off:.3f}"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


def report(results: list[Result], startup: float, rss_start: float, rss_all: float) -> None:
    baseline = results[0].rps
    print(
        f"\nwrk: 1 thread, {CONNECTIONS} connections, {DURATION} s each, median of {ROUNDS}"
        " interleaved rounds; one uvicorn worker; loopback"
    )
    print(f"{'target':<30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× baseline':>11}")
    for r in results:
        print(f"{r.name:<30} {r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.rps / baseline:>11.2f}")
    pages = len(PUBLISHED) * (len(PAGES) + 1)
    print(f"\nstart-up (process start to first answer, median of 5): {startup:.2f} s   (target < 1 s)")
    print(
        f"resident memory: {rss_start:.1f} MB after start, {rss_all:.1f} MB with all {pages} pages "
        f"of {len(PUBLISHED)} locales rendered   (target < 80 MB)"
    )
    page_rows = [r for r in results[1:] if r.name.startswith("/") or r.name.startswith("404")]
    worst = min(r.rps / baseline for r in page_rows)
    print(f"pages: worst {worst:.2f} × baseline   (target ≥ 0.85)")


if __name__ == "__main__":
    raise SystemExit(main())
