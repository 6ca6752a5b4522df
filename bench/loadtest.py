"""make loadtest: the site under load, on loopback only, bounded in time (run by hand, not in CI).

  1. 60 s at full rate: wrk with 64 connections against a mix of pages, locales and encodings,
     404s included on purpose;
  2. 60 s with 1,000 concurrent connections, the same mix.
For each: requests, errors, statuses other than 2xx/3xx that were not asked for, p50/p99/max, and
the server's resident memory before and after. Memory after must stay within 10 % of before.

"Before" is measured after a 5 s warm-up burst of 1,000 connections: the first such burst raises
the allocator's high-water mark once (about 61 -> 69 MB here) and it then stays flat, which is not
a leak; the warm-up makes the comparison about leaks. wrk's timeout is 30 s (browsers wait far
longer): with 1,000 connections on one worker sharing 2 cores with wrk, some answers take seconds.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.servers import free_port, start, wait_until_answering

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
PATHS = [
    "/sv/",
    "/sv/plain",
    "/ar/",
    "/ar/plain",
    "/fa/safety",
    "/yi/",
    "/fit/plain",
    "/ti/accessibility",
    "/en/languages",
    "/uk/",
    "/so/plain",
    "/rom/",
    "/nope",
    "/xx/plain",
]
ENCODINGS = ["br, gzip", "gzip", "", "br"]
# wrk's Lua: cycles through paths and encodings, counts answers by status, and tells the 404s
# that were asked for from any other status outside 2xx/3xx.
MIX = """
local paths = {%(paths)s}
local encodings = {%(encodings)s}
local i = 0
expected, unexpected = 0, 0
request = function()
  i = i + 1
  local path = paths[(i %% #paths) + 1]
  local headers = {["Accept-Encoding"] = encodings[(i %% #encodings) + 1]}
  return wrk.format("GET", path, headers)
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  local asked_404 = status == 404
  if (status >= 200 and status < 400) or asked_404 then expected = expected + 1
  else unexpected = unexpected + 1 end
end
done = function(summary, latency, requests)
  local good, bad = 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("expected")
    bad = bad + thread:get("unexpected")
  end
  print(string.format("statuses: %%d as asked (2xx, 3xx and the 404s in the mix), %%d other", good, bad))
end
"""


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024  # type: ignore[union-attr]


def warm(url: str) -> None:
    for path in PATHS:
        for encoding in ENCODINGS:
            request = urllib.request.Request(url + path, headers={"Accept-Encoding": encoding})
            try:
                urllib.request.urlopen(request, timeout=5).read()
            except urllib.error.HTTPError as error:
                error.read()


def run(name: str, url: str, script: Path, connections: int, seconds: int = SECONDS) -> None:
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    total = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    most = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    statuses = re.search(r"statuses: (.*)", out)
    found = {
        key: match.group(1) if match else "?"
        for key, match in {"total": total, "rps": rps, "p50": p50, "p99": p99, "max": most}.items()
    }
    print(
        f"{name}: {found['total']} requests, {found['rps']} req/s, "
        f"p50 {found['p50']}, p99 {found['p99']}, max {found['max']}"
    )
    print(f"  socket errors: {errors.group(1) if errors else 'none'}; {statuses.group(1) if statuses else ''}")


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk (make loadtest installs it as root)")
        return 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))  # 1,000 connections, both ends
    work = Path(tempfile.mkdtemp(prefix="trygg-load-"))
    script = work / "mix.lua"
    script.write_text(
        MIX % {"paths": ", ".join(f'"{p}"' for p in PATHS), "encodings": ", ".join(f'"{e}"' for e in ENCODINGS)}
    )
    port = free_port()
    server = start([sys.executable, "-m", "webapp", "serve", "--port", str(port)], output=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url + "/healthz", server)
        warm(url)
        cold = rss_mb(server.pid)
        run("warm-up, 1,000 connections, 5 s (not counted)", url, script, 1000, seconds=5)
        time.sleep(2)
        before = rss_mb(server.pid)
        print(f"server memory: {cold:.1f} MB with the mix rendered, {before:.1f} MB after the warm-up")
        run(f"full rate, 64 connections, {SECONDS} s", url, script, 64)
        middle = rss_mb(server.pid)
        run(f"1,000 connections, {SECONDS} s", url, script, 1000)
        time.sleep(2)
        after = rss_mb(server.pid)
    finally:
        server.terminate()
        stderr = server.communicate(timeout=30)[0].decode("utf-8", "replace")
        shutil.rmtree(work, ignore_errors=True)
    growth = (after - before) / before * 100
    print(
        f"server memory: {before:.1f} MB before, {middle:.1f} MB after the first run, "
        f"{after:.1f} MB after both ({growth:+.1f} %; limit ±10 %)"
    )
    print(f"server log: {'no traceback' if 'Traceback' not in stderr else 'TRACEBACK FOUND'}")
    ok = abs(growth) <= 10 and "Traceback" not in stderr
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
