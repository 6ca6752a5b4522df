"""The command line, as people run it: serve (with --reload picking up a translator's edit)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import start, wait_until_answering
from tests.tools import MEASURED, free_port, start_server
from webapp import translating
from webapp.catalogs import catalog_path
from webapp.cli import main, parser


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in get(url):
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def test_serve_options() -> None:
    args = parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000", "--reload", "--workers", "2"])
    assert (args.host, args.port, args.reload, args.workers) == ("0.0.0.0", 9000, True, 2)


def test_reload_shows_an_edited_catalog_without_a_restart(locales_copy: Path) -> None:
    port = free_port()
    process = start_server(port, "--reload", env={"TRYGG_LOCALES_DIR": str(locales_copy)})
    url = f"http://127.0.0.1:{port}/en/"
    try:
        assert wait_for(url, "Get help now", 30)
        path = catalog_path(locales_copy, "en")
        text = path.read_text("utf-8")
        path.write_text(text.replace('msgstr "Get help now"', 'msgstr "Get help right now"'), "utf-8")
        assert wait_for(url, "Get help right now", 30)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_workers_zero_starts_one_worker_per_core(tmp_path: Path) -> None:
    """What the systemd unit runs by default (deploy/trygg-sida.service)."""
    log = tmp_path / "serve.log"
    port = free_port()
    with log.open("wb") as output:
        process = start([sys.executable, "-m", "webapp", "serve", "--port", str(port), "--workers", "0"], output=output)
    # Several processes start at once: give a busy machine time.
    wait_until_answering(f"http://127.0.0.1:{port}/healthz", process, seconds=60)
    cores, deadline = len(os.sched_getaffinity(0)), time.monotonic() + 60
    while log.read_text().count("Application startup complete") < cores and time.monotonic() < deadline:
        time.sleep(0.1)
    process.terminate()
    process.wait(timeout=30)
    assert log.read_text().count("Started server process") == cores, log.read_text()


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "trygg-sida"
    result = subprocess.run([str(script), "locales"], capture_output=True, text=True, check=True)
    assert result.stdout.split()[0] == "sv"


def test_serve_refuses_to_start_without_catalogs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(tmp_path))
    assert main(["serve", "--port", str(free_port())]) == 2
    assert capsys.readouterr().err == f"trygg-sida: cannot start: no catalogs in {tmp_path}: check TRYGG_LOCALES_DIR\n"


def test_serve_refuses_to_start_with_a_malformed_allowed_host(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRYGG_ALLOWED_HOSTS", "trygg.example, *example.org http://x")
    assert main(["serve", "--port", str(free_port())]) == 2
    assert capsys.readouterr().err == (
        "trygg-sida: cannot start: TRYGG_ALLOWED_HOSTS: '*example.org', 'http://x': "
        "not a host name, *.name or [IPv6 address] (a port is not part of it)\n"
    )


def test_export_says_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "site")]) == 0
    written = int(capsys.readouterr().out.split()[1])
    assert written == sum(1 for path in (tmp_path / "site").rglob("*") if path.is_file())


def test_xliff_export_to_standard_output_and_its_refusals(
    locales_copy: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["i18n", "xliff-export", "uk"]) == 0
    assert capsysbinary.readouterr().out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<xliff')
    assert main(["i18n", "xliff-export", "sv"]) == 2
    assert b"sv: not a translated locale of the table" in capsysbinary.readouterr().err
    catalog_path(locales_copy, "uk").write_text("", "utf-8")
    assert main(["i18n", "xliff-export", "uk"]) == 1
    assert b"the catalog is empty" in capsysbinary.readouterr().err


def test_review_sheet_to_a_file_and_its_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "ar.html"
    assert main(["i18n", "review-sheet", "ar", "-o", str(sheet)]) == 0
    assert capsys.readouterr().err == f"wrote {sheet}\n"
    assert sheet.read_text("utf-8").startswith("<!doctype html>")
    assert main(["i18n", "review-sheet", "xx"]) == 2
    assert "xx: not a translated locale of the table" in capsys.readouterr().err


def test_an_output_file_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-folder" / "ar.xlf"
    assert main(["i18n", "xliff-export", "ar", "-o", str(target)]) == 1
    assert capsys.readouterr().err == f"{target}: cannot write: No such file or directory\n"


@pytest.mark.parametrize("command", [["i18n", "stats"], ["i18n", "xliff-export", "uk"], ["locales"]])
def test_a_reader_that_stops_reading_gets_no_traceback(command: list[str]) -> None:
    """As with | head -1: the pipe is closed before the command writes, so every write fails."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp", *command], stdout=write, stderr=subprocess.PIPE, env=os.environ | MEASURED
    )
    os.close(write)
    os.close(read)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err.decode()) == (1, "")


@pytest.mark.parametrize(
    "command", [["i18n", "init", "xx"], ["i18n", "xliff-export", "sv"], ["i18n", "review-sheet", "xx"]]
)
def test_a_code_that_is_no_translated_locale_is_one_line_for_every_command(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command) == 2
    code = command[-1]
    assert (
        capsys.readouterr().err
        == f"{code}: not a translated locale of the table (webapp/locales.py): add it there first\n"
    )


@pytest.mark.parametrize("command", [["xliff-export", "ar"], ["xliff-import", "ar.xlf"]])
def test_xliff_tools_without_the_translate_extra_say_so_in_one_line(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """None in sys.modules is how Python itself marks a module as not importable (here
    translate-toolkit and the modules that import it); the wheel installed without the extra
    (tests/test_packaging.py) and the image (tests/deploy/test_image.py) show the same line."""
    for name in ("xliff", "xliff_import"):
        monkeypatch.delitem(sys.modules, f"webapp.translating.{name}", raising=False)
        monkeypatch.delattr(translating, name, raising=False)
    for name in ["translate", *(name for name in sys.modules if name.startswith("translate."))]:
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["i18n", *command]) == 2
    assert capsys.readouterr().err == (
        "trygg-sida: the XLIFF tools need the translate extra: pip install 'trygg-sida[translate]'\n"
    )
