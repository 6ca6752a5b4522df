"""The gettext functions templates call: translations that are safe to put in a page.

Jinja2's own gettext support trusts a translated string as HTML (a ``<script>`` in a msgstr reaches
the page, through ``_()`` and ``{% trans %}`` alike), and translations come from outside the code
review. Here the message is turned into HTML by escaping everything except the inline tags its
msgid has (webapp.catalogs already refused any translation with other markup), then the
variables, escaped, are filled in.
Where a translation is missing or was refused, the Swedish source is shown, wrapped in an element
with lang="sv" dir="ltr" so assistive technology reads it as Swedish (WCAG 3.1.2), and with the class
untranslated, which no translation can add, so tests and reviewers can tell it from a marked name.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from webapp.catalogs import PLACEHOLDER, TAG, Catalog
from webapp.locales import SOURCE, LocaleInfo


def to_html(message: str) -> str:
    """Escape the text of a message and keep its inline tags as they are."""
    parts = []
    position = 0
    for tag in TAG.finditer(message):
        parts.append(str(escape(message[position : tag.start()])))
        parts.append(tag.group(0))
        position = tag.end()
    parts.append(str(escape(message[position:])))
    return "".join(parts)


def to_text(message: str) -> str:
    return TAG.sub("", message)


def _escape(value: Any) -> Any:
    return value if isinstance(value, int | float) else escape(value)


def _fill(message: str, variables: dict[str, Any]) -> str:
    return message % variables if variables and PLACEHOLDER.search(message) else message


class Translator:
    """Translations of one locale, as the callables a template uses."""

    def __init__(self, info: LocaleInfo, catalog: Catalog | None) -> None:
        self.info = info
        self.catalog = catalog
        expression = info.plural_forms.split("plural=")[1].rstrip(";")
        self._plural: Callable[[int], int] = gettext.c2py(expression)
        # Every msgid looked up, in order: what a page shows decides its draft notice.
        self.seen: dict[str, None] = {}

    def _lookup(self, msgid: str) -> str | None:
        self.seen[msgid] = None
        return None if self.catalog is None else self.catalog.messages.get(msgid)

    def _lookup_plural(self, singular: str, n: int) -> str | None:
        self.seen[singular] = None
        forms = None if self.catalog is None else self.catalog.plurals.get(singular)
        return None if forms is None else forms[self._plural(n)]

    def _html(self, translated: str | None, source: str, variables: dict[str, Any]) -> Markup:
        escaped = {name: _escape(value) for name, value in variables.items()}
        if translated is not None or self.info.code == SOURCE:
            return Markup(_fill(to_html(translated or source), escaped))
        return Markup('<span class="untranslated" lang="sv" dir="ltr">%s</span>') % Markup(
            _fill(to_html(source), escaped)
        )

    def gettext(self, msgid: str, **variables: Any) -> Markup:
        """A message as HTML."""
        return self._html(self._lookup(msgid), msgid, variables)

    def text(self, msgid: str, **variables: Any) -> str:
        """A message as plain text, for attributes and <title>."""
        return _fill(to_text(self._lookup(msgid) or msgid), variables)

    def ngettext(self, singular: str, plural: str, n: int, text: bool = False, **variables: Any) -> Markup | str:
        """A message whose form depends on the number ``n`` (available as %(num)d)."""
        variables.setdefault("num", n)
        source = singular if self._source_plural(n) == 0 else plural
        translated = self._lookup_plural(singular, n)
        if text:
            return _fill(to_text(translated or source), variables)
        return self._html(translated, source, variables)

    @staticmethod
    def _source_plural(n: int) -> int:
        return 0 if n == 1 else 1
