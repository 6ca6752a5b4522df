"""The page's facts that are data, not prose: helplines, member lists, dates, assessment checks.

They live in webapp/data/*.toml so nobody edits a template to change a phone number. The Swedish
texts in them are msgids; ``extract_toml`` is the Babel extraction method that finds them, with
a translator comment for each kind.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

DATA = Path(__file__).resolve().parent / "data"

NAME_COMMENT = (
    "Translators: the name of an organisation or service. Keep the name as it is; you may add "
    "a short explanation in your language in brackets after it."
)
DESCRIPTION_COMMENT = "Translators: who this helpline is for. Keep it short and exact."
CHECK_COMMENT = 'Translators: one item of a list that follows "Testerna kontrollerar:".'


@dataclass(frozen=True)
class Helpline:
    name: str
    number: str
    tel: str
    description: str


@dataclass(frozen=True)
class Check:
    id: str
    description: str


@dataclass(frozen=True)
class Assessment:
    assessed: datetime.date
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class PageFacts:
    updated: datetime.date
    groups: dict[str, tuple[str, ...]]


def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)


def helplines() -> tuple[Helpline, ...]:
    return tuple(
        Helpline(row["name"], row["number"], row["tel"], row["description"])
        for row in _read("helplines.toml")["helpline"]
    )


def page_facts() -> PageFacts:
    data = _read("page.toml")
    groups = {name: tuple(members) for name, members in data["groups"].items()}
    return PageFacts(updated=data["updated"], groups=groups)


def assessment() -> Assessment:
    data = _read("assessment.toml")
    checks = tuple(Check(row["id"], row["description"]) for row in data["check"])
    return Assessment(assessed=data["assessed"], checks=checks)


Extracted = tuple[int, str, str, list[str]]


def extract_toml(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[Extracted]:
    """Babel extraction method for webapp/data/*.toml (METHOD_MAP in webapp/translating/catalog_tools.py)."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    for value, comment in _messages(data):
        yield _line_of(text, value), "_", value, [comment]


def _messages(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for row in data.get("helpline", []):
        yield row["name"], NAME_COMMENT
        yield row["description"], DESCRIPTION_COMMENT
    for members in data.get("groups", {}).values():
        for member in members:
            yield member, NAME_COMMENT
    for row in data.get("check", []):
        yield row["description"], CHECK_COMMENT


def _line_of(text: str, value: str) -> int:
    return text[: text.find(f'"{value}"')].count("\n") + 1
