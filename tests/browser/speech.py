"""Real speech for browser tests: speech-dispatcher with eSpeak NG, and Debian's full Chromium.

The full browser lists speech-dispatcher's voices when started with --enable-speech-dispatcher,
headless too; its headless shell has no speech at all. eSpeak reports the end of an utterance only
when it can play it: a silent ALSA card (type null) gives it one (without one, the end event never
arrives). Everything runs with private settings in a temporary directory (its own HOME for ALSA,
XDG_RUNTIME_DIR for the daemon's socket, a copy of speechd.conf, eSpeak's data without its voice
variants) and is stopped by process id when the session ends. Missing tools skip, or fail under
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

from tests.browser.conftest import ARGS, SPEAKING_CHROMIUM
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


def _espeak_languages(home: Path) -> Path:
    """eSpeak's data with every language and none of its 101 voice variants: speech-dispatcher
    lists each language once per variant (13,362 voices), and Chromium lists them all again for
    every utterance, at some 60 ms of the browser's time each. The page chooses a voice by its
    language, which the variants share. Returns the folder for ESPEAK_DATA_PATH."""
    found = sorted(Path("/usr/lib").glob("*/espeak-ng-data"))
    if not found:
        missing("eSpeak NG's data is not installed (make system-deps installs speech-dispatcher-espeak-ng)")
    data = home / "espeak" / "espeak-ng-data"
    (data / "voices" / "!v").mkdir(parents=True)
    for entry in found[0].iterdir():
        if entry.name != "voices":
            (data / entry.name).symlink_to(entry)
    (data / "voices" / "mb").symlink_to(found[0] / "voices" / "mb")
    return data.parent


def _speechd_env(home: Path) -> dict[str, str]:
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    (home / ".asoundrc").write_text(ASOUNDRC)
    espeak = _espeak_languages(home)
    return {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "ESPEAK_DATA_PATH": str(espeak)}


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
    """The environment of a running speech-dispatcher daemon."""
    speechd = find("speech-dispatcher")
    if not Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng").exists():
        missing("speech-dispatcher-espeak-ng is not installed (make system-deps installs it)")
    env, daemon = _start_speechd(speechd, tmp_path_factory.mktemp("speech"))
    yield env
    _stop(daemon)


@pytest.fixture(scope="session")
def speech_browser(browser: Any, speech_env: dict[str, str]) -> Iterator[Any]:
    """The full Chromium, headless, speaking through speech-dispatcher; started by the same
    Playwright as the session's headless shell (one thread can hold only one)."""
    if not SPEAKING_CHROMIUM.exists():
        missing(f"Chromium not found at {SPEAKING_CHROMIUM} (make system-deps installs it)")
    speaking = browser.browser_type.launch(
        executable_path=str(SPEAKING_CHROMIUM), env=speech_env, args=[*ARGS, "--enable-speech-dispatcher"]
    )
    yield speaking
    speaking.close()
