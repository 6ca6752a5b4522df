"""What two xdist workers must not do at once. `make test` spreads the suite over one worker more
than the cores (``--dist loadgroup``): tests marked with one of these groups all run on one worker,
one after another; every other test goes to whichever worker is free.

A session or module fixture is set up once per worker that uses it. Mark a module with a group
(``pytestmark = SOURCE_TREE``) when its tests write to the same shared place, or when its fixture
is too heavy to set up twice (an image build, the speaking browser).
"""

from __future__ import annotations

import pytest

# Builds from the repository itself (pip wheel, python -m build, make image): setuptools writes
# build/ and *.egg-info into the tree, so two at once can break each other.
SOURCE_TREE = pytest.mark.xdist_group("source-tree")
# The Chromium that speaks through speech-dispatcher (tests/browser/speech.py):
# tests/browser/conftest.py gives it to every test that uses the speaking browser.
SPEECH = pytest.mark.xdist_group("speech")


def one_worker(name: str) -> pytest.MarkDecorator:
    """For a module whose fixture costs seconds to make (every card rendered, the site exported and
    served by nginx): its tests all on one worker, so the fixture is made once, not once per worker."""
    return pytest.mark.xdist_group(name)
