"""XLIFF import, as an agency's file comes back from Trados or memoQ: all or nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import approve
from tests.tools import find
from webapp import reviews
from webapp.catalogs import catalog_path, load
from webapp.cli import main
from webapp.locales import LOCALES
from webapp.translating import catalog_tools

CODE = "uk"
HELP = "Få hjälp nu"
DATED = 'Senast uppdaterad: <ph id="1">%(date)s</ph>'
EXIT = "Lämna sidan snabbt"


@pytest.fixture(autouse=True)
def _locales(locales_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    find("msgcat")
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))


def export(tmp_path: Path, code: str = CODE) -> str:
    target = tmp_path / f"{code}.xlf"
    assert main(["i18n", "xliff-export", code, "-o", str(target)]) == 0
    return target.read_text("utf-8")


def files(locales: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((locales / CODE / "LC_MESSAGES").iterdir())}


def unit_of(text: str, source: str) -> str:
    match = re.search(r"<trans-unit [^>]*>\s*<source>" + re.escape(source) + r"</source>.*?</trans-unit>", text, re.S)
    assert match, source
    return match.group(0)


def as_cat_tool(text: str, approved: list[str], edits: dict[str, str], reviewer: str = "Olena Koval") -> str:
    """What a CAT tool writes back: a review phase with the reviewer, approved units, edited targets."""
    text = text.replace(
        'process-name="review"/>', f'process-name="review" contact-name="{reviewer}" date="2026-12-01T09:30:00Z"/>'
    )
    for source in approved:
        old = unit_of(text, source)
        text = text.replace(
            old,
            old.replace("<trans-unit ", '<trans-unit approved="yes" ', 1).replace(
                'state="translated"', 'state="final"'
            ),
        )
    for source, target in edits.items():
        old = unit_of(text, source)
        edited = re.sub(r"<target([^>]*)>.*?</target>", rf"<target\1>{target}</target>", old, flags=re.S)
        text = text.replace(old, edited)
    return text


def imported(tmp_path: Path, text: str, *args: str) -> int:
    path = tmp_path / "back.xlf"
    path.write_text(text, "utf-8")
    return main(["i18n", "xliff-import", str(path), *args])


def test_round_trip_without_edits_changes_nothing(locales_copy: Path, tmp_path: Path) -> None:
    approve(locales_copy, CODE, {HELP, EXIT})
    before = files(locales_copy)
    assert imported(tmp_path, export(tmp_path)) == 0
    assert files(locales_copy) == before


def test_cat_tool_file_with_a_broken_placeholder_writes_nothing(
    locales_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(locales_copy)
    text = as_cat_tool(
        export(tmp_path),
        [HELP, EXIT],
        {HELP: "Отримати допомогу негайно", DATED: 'Оновлено: <ph id="1">%(datum)s</ph>'},
    )
    assert imported(tmp_path, text) == 1
    err = capsys.readouterr().err
    line = text[: text.index("<source>Senast uppdaterad")].count("\n")
    assert re.search(rf"back\.xlf:{line}: unit m[0-9a-f]{{12}}: placeholder %\(datum\)s is not in the msgid", err)
    assert "nothing written" in err
    assert files(locales_copy) == before


def test_cat_tool_file_is_merged_and_approvals_recorded(locales_copy: Path, tmp_path: Path) -> None:
    po = catalog_path(locales_copy, CODE)
    original = po.read_text("utf-8")
    text = as_cat_tool(export(tmp_path), [HELP, EXIT], {HELP: "Отримати допомогу негайно"})
    assert imported(tmp_path, text) == 0
    changed = po.read_text("utf-8")
    assert changed == original.replace('msgstr "Отримати допомогу зараз"', 'msgstr "Отримати допомогу негайно"')
    catalog = load(po, LOCALES[CODE])
    assert catalog.reviewed == {HELP, EXIT}
    record = reviews.read(reviews.record_path(po))
    assert {r.reviewer for r in record.values()} == {"Olena Koval"}
    assert {r.date for r in record.values()} == {"2026-12-01"}
    again = files(locales_copy)
    assert imported(tmp_path, export(tmp_path)) == 0
    assert files(locales_copy) == again
    # Approval lapses with the next edit of the msgstr, and with a changed Swedish source.
    po.write_text(changed.replace("Отримати допомогу негайно", "Допомога"), "utf-8")
    assert HELP in load(po, LOCALES[CODE]).out_of_date
    pot = catalog_tools.pot_path(locales_copy)
    pot.write_text(pot.read_text("utf-8").replace(f'msgid "{EXIT}"', 'msgid "Lämna sidan nu"'), "utf-8")
    assert catalog_tools.update(locales_copy, LOCALES[CODE]) == []
    catalog = load(po, LOCALES[CODE])
    assert catalog.reviewed == frozenset() and "Lämna sidan nu" in catalog.out_of_date


def test_approval_without_a_reviewer_is_refused(
    locales_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(locales_copy)
    text = as_cat_tool(export(tmp_path), [HELP], {}).replace(' contact-name="Olena Koval"', "")
    assert imported(tmp_path, text) == 2
    assert "no reviewer is named" in capsys.readouterr().err
    assert imported(tmp_path, text, "--reviewer", "Ivan Petrenko") == 0
    assert {r.reviewer for r in reviews.read(reviews.record_path(catalog_path(locales_copy, CODE))).values()} == {
        "Ivan Petrenko"
    }
    assert files(locales_copy) != before


@pytest.mark.parametrize(
    "fault",
    [
        "other locale",
        "unknown language",
        "broken xml",
        "not xliff",
        "stale source",
        "stale plural source",
        "removed message",
        "no catalog",
        "missing file",
    ],
)
def test_a_file_that_does_not_fit_is_refused(
    locales_copy: Path, tmp_path: Path, fault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = export(tmp_path)
    args: list[str] = []
    if fault == "other locale":
        args = ["--locale", "pl"]
    elif fault == "unknown language":
        text = text.replace('target-language="uk"', 'target-language="de-DE"')
    elif fault == "broken xml":
        text = text[: len(text) // 2]
    elif fault == "not xliff":
        text = "<html><body>hej</body></html>"
    elif fault == "stale source":
        text = text.replace(f"<source>{HELP}</source>", "<source>Få hjälp</source>")
    elif fault == "stale plural source":
        text = text.replace("gånger till för att lämna sidan", "gånger för att lämna sidan")
    elif fault == "removed message":
        text = re.sub(r'id="m[0-9a-f]{12}(">\s*<source>' + HELP + ")", r'id="m000000000000\1', text)
    elif fault == "no catalog":
        catalog_path(locales_copy, CODE).write_text("", "utf-8")
    before = files(locales_copy)
    if fault == "missing file":
        assert main(["i18n", "xliff-import", str(tmp_path / "nowhere.xlf")]) == 2
    else:
        assert imported(tmp_path, text, *args) == 2
    err = capsys.readouterr().err.split("\n", 1)[1]
    assert err.startswith("refused: ") and "Traceback" not in err
    expected = {
        "unknown language": "target-language 'de-DE' is not a translated locale of this site",
        "stale source": ": unit m[0-9a-f]{12}: the Swedish source has changed",
        "stale plural source": ": 1 units no longer match the Swedish source",
        "removed message": ": unit m000000000000: not in the current catalog",
        "no catalog": r"messages\.po: no catalog to import into \(.*the catalog is empty\)",
        "missing file": r"nowhere\.xlf: cannot read the file: No such file or directory",
    }
    assert re.search(expected.get(fault, ""), err)
    assert files(locales_copy) == before


def test_a_regional_language_tag_means_the_locale(locales_copy: Path, tmp_path: Path) -> None:
    """A CAT tool may write uk-UA for Ukrainian; the file still belongs to uk."""
    text = as_cat_tool(export(tmp_path), [], {HELP: "Отримати допомогу негайно"})
    assert imported(tmp_path, text.replace('target-language="uk"', 'target-language="uk-UA"')) == 0
    assert 'msgstr "Отримати допомогу негайно"' in catalog_path(locales_copy, CODE).read_text("utf-8")


@pytest.mark.parametrize(("code", "tag"), [("prs", "fa-AF"), ("kmr", "ku"), ("kmr", "ku-Latn")])
def test_an_alias_tag_means_its_own_locale_never_a_neighbour(
    locales_copy: Path, tmp_path: Path, code: str, tag: str
) -> None:
    """Trados writes Dari as fa-AF: the file is Dari's, and the Persian catalog is never touched."""
    persian = catalog_path(locales_copy, "fa").read_bytes()
    text = export(tmp_path, code).replace(f'target-language="{code}"', f'target-language="{tag}"')
    assert imported(tmp_path, text) == 0
    assert catalog_path(locales_copy, "fa").read_bytes() == persian


def test_a_broken_record_or_catalog_is_refused_in_one_line(
    locales_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = as_cat_tool(export(tmp_path), [HELP], {})
    capsys.readouterr()
    record = reviews.record_path(catalog_path(locales_copy, CODE))
    record.write_text("{not json", "utf-8")
    assert imported(tmp_path, text) == 2
    assert capsys.readouterr().err.startswith(f"refused: {record}: ")
    record.unlink()
    catalog = catalog_path(locales_copy, CODE)
    catalog.write_bytes(catalog.read_bytes().replace("Отримати".encode(), b"\xff", 1))
    before = files(locales_copy)
    assert imported(tmp_path, text) == 2
    assert "not valid UTF-8" in capsys.readouterr().err
    assert files(locales_copy) == before


def test_a_plural_unit_missing_a_form_writes_nothing(
    locales_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(locales_copy)
    text, count = re.subn(r'<trans-unit [^>]*id="m[0-9a-f]{12}\[2\]".*?</trans-unit>', "", export(tmp_path), flags=re.S)
    assert count == 1
    assert imported(tmp_path, text) == 1
    err = capsys.readouterr().err
    assert re.search(r"back\.xlf:\d+: unit m[0-9a-f]{12}: 2 plural forms, but uk has 3\n", err)
    assert err.endswith("nothing written: 1 problems\n")
    assert files(locales_copy) == before


def test_a_fuzzy_translation_the_agency_confirmed_is_no_longer_fuzzy(locales_copy: Path, tmp_path: Path) -> None:
    po = catalog_path(locales_copy, CODE)
    original = po.read_text("utf-8")
    fuzzy = '#, fuzzy\n#| msgid "Gå till sidans innehåll"\nmsgid "Gå till innehåll"'
    po.write_text(original.replace('msgid "Gå till innehåll"', fuzzy), "utf-8")
    assert "Gå till innehåll" not in load(po, LOCALES[CODE]).messages
    text = as_cat_tool(export(tmp_path), ["Gå till innehåll"], {})
    old = unit_of(text, "Gå till innehåll")
    text = text.replace(old, old.replace('state="needs-review-translation"', 'state="final"'))
    assert imported(tmp_path, text) == 0
    assert po.read_text("utf-8") == original
    assert load(po, LOCALES[CODE]).reviewed == {"Gå till innehåll"}


def break_translation(locales: Path, msgid: str, msgstr: str) -> None:
    po = catalog_path(locales, CODE)
    text = po.read_text("utf-8")
    old = re.search(rf'msgid "{msgid}"\nmsgstr ".*"\n', text)
    assert old
    po.write_text(text.replace(old.group(0), f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'), "utf-8")


@pytest.mark.parametrize(
    ("msgstr", "problem"),
    [("", "approved, but it has no translation"), ("Мова %(x)s", "approved, but still fuzzy or not usable")],
)
def test_approving_a_translation_the_site_cannot_use_writes_nothing(
    locales_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], msgstr: str, problem: str
) -> None:
    break_translation(locales_copy, "Språk", msgstr)
    before = files(locales_copy)
    assert imported(tmp_path, as_cat_tool(export(tmp_path), ["Språk"], {HELP: "Допомога"})) == 1
    assert re.search(rf"back\.xlf:\d+: unit m[0-9a-f]{{12}}: {problem}", capsys.readouterr().err)
    assert files(locales_copy) == before


def test_an_old_problem_in_another_message_does_not_block_an_import(locales_copy: Path, tmp_path: Path) -> None:
    """Only the messages the file changes must pass the checks; the rest are the translator's to fix."""
    break_translation(locales_copy, "Språk", "Мова %(x)s")
    assert imported(tmp_path, as_cat_tool(export(tmp_path), [HELP], {HELP: "Допомога"})) == 0
    catalog = load(catalog_path(locales_copy, CODE), LOCALES[CODE])
    assert catalog.messages[HELP] == "Допомога" and catalog.reviewed == {HELP}


SECRET = "sekretess-4711"
# Ten levels of ten references each: "ha" a billion times, from a few hundred bytes.
LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "ha"}">' for n in range(10))


@pytest.mark.parametrize(
    ("name", "doctype", "entity", "encoding"),
    [
        ("xxe", '<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file://{secret}">]>', "&secret;", "utf-8"),
        ("billion laughs", f"<!DOCTYPE xliff [{LAUGHS}]>", "&l9;", "utf-8"),
        ("xxe in utf-16", '<!doctype xliff [<!ENTITY secret SYSTEM "file://{secret}">]>', "&secret;", "utf-16"),
    ],
)
def test_a_file_with_a_doctype_is_refused_before_it_is_parsed(
    locales_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    doctype: str,
    entity: str,
    encoding: str,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, "utf-8")
    text = as_cat_tool(export(tmp_path), [HELP], {HELP: entity})
    text = text.replace("?>", "?>" + doctype.format(secret=secret), 1)
    if encoding == "utf-16":
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace("encoding='UTF-8'", "encoding='UTF-16'")
    path = tmp_path / "back.xlf"
    path.write_bytes(text.encode(encoding))
    before = files(locales_copy)
    capsys.readouterr()
    assert main(["i18n", "xliff-import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"refused: {path}: XLIFF files may not have a DOCTYPE\n")
    assert files(locales_copy) == before
