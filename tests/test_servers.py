"""Starting a server for a test: a server that never answers is not left running."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.servers import free_port, start_server


def running(mark: str) -> list[str]:
    """The processes whose command line holds ``mark``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if mark.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:  # it ended meanwhile
            continue
    return found


def test_a_server_that_never_answers_is_killed(tmp_path: Path) -> None:
    mark = f"never-answers-{tmp_path.name}"
    command = (sys.executable, "-c", "import time; time.sleep(600)", mark)
    with pytest.raises(RuntimeError, match="did not answer in 2 s"):
        start_server(free_port(), command=command, seconds=2)
    assert running(mark) == []
