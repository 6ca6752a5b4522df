"""Which messages the templates show only as attribute text."""

from __future__ import annotations

from pathlib import Path

from webapp.settings import Settings
from webapp.usage import attribute_only, only_in_attributes

TEMPLATES = Settings().templates_dir
SKIFT = "Tryck på Skift %(num)d gång till för att lämna sidan."


def test_titles_and_labels_are_attribute_only_and_page_text_is_not() -> None:
    found = attribute_only(TEMPLATES)
    assert {"Laddar", "Språk och lättläst", "Tiden gick ut. Sidan lämnades inte."} <= found
    # "Vänersborgs kommun" and "Surfa säkrare" are in <title> and in page text; the Shift counter goes through
    # ngettext, which could as well give HTML; a heading is page text.
    assert not {"Vänersborgs kommun", "Surfa säkrare", SKIFT, "Få hjälp nu"} & found


def test_references_outside_the_templates_make_a_message_page_text() -> None:
    assert only_in_attributes("Laddar", [("templates/components/quick_exit.html", None)], TEMPLATES)
    assert not only_in_attributes("Laddar", [], TEMPLATES)
    assert not only_in_attributes(
        "Laddar", [("templates/components/quick_exit.html", None), ("webapp/x.py", 3)], TEMPLATES
    )
    assert not only_in_attributes("Få hjälp nu", [("templates/components/help_box.html", None)], TEMPLATES)


def test_a_template_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<p title="{{ _attr("Ett") }}">{{ _("Två") }} {{ _(name) }}</p>', "utf-8")
    (tmp_path / "b.html").write_text('{{ _attr("Två") }}{{ ngettext("Tre", "Tre", 3, text=True) }}', "utf-8")
    assert attribute_only(tmp_path) == {"Ett"}
