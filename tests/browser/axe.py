"""axe-core in the browser tests: WCAG 2.2 A and AA and best practice, the violations only.

A context gets axe's source once (`add_to`), as a script each of its pages runs before its own;
then a run on any page of it (`violations`) sends only the options, and answers with one line per
violation: the rule, its impact, what it asks, and where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python

SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
RUN = """(options) => axe.run(document, options).then(results => results.violations.map(v =>
  `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))"""


def add_to(context: Any) -> Any:
    """The context, its pages from now on with axe loaded."""
    context.add_init_script(SOURCE)
    return context


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate(RUN, OPTIONS)
    return found
