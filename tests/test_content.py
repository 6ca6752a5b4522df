"""The Swedish pages against the municipality's source text, and how easy each is to read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import block_sentences, lix, sentences, text_blocks, visible_text
from webapp.locales import PUBLISHED

SOURCE = Path(__file__).parent / "source-page.sv.txt"
# Lines of the source that are the municipal site's own chrome, not the page's content:
# "Gå till innehåll" is our skip link (outside <main>), "Verktygsfält" their toolbar's label.
CHROME = {"Gå till innehåll", "Verktygsfält", "Senast uppdaterad", "5 oktober 2022"}


def source_sentences() -> list[str]:
    lines = SOURCE.read_text("utf-8").splitlines()
    text = "\n".join(line.strip().lstrip("•").strip() for line in lines)
    return [s for s in sentences(text) if s not in CHROME]


def test_source_copy_is_the_municipal_page() -> None:
    assert source_sentences()[0] == "Samverkan mot våld i nära relation"
    assert len(source_sentences()) > 40


@pytest.mark.parametrize("sentence", source_sentences())
def test_every_source_sentence_is_on_the_swedish_page(client: TestClient, sentence: str) -> None:
    page = visible_text(client.get("/sv/").text)
    assert sentence in page


def test_updated_date_is_a_time_element(client: TestClient) -> None:
    html = client.get("/sv/").text
    assert '<time datetime="2022-10-05">5 oktober 2022</time>' in html
    assert "Senast uppdaterad:" in visible_text(html)


def test_member_lists_are_lists(client: TestClient) -> None:
    html = client.get("/sv/").text
    assert html.count('<ul class="org-list">') == 2
    assert "<li>Kvinnojouren Duvan</li>" in html


def test_sections_are_h2_headings(client: TestClient) -> None:
    html = client.get("/sv/").text
    for heading in (
        "Samlad kraft för förebyggande arbete",
        "Samverkansgruppen mot våld i nära relation",
        "Lokalt nätverk mot våld i nära relation",
        "Sidinformation",
    ):
        assert f">{heading}</h2>" in html


def measured_lix(client: TestClient, path: str) -> float:
    return lix(text_blocks(client.get(path).text))


def test_easy_to_read_page_has_lix_at_most_30(client: TestClient) -> None:
    plain, standard = measured_lix(client, "/sv/plain"), measured_lix(client, "/sv/")
    print(f"\nLIX: easy-to-read {plain:.1f}, standard {standard:.1f}")
    assert plain <= 30
    assert standard > plain


def sentence_figures(client: TestClient, path: str) -> tuple[float, int]:
    """Words per sentence and the longest sentence's words, over the page's own paragraphs
    (not the help box, draft notice or page information, which both pages share)."""
    main = client.get(path).text.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<(div|section) class="(draft-notice|help-box|page-info)".*?</\1>', "", main, flags=re.S)
    paragraphs = [" ".join(re.sub(r"<[^>]+>", "", p).split()) for p in re.findall(r"<p[ >].*?</p>", main, re.S)]
    found = block_sentences([p for p in paragraphs if p])
    return sum(map(len, found)) / len(found), max(map(len, found))


@pytest.mark.parametrize("code", [info.code for info in PUBLISHED])
def test_easy_to_read_sentences_are_clearly_shorter(client: TestClient, code: str) -> None:
    """In every language the easy-to-read page's sentences are at most 65 % as long as the
    standard page's (48-63 % when this was first measured), and its longest is shorter."""
    plain, standard = sentence_figures(client, f"/{code}/plain"), sentence_figures(client, f"/{code}/")
    print(
        f"\n{code}: words per sentence {plain[0]:.1f} (standard {standard[0]:.1f}, "
        f"{plain[0] / standard[0]:.0%}); longest sentence {plain[1]} words (standard {standard[1]})"
    )
    assert plain[0] <= 0.65 * standard[0]
    assert plain[1] < standard[1]


def test_safety_page_is_easy_to_read(client: TestClient) -> None:
    assert measured_lix(client, "/sv/safety") <= 35


def test_lix_formula_on_a_known_text() -> None:
    # 6 words, 2 sentences, 1 long word (tillsammans): 3 + 100/6.
    assert lix(["Vi jobbar tillsammans.", "Det går bra."]) == pytest.approx(3 + 100 / 6)


def test_easy_to_read_page_explains_its_hard_words(client: TestClient) -> None:
    page = visible_text(client.get("/sv/plain").text)
    for explanation in ("Att förebygga betyder", "Samverka betyder", "Ett nätverk är", "En kampanj är"):
        assert explanation in page


def test_easy_to_read_page_keeps_the_facts(client: TestClient) -> None:
    page = visible_text(client.get("/sv/plain").text)
    for fact in (
        "2020",
        "En vecka fri från våld",
        "Orange day",
        "Västra Götalandsregionen",
        "Samverkan Vänersborg",
        "Kommunstyrelseförvaltningen",
        "UN Women",
    ):
        assert fact in page


def test_statement_claims_only_checks_that_run(client: TestClient) -> None:
    """Every check the accessibility statement lists names tests that exist."""
    import importlib
    import tomllib

    from webapp.facts import DATA

    checks = tomllib.loads((DATA / "assessment.toml").read_text("utf-8"))["check"]
    page = visible_text(client.get("/sv/accessibility").text)
    for check in checks:
        assert re.sub(r"<[^>]+>", "", check["description"]) in page
        assert check["tests"], check["id"]
        for test in check["tests"]:
            module, name = test.removesuffix(".py").replace(".py::", "::").split("::")
            assert callable(getattr(importlib.import_module(module.replace("/", ".")), name)), test
