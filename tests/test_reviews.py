"""The review record: an approval holds for the exact text approved, and lapses by itself."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import approve
from tests.tools import find
from webapp import reviews
from webapp.catalogs import catalog_path, load
from webapp.cli import main
from webapp.locales import LOCALES
from webapp.translating import catalog_tools

CODE = "uk"
MSGID = "Få hjälp nu"


def state(locales: Path) -> tuple[bool, bool]:
    catalog = load(catalog_path(locales, CODE), LOCALES[CODE])
    return MSGID in catalog.reviewed, MSGID in catalog.out_of_date


def test_approval_holds_for_the_approved_text(locales_copy: Path) -> None:
    approve(locales_copy, CODE, {MSGID})
    assert state(locales_copy) == (True, False)


def test_approval_lapses_when_the_translation_is_edited(locales_copy: Path) -> None:
    approve(locales_copy, CODE, {MSGID})
    path = catalog_path(locales_copy, CODE)
    path.write_text(path.read_text("utf-8").replace("Отримати допомогу зараз", "Допомога"), "utf-8")
    assert state(locales_copy) == (False, True)


def test_approval_lapses_when_the_swedish_source_changes(locales_copy: Path, tmp_path: Path) -> None:
    """A changed template, a new messages.pot and msgmerge: the old approval no longer counts."""
    find("msgmerge")
    approve(locales_copy, CODE, {MSGID})
    pot = catalog_tools.pot_path(locales_copy)
    pot.write_text(pot.read_text("utf-8").replace(f'msgid "{MSGID}"', 'msgid "Få hjälp nu, dygnet runt"'), "utf-8")
    assert catalog_tools.update(locales_copy, LOCALES[CODE]) == []
    catalog = load(catalog_path(locales_copy, CODE), LOCALES[CODE])
    assert "Få hjälp nu, dygnet runt" in catalog.out_of_date
    assert "Få hjälp nu, dygnet runt" not in catalog.reviewed and MSGID not in catalog.reviewed


def test_record_is_sorted_and_readable(locales_copy: Path) -> None:
    approve(locales_copy, CODE, {MSGID, "Språk", "Lämna sidan snabbt"})
    text = reviews.record_path(catalog_path(locales_copy, CODE)).read_text("utf-8")
    entries = json.loads(text)["reviews"]
    assert [e["msgid"] for e in entries] == sorted(e["msgid"] for e in entries)
    assert entries[0]["reviewer"] == "Test Reviewer" and re.fullmatch(r"sha256:[0-9a-f]{64}", entries[0]["digest"])
    assert '"translation": "Отримати допомогу зараз"' in text


def test_the_header_may_not_claim_a_review_the_record_lacks(
    locales_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalog_path(locales_copy, CODE)
    path.write_text(path.read_text("utf-8").replace("X-Review-Status: draft", "X-Review-Status: reviewed"), "utf-8")
    assert main(["i18n", "check", str(path)]) == 1
    assert ":1: X-Review-Status says reviewed, but the review record" in capsys.readouterr().out


LONG = (
    "Här beskriver vi hur webbplatsen uppfyller lagen om tillgänglighet till digital offentlig service, "
    "vilka brister vi känner till och hur du kan meddela oss om problem."
)


def test_approval_of_a_long_message_lapses_when_its_source_changes(locales_copy: Path) -> None:
    """msgmerge keeps a long previous msgid on several ``#|`` lines, beside the translator's comments."""
    find("msgmerge")
    approve(locales_copy, CODE, {LONG})
    po = catalog_path(locales_copy, CODE)
    po.write_text(
        po.read_text("utf-8").replace('msgid ""\n"Här beskriver', '# Checked.\nmsgid ""\n"Här beskriver'), "utf-8"
    )
    pot = catalog_tools.pot_path(locales_copy)
    pot.write_text(pot.read_text("utf-8").replace('"Här beskriver vi', '"Här berättar vi'), "utf-8")
    assert catalog_tools.update(locales_copy, LOCALES[CODE]) == []
    assert '#| msgid ""\n#| "Här beskriver vi' in po.read_text("utf-8")
    assert LONG.replace("beskriver", "berättar") in load(po, LOCALES[CODE]).out_of_date


ENTRY = """# Checked with the shelter.
#, fuzzy
#| msgctxt "rubrik"
#| msgid ""
#| "Få hjälp "
#| "nu"
#| (a note a translator wrote by hand)
msgctxt "rubrik"
msgid "Få hjälp nu, dygnet runt"
msgstr "Допомога"
"""


def test_previous_key_reads_msgmerge_lines_and_nothing_else() -> None:
    (message,) = [m for m in read_po(io.StringIO(ENTRY)) if m.id]
    assert reviews.previous_key(message) == ("rubrik", "Få hjälp nu")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"reviews": [', "reviews.json:1: review record is not valid JSON"),
        (b"\xff\xfe{}", "reviews.json:0: cannot read the review record"),
        (b"[]", 'reviews.json:1: review record must be an object with a "reviews" list'),
        (b'{"locale": "uk"}', 'reviews.json:1: review record must be an object with a "reviews" list'),
        (b'{"reviews": [{"msgid": "Laddar"}]}', "review entry without msgid, reviewer, date, digest"),
    ],
)
def test_an_unreadable_record_is_a_problem_not_a_crash(
    locales_copy: Path, capsys: pytest.CaptureFixture[str], content: bytes, problem: str
) -> None:
    path = catalog_path(locales_copy, CODE)
    reviews.record_path(path).write_bytes(content)
    assert load(path, LOCALES[CODE]).reviewed == frozenset()
    assert main(["i18n", "check", str(path)]) == 1
    assert problem in capsys.readouterr().out
