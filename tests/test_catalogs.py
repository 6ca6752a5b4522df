"""Broken catalogs never take the site down, and never lose a translator's work.

Each fault is written into a copy of a real catalog (Ukrainian: it has three plural forms). For
each: the service starts and serves every other locale fully; in the broken locale only the broken
messages fall back to Swedish, marked lang="sv"; the log names file and line once; ``i18n check``
fails naming file:line; and the file is byte for byte what the translator wrote.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import app_client, swedish_fallbacks
from webapp import catalogs
from webapp.catalogs import (
    MARKED_SCRIPTS,
    catalog_path,
    foreign_word_problem,
    load,
    markup_problem,
    placeholder_problem,
)
from webapp.cli import main
from webapp.locales import LOCALES, PUBLISHED
from webapp.settings import ROOT, Settings

TEMPLATES = Settings().templates_dir

VICTIM = "uk"
SV = '<span class="untranslated" lang="sv" dir="ltr">'


def msgstr_of(text: str, msgid: str) -> str:
    match = re.search(rf'^msgid "{re.escape(msgid)}"\nmsgstr "(.*)"$', text, re.MULTILINE)
    assert match, msgid
    return match.group(1)


def replace_msgstr(text: str, msgid: str, new: str) -> str:
    old = f'msgid "{msgid}"\nmsgstr "{msgstr_of(text, msgid)}"'
    return text.replace(old, f'msgid "{msgid}"\nmsgstr "{new}"')


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def syntax_error(text: str) -> tuple[str, str, int]:
    broken = replace_msgstr(text, "Få hjälp nu", "Отримати допомогу").replace(
        'msgstr "Отримати допомогу"', 'msgstr "Отримати допомогу', 1
    )
    return broken, SV + "Få hjälp nu", line_of(broken, 'msgstr "Отримати допомогу\n')


def unknown_placeholder(text: str) -> tuple[str, str, int]:
    broken = replace_msgstr(text, "Senast uppdaterad: %(date)s", "Оновлено: %(datum)s")
    return broken, SV + "Senast uppdaterad:", line_of(broken, 'msgid "Senast uppdaterad')


def script_injected(text: str) -> tuple[str, str, int]:
    broken = replace_msgstr(text, "Gå till innehåll", "<script>alert(1)</script>Перейти")
    return broken, SV + "Gå till innehåll", line_of(broken, 'msgid "Gå till innehåll"')


def attribute_injected(text: str) -> tuple[str, str, int]:
    injected = '<a href=\\"javascript:alert(1)\\" onclick=\\"x()\\">Допомога</a>'
    broken = replace_msgstr(text, "Få hjälp nu", injected)
    return broken, SV + "Få hjälp nu", line_of(broken, 'msgid "Få hjälp nu"')


def wrong_plural_count(text: str) -> tuple[str, str, int]:
    broken = re.sub(r'\nmsgstr\[2\] "[^"]*"', "", text, count=1)
    # In a data attribute (read by the script), where no element can carry lang="sv".
    return broken, 'data-msg-2="Tryck på Skift 2 gånger till', line_of(broken, "msgid_plural") - 1


def fuzzy_header(text: str) -> tuple[str, str, int]:
    return text.replace('msgid ""\nmsgstr ""', '#, fuzzy\nmsgid ""\nmsgstr ""', 1), "", 1


def invalid_encoding(text: str) -> tuple[str, str, int]:
    broken = replace_msgstr(text, "Få hjälp nu", "@@LATIN1@@")
    return broken, SV + "Få hjälp nu", line_of(broken, "@@LATIN1@@")


FAULTS: dict[str, Callable[[str], tuple[str, str, int]]] = {
    "syntax error": syntax_error,
    "unknown placeholder": unknown_placeholder,
    "script in msgstr": script_injected,
    "javascript: link in msgstr": attribute_injected,
    "wrong plural count": wrong_plural_count,
    "fuzzy header": fuzzy_header,
    "invalid encoding": invalid_encoding,
}


def write_fault(locales: Path, fault: str) -> tuple[Path, bytes, str, int]:
    path = catalog_path(locales, VICTIM)
    broken, fallback, line = FAULTS[fault](path.read_text("utf-8"))
    data = broken.encode("utf-8").replace(b"@@LATIN1@@", "Dåligt kodad".encode("latin-1"))
    path.write_bytes(data)
    return path, data, fallback, line


def serve(locales: Path) -> AbstractContextManager[TestClient]:
    return app_client(Settings(locales_dir=locales))


def assert_other_locales_whole(client: TestClient) -> None:
    for code in ("en", "ar", "fi"):
        for path in (f"/{code}/", f"/{code}/plain"):
            response = client.get(path)
            assert response.status_code == 200
            assert swedish_fallbacks(response.text) == set()


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_catalog_costs_only_its_broken_messages(
    fault: str, locales_copy: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    path, written, fallback, line = write_fault(locales_copy, fault)
    with caplog.at_level(logging.WARNING, logger="webapp"), serve(locales_copy) as client:
        page = client.get(f"/{VICTIM}/").text
        assert client.get(f"/{VICTIM}/plain").status_code == 200
        assert_other_locales_whole(client)
    if fallback:
        assert fallback in page
    assert "Швидко покинути сторінку" in page  # an untouched message keeps its translation
    assert "<script>alert" not in page and "javascript:" not in page and "onclick" not in page
    named = [r for r in caplog.records if f"{path}:{line}:" in r.getMessage()]
    assert len(named) == 1, [r.getMessage() for r in caplog.records]
    assert main(["i18n", "check", str(path)]) == 1
    assert f"{path}:{line}:" in capsys.readouterr().out
    assert path.read_bytes() == written


@pytest.mark.parametrize("fault", ["empty file", "missing file"])
def test_an_empty_or_missing_catalog_shows_swedish_marked(
    fault: str, locales_copy: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalog_path(locales_copy, VICTIM)
    if fault == "empty file":
        path.write_bytes(b"")
    else:
        path.unlink()
    with caplog.at_level(logging.WARNING, logger="webapp"), serve(locales_copy) as client:
        response = client.get(f"/{VICTIM}/")
        assert_other_locales_whole(client)
    assert response.status_code == 200
    assert '<html lang="uk" dir="ltr">' in response.text
    assert '<span class="untranslated" lang="sv" dir="ltr">Lämna sidan snabbt</span>' in response.text
    assert sum(str(path) in r.getMessage() for r in caplog.records) == 1
    assert main(["i18n", "check", str(path)]) == 1
    assert str(path) in capsys.readouterr().out
    assert path.exists() == (fault == "empty file")
    if fault == "empty file":
        assert path.read_bytes() == b""


def test_fuzzy_and_untranslated_entries_fall_back_and_fail_only_the_strict_check(
    locales_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalog_path(locales_copy, VICTIM)
    text = path.read_text("utf-8")
    text = text.replace('msgid "Få hjälp nu"', '#, fuzzy\nmsgid "Få hjälp nu"')
    text = replace_msgstr(text, "Gå till innehåll", "")
    path.write_text(text, "utf-8")
    with serve(locales_copy) as client:
        page = client.get("/uk/").text
    assert SV + "Få hjälp nu</span>" in page
    assert SV + "Gå till innehåll</span>" in page
    assert main(["i18n", "check", str(path)]) == 0
    capsys.readouterr()
    assert main(["i18n", "check", "--strict", str(path)]) == 1
    out = capsys.readouterr().out
    assert "fuzzy" in out and "untranslated" in out


@pytest.mark.parametrize(
    ("translation", "ok"),
    [
        ("Hello <bdi>Vänersborg</bdi>", True),
        ("Hello", True),
        ("<bdi>x</bdi> <bdi>y</bdi>", False),
        ("<b>x</b>", False),
        ("<bdi>x", False),
        ("</bdi>x<bdi>", False),
        ("a < b", True),
        ("<img src=x onerror=alert(1)>", False),
        ("< script>", True),
        ("<!-- x -->", False),
        ('<span lang="sv">Skift</span> x', True),
        ('<span lang="en" dir="ltr">Shift</span>', True),
        ('<span lang="sv">a</span> <span lang="en">b</span>', True),
        ('<span lang="sv">a</span> <span lang="sv">b</span>', True),
        ('<span lang="xx-yy">a</span>', False),
        ('<span lang="sv" onclick="x">a</span>', False),
        ('<span lang="sv">a', False),
        ('<span class="x">a</span>', False),
        ('<span lang="sv" dir="up">a</span>', False),
    ],
)
def test_markup_rule(translation: str, ok: bool) -> None:
    assert (markup_problem(("Hej <bdi>Vänersborg</bdi>",), translation) is None) is ok


@pytest.mark.parametrize(
    ("translation", "plural", "ok"),
    [
        ("%(date)s", False, True),
        ("", False, False),
        ("%(datum)s", False, False),
        ("%(date)s %", False, False),
        ("%(date)s %%", False, True),
        ("%s", False, False),
        ("one more", True, True),
        ("%(date)d", False, True),
    ],
)
def test_placeholder_rule(translation: str, plural: bool, ok: bool) -> None:
    assert (placeholder_problem(("Datum %(date)s",), translation, plural) is None) is ok


@pytest.mark.parametrize(
    ("translation", "ok"),
    [
        ("اتصل بـ <bdi>BRIS</bdi>", False),
        ('اتصل بـ <bdi><span lang="sv" dir="ltr">BRIS</span></bdi>', True),
        ("اضغط على Shift", False),
        ('اضغط على <kbd><span lang="en" dir="ltr">Shift</span></kbd>', True),
        ("ጠውቕ Shift", False),
        ("דריקט Shift", False),
        ("BRIS", False),
        ("%(date)s تاريخ", True),
        ('<bdi><span lang="sv" dir="ltr">BRIS</span></bdi> و JavaScript', False),
    ],
)
def test_every_latin_word_in_these_scripts_is_marked(translation: str, ok: bool) -> None:
    source = ("Ring <bdi>BRIS</bdi>, tryck på Skift, JavaScript, %(date)s",)
    assert (foreign_word_problem(source, translation) is None) is ok


@pytest.mark.parametrize(
    ("translation", "ok"),
    [("اتصل بـ BRIS", True), ("BRIS و JavaScript", True), ("اضغط على Shift", False)],
)
def test_in_attribute_text_a_name_from_the_msgid_may_stand_bare(translation: str, ok: bool) -> None:
    source = ("Ring BRIS, tryck på Skift, JavaScript",)
    assert (foreign_word_problem(source, translation, in_attribute=True) is None) is ok


def test_an_unmarked_name_in_arabic_is_refused_with_file_and_line(
    locales_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name from the msgid, bare in Arabic text, is refused: the page shows the Swedish name,
    marked lang="sv", and the checker names file and line."""
    path = catalog_path(locales_copy, "ar")
    text = path.read_text("utf-8")
    marked = msgstr_of(text, "BRIS")
    assert marked.startswith('<span lang=\\"sv\\" dir=\\"ltr\\">BRIS</span> (')
    path.write_text(replace_msgstr(text, "BRIS", "BRIS (منظمة لدعم الأطفال والشباب)"), "utf-8")
    assert main(["i18n", "check", str(path)]) == 1
    line = line_of(path.read_text("utf-8"), 'msgid "BRIS"')
    assert f'{path}:{line}: "BRIS" is in Latin script but not marked' in capsys.readouterr().out
    with serve(locales_copy) as client:
        assert SV + "BRIS</span>" in client.get("/ar/").text


def test_a_page_description_keeps_its_bare_name(locales_copy: Path) -> None:
    """The ar page description (attribute text: the templates give it only to _attr) names the
    municipality in Latin letters without a mark, and is kept; once its references say code or
    data uses it too, it may end up in page text, and the same translation is refused."""
    description = (
        "Så samverkar Vänersborgs kommun mot våld i nära relationer. "
        "Här hittar du telefonnummer dit du kan ringa för att få hjälp."
    )
    path = catalog_path(locales_copy, "ar")
    assert "Vänersborgs kommun ضد" in load(path, LOCALES["ar"], TEMPLATES).messages[description]
    text = path.read_text("utf-8")
    reference = '#: templates/pages/standard.html\nmsgid ""\n"Så samverkar'
    path.write_text(text.replace(reference, reference.replace(".html", ".html webapp/data/page.toml")), "utf-8")
    catalog = load(path, LOCALES["ar"], TEMPLATES)
    assert description not in catalog.messages
    assert [(p.line, p.message) for p in catalog.problems] == [
        (line_of(text, reference) + 1, '"Vänersborgs" is in Latin script but not marked <span lang="..." dir="ltr">')
    ]


@pytest.mark.parametrize("code", [info.code for info in PUBLISHED if info.script in MARKED_SCRIPTS])
def test_the_real_catalogs_mark_every_latin_word(code: str) -> None:
    catalog = load(catalog_path(ROOT / "locales", code), LOCALES[code])
    assert catalog.problems == []
    assert sum('<span lang="' in text for text in catalog.messages.values()) >= 20


def test_a_plural_with_the_wrong_number_of_forms_is_refused(locales_copy: Path) -> None:
    """A catalog whose header says two forms where Ukrainian has three: its two-form plurals fall
    back to Swedish (the header itself is reported by the checker)."""
    path = catalog_path(locales_copy, "uk")
    text = path.read_text("utf-8").replace("nplurals=3;", "nplurals=2;", 1)
    start = text.index("msgstr[2]")
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :], "utf-8")
    catalog = load(path, LOCALES["uk"])
    assert [problem.message for problem in catalog.problems] == ["2 plural forms, but uk has 3"]
    assert catalog.plurals == {}


def test_self_closing_tags_of_the_msgid_need_no_closing() -> None:
    assert markup_problem(("Rad<br/>rad",), "Line<br/>line") is None
    assert markup_problem(("Rad<br/>rad",), "Line<br>line") is not None


def test_the_same_content_is_parsed_once_and_each_load_is_its_own(tmp_path: Path) -> None:
    """Two files with one content: parsed once; each load names its own file in its problems, and
    what a caller changes in one load is in no other."""
    text = catalog_path(ROOT / "locales", VICTIM).read_text("utf-8")
    broken = text + f'\n#: {tmp_path.name}\nmsgid "Ingenting"\nmsgstr "%(okänd)s"\n'
    paths = [catalog_path(tmp_path / folder, VICTIM) for folder in ("a", "b")]
    for path in paths:
        path.parent.mkdir(parents=True)
        path.write_text(broken, "utf-8")
    before = catalogs._read.cache_info()
    first, second = (load(path, LOCALES[VICTIM]) for path in paths)
    after = catalogs._read.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    assert [(p.path, p.line) for p in first.problems] == [(paths[0], broken.count("\n") - 1)]
    assert [(p.path, p.line) for p in second.problems] == [(paths[1], broken.count("\n") - 1)]
    first.messages.clear()
    first.problems.clear()
    first.entries.clear()
    again = load(paths[1], LOCALES[VICTIM])
    assert again.messages == second.messages != {}
    assert again.problems == second.problems != []
    assert again.entries == second.entries != []


def test_a_file_changed_on_disk_is_read_as_it_is_now(locales_copy: Path) -> None:
    path = catalog_path(locales_copy, VICTIM)
    good = path.read_text("utf-8")
    path.write_text(good + '\n#: x.py\nmsgid "Ingenting"\nmsgstr "%(okänd)s"\n', "utf-8")
    assert load(path, LOCALES[VICTIM]).problems != []
    path.write_text(good, "utf-8")
    assert load(path, LOCALES[VICTIM]).problems == []
