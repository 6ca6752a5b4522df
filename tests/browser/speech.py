"""Real speech for browser tests: Xvfb, speech-dispatcher with eSpeak NG and a headed Chromium.

Debian's Chromium lists voices only when headed and started with --enable-speech-dispatcher, and
eSpeak reports the end of an utterance only when it can play it: a silent ALSA card (type null)
gives it one (without one, the end event never arrives). Everything runs with private settings in a temporary directory
(its own HOME for ALSA, XDG_RUNTIME_DIR for the daemon's socket, a copy of speechd.conf) and is
stopped by process id when the session ends. Missing tools skip, or fail under
TRYGG_REQUIRE_TOOLS=1.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARGS, HEADED_CHROMIUM
from tests.tools import find, missing

SPEECHD_CONF = Path("/etc/speech-dispatcher")
ASOUNDRC = "pcm.!default { type null }\nctl.!default { type null }\n"
# Wraps the real speak and cancel to record what the page asks for, then calls them: the engine
# is never replaced.
RECORDER = """(() => {
  const synth = window.speechSynthesis;
  if (!synth) return;
  const log = window.__speech = [];
  const speak = synth.speak.bind(synth), cancel = synth.cancel.bind(synth);
  synth.speak = (u) => {
    const entry = {event: 'speak', text: u.text, lang: u.lang, rate: u.rate,
                   voice: u.voice && u.voice.name, voiceLang: u.voice && u.voice.lang,
                   local: u.voice ? u.voice.localService : null, time: performance.now()};
    log.push(entry);
    u.addEventListener('start', () => { entry.started = performance.now(); });
    u.addEventListener('end', () => { entry.ended = performance.now(); });
    u.addEventListener('error', (e) => { entry.error = e.error; });
    speak(u);
  };
  synth.cancel = () => { log.push({event: 'cancel', time: performance.now()}); cancel(); };
})();"""


def _wait_for(path: Path, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{path} did not appear within {seconds} s")


def _start_xvfb(xvfb: str) -> tuple[str, subprocess.Popen[bytes]]:
    """Xvfb on a display number it picks itself and reports once it accepts connections: two
    sessions starting at once (xdist workers, other checkouts) never take the same number."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write,),
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise RuntimeError(f"Xvfb exited with {process.wait(timeout=10)} before it had a display")
    return f":{number}", process


def _speechd_env(home: Path) -> dict[str, str]:
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    (home / ".asoundrc").write_text(ASOUNDRC)
    return {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}


def _speechd_config(home: Path) -> Path:
    config = home / "speech-dispatcher"
    shutil.copytree(SPEECHD_CONF, config)
    conf = config / "speechd.conf"
    conf.write_text(conf.read_text() + '\nAudioOutputMethod "alsa"\n')
    # eSpeak at its fastest: the silent card plays in real time, and the tests wait for whole pages
    # to be read. The page's own rates (1, and 0.7 when slowed) are what the tests check.
    module = config / "modules" / "espeak-ng.conf"
    rates = {"EspeakMinRate": 300, "EspeakNormalRate": 449, "EspeakMaxRate": 449}
    lines = [line for line in module.read_text().splitlines() if line.split(" ")[0] not in rates]
    module.write_text("\n".join([*lines, *(f"{name} {rate}" for name, rate in rates.items())]) + "\n")
    return config


def _start_speechd(command: str, home: Path) -> tuple[dict[str, str], int]:
    env = _speechd_env(home)
    subprocess.run(
        [command, "-d", "-t", "0", "-C", str(_speechd_config(home))],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=20,
    )
    pid_dir = Path(env["XDG_RUNTIME_DIR"]) / "speech-dispatcher" / "pid"
    _wait_for(pid_dir / "speech-dispatcher.pid")
    return env, int((pid_dir / "speech-dispatcher.pid").read_text().split()[0])


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)


@pytest.fixture(scope="session")
def speech_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a running X server and speech-dispatcher daemon."""
    xvfb, speechd = find("Xvfb"), find("speech-dispatcher")
    if not Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng").exists():
        missing("speech-dispatcher-espeak-ng is not installed (make system-deps installs it)")
    display, server = _start_xvfb(xvfb)
    env, daemon = _start_speechd(speechd, tmp_path_factory.mktemp("speech"))
    yield {**env, "DISPLAY": display}
    _stop(daemon)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def speech_browser(browser: Any, speech_env: dict[str, str]) -> Iterator[Any]:
    """A headed Chromium that speaks through speech-dispatcher, started by the same Playwright as
    the session's headless one (one thread can hold only one)."""
    headed = browser.browser_type.launch(
        executable_path=str(HEADED_CHROMIUM),
        headless=False,
        env=speech_env,
        args=[*ARGS, "--enable-speech-dispatcher"],
    )
    yield headed
    headed.close()
