"""XLIFF export: what a CAT tool needs, and approval only where a reviewer gave it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tests.helpers import approve
from webapp.catalogs import catalog_path, load
from webapp.locales import LOCALES
from webapp.translating import xliff

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def exported(locales: Path, code: str = "uk") -> etree._Element:
    return etree.fromstring(xliff.export(load(catalog_path(locales, code), LOCALES[code]), LOCALES[code]))


def unit(root: etree._Element, source_text: str) -> etree._Element:
    found = [
        u for u in root.iterfind(".//x:trans-unit", NS) if "".join(u.find("x:source", NS).itertext()) == source_text
    ]
    assert len(found) == 1, source_text
    return found[0]


def test_file_is_xliff_1_2_from_swedish(locales_copy: Path) -> None:
    root = exported(locales_copy)
    assert root.get("version") == "1.2" and root.tag == f"{{{NS['x']}}}xliff"
    file = root.find("x:file", NS)
    assert (file.get("source-language"), file.get("target-language"), file.get("original")) == (
        "sv",
        "uk",
        "trygg-sida/messages",
    )
    assert [child.tag.split("}")[1] for child in file] == ["header", "body"]


def test_placeholders_and_tags_are_inline_elements(locales_copy: Path) -> None:
    root = exported(locales_copy)
    dated = unit(root, "Senast uppdaterad: %(date)s")
    assert dated.find("x:source/x:ph", NS).text == "%(date)s"
    assert dated.find("x:target/x:ph", NS).get("id") == dated.find("x:source/x:ph", NS).get("id")
    tagged = next(u for u in root.iterfind(".//x:trans-unit", NS) if u.find("x:source/x:bpt", NS) is not None)
    assert tagged.find("x:source/x:bpt", NS).text == "<bdi>" and tagged.find("x:source/x:ept", NS).text == "</bdi>"


def test_a_lang_mark_a_translator_added_is_a_tag_too(locales_copy: Path) -> None:
    """The one element a translation may add (<span lang>) reaches a CAT tool as a tag to keep."""
    target = unit(exported(locales_copy), "Kvinnofridslinjen").find("x:target", NS)
    assert [(e.tag.split("}")[1], e.text) for e in target] == [("bpt", '<span lang="sv">'), ("ept", "</span>")]
    assert target[0].get("id") == target[1].get("id") and "".join(target.itertext()).startswith('<span lang="sv">')


def test_notes_context_and_plural_groups(locales_copy: Path) -> None:
    root = exported(locales_copy)
    named = unit(root, "Socialförvaltningen")
    assert "Keep the name as it is" in named.find("x:note[@from='developer']", NS).text
    assert named.find("x:context-group[@purpose='location']/x:context", NS).text == "webapp/data/page.toml"
    group = root.find(".//x:group[@restype='x-gettext-plurals']", NS)
    assert len(group.findall("x:trans-unit", NS)) == LOCALES["uk"].nplurals
    assert group.find("x:trans-unit", NS).get("id") == group.get("id") + "[0]"


def test_only_reviewed_messages_are_approved(locales_copy: Path) -> None:
    root = exported(locales_copy)
    assert root.findall(".//x:trans-unit[@approved='yes']", NS) == []
    approve(locales_copy, "uk", {"Få hjälp nu"})
    root = exported(locales_copy)
    approved = root.findall(".//x:trans-unit[@approved='yes']", NS)
    assert [u.find("x:source", NS).text for u in approved] == ["Få hjälp nu"]
    assert unit(root, "Få hjälp nu").find("x:target", NS).get("state") == "final"
    assert unit(root, "Språk").find("x:target", NS).get("state") == "translated"


def edit(locales: Path, *replacements: tuple[str, str], code: str = "uk") -> None:
    """Edit a copy of a catalog the way a translator might have left it."""
    path = catalog_path(locales, code)
    text = path.read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def test_untranslated_and_fuzzy_messages_are_not_passed_off_as_translated(locales_copy: Path) -> None:
    edit(
        locales_copy,
        ('msgid "Laddar"\nmsgstr "Завантаження"', 'msgid "Laddar"\nmsgstr ""'),
        ('msgid "Gå till innehåll"', '#, fuzzy\nmsgid "Gå till innehåll"'),
    )
    approve(locales_copy, "uk")
    root = exported(locales_copy)
    assert unit(root, "Laddar").find("x:target", NS) is None
    fuzzy = unit(root, "Gå till innehåll")
    assert fuzzy.find("x:target", NS).get("state") == "needs-review-translation"
    assert fuzzy.get("approved") is None and unit(root, "Språk").get("approved") == "yes"


def test_translator_comments_and_msgctxt_reach_the_agency(locales_copy: Path) -> None:
    edit(
        locales_copy,
        ('#: templates/components/help_box.html\nmsgid "Få hjälp nu"', '# Short: it is a button.\nmsgid "Få hjälp nu"'),
        (
            'msgid "Språk"\nmsgstr "Мова"\n',
            'msgid "Språk"\nmsgstr "Мова"\n\nmsgctxt "heading"\nmsgid "Språk"\nmsgstr "Мови"\n',
        ),
    )
    root = exported(locales_copy)
    helped = unit(root, "Få hjälp nu")
    assert helped.find("x:note[@from='translator']", NS).text == "Short: it is a button."
    assert helped.find("x:context-group", NS) is None
    languages = [u for u in root.iterfind(".//x:trans-unit", NS) if u.find("x:source", NS).text == "Språk"]
    assert len({u.get("id") for u in languages}) == 2
    contexts = [u.find("x:context-group[@name='po-entry']/x:context", NS) for u in languages]
    assert [None if c is None else (c.get("context-type"), c.text) for c in contexts] == [
        None,
        ("x-po-msgctxt", "heading"),
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({' version="1.2">': ">"}, 'no <xliff version="1.2"> root'),
        ({"<xliff ": "<xlf ", "</xliff>": "</xlf>"}, "not an XLIFF 1.2 file"),
        ({'original="trygg-sida/messages"': 'original="other-site/messages"'}, "not an export of this site"),
        ({"</file>": '</file><file original="trygg-sida/messages" source-language="sv"><body/></file>'}, "one <file"),
    ],
)
def test_a_file_that_is_not_our_xliff_is_named_so(locales_copy: Path, changes: dict[str, str], reason: str) -> None:
    text = xliff.export(load(catalog_path(locales_copy, "uk"), LOCALES["uk"]), LOCALES["uk"]).decode()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    with pytest.raises(xliff.NotXliffError, match=re.escape(reason)):
        xliff.parse(text.encode())
