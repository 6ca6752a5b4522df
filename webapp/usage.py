"""How the templates use each message: as HTML, or only as plain text in an attribute or <title>.

A word's language can be marked only with an element (<span lang>), and an attribute cannot hold
one. The catalog checker therefore needs to know which messages are only ever given to _attr; it
reads the templates with Jinja2's extractor, the one ``i18n extract`` uses, once per process.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS
from jinja2.ext import babel_extract

ATTRIBUTE = "_attr"
KEYWORDS = {**DEFAULT_KEYWORDS, ATTRIBUTE: None}
TEMPLATE_SUFFIX = ".html"


@functools.cache
def attribute_only(templates_dir: Path) -> frozenset[str]:
    """The msgids that the templates give to _attr and to no other function."""
    calls: dict[str, set[str]] = defaultdict(set)
    for path in sorted(templates_dir.rglob(f"*{TEMPLATE_SUFFIX}")):
        with path.open("rb") as fileobj:
            for _, function, message, _ in babel_extract(fileobj, list(KEYWORDS), [], {}):
                msgid = message if isinstance(message, str | None) else message[0]
                if msgid is not None:  # None: a variable, such as _(line.name); data holds those
                    calls[msgid].add(function)
    return frozenset(msgid for msgid, functions in calls.items() if functions == {ATTRIBUTE})


def only_in_attributes(msgid: str, locations: Sequence[tuple[str, int | None]], templates_dir: Path) -> bool:
    """Whether a message is shown only as attribute text: every place extraction found it (the
    catalog's references) is a template, and every template gives it to _attr alone. A message
    without references, or also used by code or data, counts as HTML."""
    in_templates = bool(locations) and all(file.endswith(TEMPLATE_SUFFIX) for file, _ in locations)
    return in_templates and msgid in attribute_only(templates_dir)
