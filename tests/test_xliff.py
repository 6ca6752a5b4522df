"""XLIFF export: what a CAT tool needs, and approval only where a reviewer gave it."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tests.helpers import approve
from webapp import xliff
from webapp.catalogs import catalog_path, load
from webapp.locales import LOCALES

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
