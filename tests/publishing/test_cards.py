"""Printed help cards and the poster, checked as a printer and a phone would read them: Poppler's
pdfinfo, pdffonts and pdftotext, and the QR codes decoded by zbarimg from a rendered PNG. Every
PDF is rendered once per session."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from starlette.testclient import TestClient
from weasyprint.formatting_structure.boxes import TextBox

from tests.parallel import one_worker
from tests.tools import ROOT, find
from webapp import facts, reviews
from webapp.catalogs import catalog_path
from webapp.cli import main
from webapp.locales import LOCALES, PUBLISHED, SOURCE
from webapp.messages import POSTER_LINE
from webapp.pages import PAGES
from webapp.publishing import cards
from webapp.settings import Settings
from webapp.site import Site

pytestmark = one_worker("cards")
A6 = (297.64, 419.53)
A4 = (595.28, 841.89)
MIN_FONT_PX = 8 * 96 / 72
SCRIPTS = {
    "ar": "[\u0620-\u064a]",
    "fa": "[\u0620-\u064a]",
    "prs": "[\u0620-\u064a]",
    "yi": "[\u05d0-\u05ea]",
    "ti": "[\u1200-\u137f]",
    "uk": "[\u0400-\u04ff]",
}
FONT_OF_SCRIPT = {"ar": "Noto-Sans-Arabic", "fa": "Noto-Sans-Arabic", "prs": "Noto-Sans-Arabic"}
FONT_OF_SCRIPT |= {"yi": "Noto-Sans-Hebrew", "ti": "Noto-Sans-Ethiopic"}
# Words a title in a viewer's list of recent files must not show, in Swedish and English; each
# locale adds its own words for violence and help (from its catalog).
VIOLENCE = ("våld", "misshandel", "brott", "hjälp", "kvinnofrid", "övergrepp", "violence", "abuse", "help", "crime")
OWN_WORDS = ("Ett nätverk mot våld", "Få hjälp nu")
DRAFT_SV = "Översättningen är ett utkast som inte har granskats."
CODES = [info.code for info in PUBLISHED]
# The directional marks pdftotext puts around right-to-left and embedded left-to-right text.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> dict[str, cards.Printed]:
    items = cards.render(settings, tmp_path_factory.mktemp("cards"))
    cards.write(items)
    return {item.path.stem: item for item in items}


@pytest.fixture(scope="session")
def site(settings: Settings) -> Site:
    return Site.load(settings)


def run(*command: str) -> str:
    return subprocess.run([find(command[0]), *command[1:]], capture_output=True, text=True, check=True).stdout


@functools.cache
def info_of(path: Path) -> dict[str, str]:
    lines = run("pdfinfo", "-enc", "UTF-8", str(path)).splitlines()
    return {name.strip(): value.strip() for name, _, value in (line.partition(":") for line in lines)}


@functools.cache
def text_of(path: Path) -> str:
    return run("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-")


def words(text: str) -> str:
    return " ".join(text.translate(BIDI_CONTROLS).split())


def shows(item: cards.Printed, phrase: str) -> bool:
    """Whether the laid-out text has the phrase, in logical order. (pdftotext writes Arabic
    ligatures such as lam-alef in visual order and splits Yiddish words after a vowel point, so
    right-to-left phrases are looked for in the layout, not in the PDF's text.)"""
    return words(phrase) in words(" ".join(box.text for box in boxes(item) if isinstance(box, TextBox)))


def decoded(path: Path) -> list[str]:
    """Every QR code zbarimg finds on a 200 dpi render of the PDF."""
    png = path.with_suffix("")
    run("pdftoppm", "-r", "200", "-png", "-singlefile", str(path), str(png))
    result = subprocess.run([find("zbarimg"), "-q", "--raw", f"{png}.png"], capture_output=True, text=True)
    return result.stdout.splitlines()


def fonts_of(path: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font pdffonts lists, cut at its dashed ruler's columns."""
    lines = run("pdffonts", str(path)).splitlines()
    columns = [match.span() for match in re.finditer(r"-+", lines[1])]
    (name_start, name_end), (emb_start, emb_end) = columns[0], columns[3]
    return [(line[name_start:name_end].strip(), line[emb_start:emb_end].strip()) for line in lines[2:]]


def page_size(path: Path) -> tuple[float, float]:
    width, _, height = info_of(path)["Page size"].split()[:3]
    return float(width), float(height)


def address(settings: Settings, code: str) -> str:
    return f"{settings.base_url}/{code}/"


def boxes(item: cards.Printed) -> Iterator[Any]:
    for page in item.document.pages:
        yield from page._page_box.descendants()


def text_sizes(item: cards.Printed) -> Iterator[float]:
    for box in boxes(item):
        if isinstance(box, TextBox) and box.text.strip():
            yield float(box.style["font_size"])


@pytest.mark.parametrize("code", CODES)
def test_a_card_is_one_a6_page(printed: dict[str, cards.Printed], code: str) -> None:
    path = printed[code].path
    assert info_of(path)["Pages"] == "1"
    assert page_size(path) == pytest.approx(A6, abs=0.1)
    assert cards.fill(printed[code].document) <= 1


@pytest.mark.parametrize("code", CODES)
def test_a_card_has_every_helpline_112_first(printed: dict[str, cards.Printed], code: str) -> None:
    text = words(text_of(printed[code].path))
    numbers = [line.number for line in facts.helplines()]
    assert numbers[0] == "112"
    positions = [text.find(number) for number in numbers]
    assert -1 not in positions, (numbers, text)
    assert positions == sorted(positions)


@pytest.mark.parametrize("code", CODES)
def test_each_number_is_one_left_to_right_run(printed: dict[str, cards.Printed], code: str) -> None:
    """In right-to-left text too: each number is laid out as a whole, left to right, so no part
    of it can change places (50 50 50-020)."""
    runs = {box.text: box.style["direction"] for box in boxes(printed[code]) if isinstance(box, TextBox)}
    assert all(runs.get(line.number) == "ltr" for line in facts.helplines()), runs


@pytest.mark.parametrize("code", CODES)
def test_a_cards_qr_code_is_its_address(printed: dict[str, cards.Printed], settings: Settings, code: str) -> None:
    assert decoded(printed[code].path) == [address(settings, code)]
    assert address(settings, code) in text_of(printed[code].path)


@pytest.mark.parametrize("code", [*CODES, cards.POSTER])
def test_every_font_is_embedded(printed: dict[str, cards.Printed], code: str) -> None:
    fonts = fonts_of(printed[code].path)
    assert fonts
    assert all(emb == "yes" for _, emb in fonts), fonts
    assert all(re.match(r"[A-Z]{6}\+Noto", name) for name, _ in fonts), fonts


@pytest.mark.parametrize("code", CODES)
def test_a_card_is_in_its_language_and_script(printed: dict[str, cards.Printed], site: Site, code: str) -> None:
    text = text_of(printed[code].path)
    assert "\ufffd" not in text
    assert re.search(SCRIPTS.get(code, "[A-Za-z]"), text)
    heading = site.translator(LOCALES[code]).text(cards.MESSAGES["heading"])
    assert shows(printed[code], heading)
    assert LOCALES[code].direction == "rtl" or words(heading) in words(text)
    fonts = " ".join(name for name, _ in fonts_of(printed[code].path))
    assert FONT_OF_SCRIPT.get(code, "+Noto-Sans") in fonts


@pytest.mark.parametrize("code", CODES)
def test_metadata_says_nothing_about_violence(printed: dict[str, cards.Printed], site: Site, code: str) -> None:
    info = info_of(printed[code].path)
    translator = site.translator(LOCALES[code])
    municipality = translator.text(cards.MESSAGES["municipality"])
    assert info["Title"] == f"{municipality} – {LOCALES[code].endonym}"
    assert info["Author"] == municipality
    shown = " ".join(info.get(name, "") for name in ("Title", "Subject", "Keywords", "Author", "Creator", "Producer"))
    assert not [word for word in VIOLENCE if word in shown.casefold()]
    own = {word.casefold() for msgid in OWN_WORDS for word in re.findall(r"\w{3,}", translator.text(msgid))}
    assert not own & set(re.findall(r"\w+", shown.casefold()))
    assert printed[code].document.make_bookmark_tree() == []


@pytest.mark.parametrize("code", CODES)
def test_no_text_is_smaller_than_8_pt(printed: dict[str, cards.Printed], code: str) -> None:
    sizes = set(text_sizes(printed[code]))
    assert min(sizes) >= MIN_FONT_PX - 0.01, sorted(sizes)


@pytest.mark.parametrize("code", CODES)
def test_an_unreviewed_card_has_the_sites_draft_mark(printed: dict[str, cards.Printed], site: Site, code: str) -> None:
    msgids = [cards.MESSAGES["heading"], cards.MESSAGES["municipality"]]
    msgids += [text for line in facts.helplines() for text in (line.name, line.description)]
    draft = site.translations.unreviewed(LOCALES[code], msgids)
    assert shows(printed[code], DRAFT_SV) == (draft and code != SOURCE)
    assert shows(printed[code], site.translator(LOCALES[code]).text(cards.MESSAGES["draft"])) == draft


def test_a_reviewed_card_has_no_draft_mark(locales_copy: Path, settings: Settings, tmp_path: Path) -> None:
    po = catalog_path(locales_copy, "en")
    with po.open("rb") as file:
        catalog = read_po(file)
    msgids = {cards.MESSAGES["heading"], cards.MESSAGES["municipality"]}
    msgids |= {text for line in facts.helplines() for text in (line.name, line.description)}
    approvals = [reviews.approve(catalog[msgid], "Test Reviewer", facts.page_facts().updated) for msgid in msgids]
    reviews.record_path(po).write_text(reviews.dump("en", approvals), "utf-8")
    [card] = cards.render(replace(settings, locales_dir=locales_copy), tmp_path, ["en"])
    assert shows(card, "Get help now")
    assert not shows(card, DRAFT_SV)
    assert not shows(card, Site.load(settings).translator(LOCALES["en"]).text(cards.MESSAGES["draft"]))


def test_the_poster_has_every_language(printed: dict[str, cards.Printed], site: Site, settings: Settings) -> None:
    path = printed[cards.POSTER].path
    assert info_of(path)["Pages"] == "1"
    assert page_size(path) == pytest.approx(A4, abs=0.1)
    text = text_of(path)
    for info in PUBLISHED:
        assert shows(printed[cards.POSTER], info.endonym)
        assert info.direction == "rtl" or info.endonym in text
        assert address(settings, info.code) in text
        assert shows(printed[cards.POSTER], site.translator(info).text(POSTER_LINE))
    assert sorted(decoded(path)) == sorted(address(settings, info.code) for info in PUBLISHED)
    assert "\ufffd" not in text
    assert min(text_sizes(printed[cards.POSTER])) >= MIN_FONT_PX - 0.01
    assert info_of(path)["Title"] == "Vänersborgs kommun"


def test_the_cards_say_the_sites_own_messages() -> None:
    with (ROOT / "locales" / "messages.pot").open("rb") as file:
        msgids = {message.id for message in read_po(file)}
    assert {*cards.MESSAGES.values(), POSTER_LINE} <= msgids
    assert DRAFT_SV in (ROOT / "templates" / "components" / "draft_notice.html").read_text("utf-8")


def test_cli_writes_the_cards_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cards", "-o", str(tmp_path), "sv"]) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["sv.pdf"]
    assert "% full" in capsys.readouterr().out


def test_codes_name_cards_and_the_poster() -> None:
    assert cards.targets(["ar", "languages"]) == [LOCALES["ar"], None]
    assert cards.targets([]) == [*PUBLISHED, None]


def test_an_unknown_code_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["cards", "-o", str(out), "sv", "xx", "ar"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "xx: not a published locale" in error
    assert not out.exists()


def test_a_missing_font_names_the_debian_package(settings: Settings, tmp_path: Path) -> None:
    fonts = {**cards.FONTS, "Noto Sans Klingon": "fonts-noto-extra"}
    with pytest.raises(
        cards.PrintError, match=r'font "Noto Sans Klingon" not found: install the Debian package fonts-noto-extra$'
    ):
        cards.render(settings, tmp_path, ["sv"], fonts=fonts)
    assert list(tmp_path.iterdir()) == []


def test_without_the_print_extra_one_line_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    assert main(["cards", "-o", str(tmp_path / "out"), "sv"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert cards.INSTALL in error
    assert not (tmp_path / "out").exists()


def test_an_unwritable_folder_is_one_line(printed: dict[str, cards.Printed], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    moved = [replace(item, path=blocker / item.path.name) for item in printed.values()]
    with pytest.raises(cards.PrintError, match="cannot write"):
        cards.write(moved)


def test_a_card_that_spills_onto_a_second_page_fails(
    locales_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = catalog_path(locales_copy, "fi")
    long = "Hyvin pitkä selitys, joka ei mahdu kortille. " * 30
    text = po.read_text("utf-8").replace('msgstr "Tukea lapsille ja nuorille."', f'msgstr "{long}"')
    assert text != po.read_text("utf-8")
    po.write_text(text, "utf-8")
    monkeypatch.setenv("TRYGG_LOCALES_DIR", str(locales_copy))
    assert main(["cards", "-o", str(tmp_path), "fi"]) == 1
    assert "more than one page: fi.pdf" in capsys.readouterr().err


def test_serving_never_imports_the_print_libraries() -> None:
    code = (
        "import sys, webapp.app, webapp.cli, webapp.publishing.cards; webapp.app.create_app(); "
        "print([name for name in sys.modules if name.split('.')[0] in ('weasyprint', 'segno')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_no_page_of_the_site_links_a_pdf(client: TestClient) -> None:
    for info in PUBLISHED:
        for page in PAGES:
            body = client.get(page.path(info.code)).text
            assert ".pdf" not in body.casefold(), page.path(info.code)
