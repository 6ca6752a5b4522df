"""Editing msgstrs as a translator would: only the changed lines, wrapped as msgmerge wraps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools import find
from webapp.translating.catalog_edit import replace_msgstrs, write_atomically

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: templates/components/quick_exit.html
#, fuzzy, python-format
#| msgid "Tryck på Skift %(num)d gång till."
msgid "Tryck på Skift %(num)d gång till för att lämna sidan."
msgid_plural "Tryck på Skift %(num)d gånger till för att lämna sidan."
msgstr[0] "Натисніть Shift ще %(num)d раз."
msgstr[1] "Натисніть Shift ще %(num)d рази."
msgstr[2] "Натисніть Shift ще %(num)d разів."

#: templates/components/quick_exit.html
#, fuzzy
#| msgid "Laddar nu"
msgid "Laddar"
msgstr "Завантаження"
"""
PLURAL, LOADING = 8, 17


@pytest.fixture(autouse=True)
def _msgcat() -> None:
    find("msgcat")


def test_plural_forms_are_replaced_form_by_form() -> None:
    forms = ("Натисніть Shift ще %(num)d раз, щоб покинути сторінку.", "рази %(num)d", "разів %(num)d")
    new = replace_msgstrs(PO, {PLURAL: forms}, set())
    assert new == PO.replace(
        'msgstr[0] "Натисніть Shift ще %(num)d раз."\n'
        'msgstr[1] "Натисніть Shift ще %(num)d рази."\n'
        'msgstr[2] "Натисніть Shift ще %(num)d разів."',
        'msgstr[0] "Натисніть Shift ще %(num)d раз, щоб покинути сторінку."\n'
        'msgstr[1] "рази %(num)d"\n'
        'msgstr[2] "разів %(num)d"',
    )


def test_a_confirmed_entry_loses_fuzzy_and_previous_msgid_and_nothing_else() -> None:
    new = replace_msgstrs(PO, {}, {PLURAL, LOADING})
    assert new == (
        PO.replace(
            '#, fuzzy, python-format\n#| msgid "Tryck på Skift %(num)d gång till."\n', "#, python-format\n"
        ).replace('#, fuzzy\n#| msgid "Laddar nu"\n', "")
    )


def test_a_failed_write_leaves_the_old_file_and_no_scrap(tmp_path: Path) -> None:
    target = tmp_path / "messages.po"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(IsADirectoryError):
        write_atomically(target, b"msgid")
    assert target.is_dir() and [p.name for p in tmp_path.iterdir()] == ["messages.po"]
