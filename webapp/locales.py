"""The one locale table, and language negotiation.

Everything that needs to know which languages exist reads LOCALES: negotiation, the language page,
hreflang links, the Makefile (through ``python -m webapp locales``), the catalog tools and the
tests. Babel's CLDR data fills in what it knows; the table states explicitly what CLDR lacks
(fit, rom and prs have no CLDR data; kmr only parses as an alias of ku).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.plurals import get_plural

Direction = Literal["ltr", "rtl"]
Group = Literal["source", "minority", "other"]

SOURCE = "sv"
MAX_HEADER_CHARS = 500
MAX_ENTRIES = 20


@dataclass(frozen=True)
class LocaleSpec:
    """One row of the table as written: only what CLDR cannot tell us is filled in."""

    code: str
    group: Group
    published: bool = True
    cldr: str | None = None
    endonym: str | None = None
    english: str | None = None
    direction: Direction | None = None
    script: str | None = None
    formatting: str | None = None
    plural_forms: str | None = None
    date_format: str = "long"
    months: tuple[str, ...] = ()
    # An ordinal ending after the day's number: (first day, ending) pairs, each in force from
    # its first day until the next pair's.
    day_suffixes: tuple[tuple[int, str], ...] = ()
    aliases: tuple[str, ...] = ()
    voices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    """A language a read-aloud voice may speak, named in itself."""

    tag: str
    endonym: str
    direction: Direction


@dataclass(frozen=True)
class LocaleInfo:
    """A row of the table with every value resolved."""

    code: str
    tag: str
    group: Group
    published: bool
    endonym: str
    english: str
    direction: Direction
    script: str
    formatting: str
    plural_forms: str
    nplurals: int
    date_format: str
    months: tuple[str, ...]
    day_suffixes: tuple[tuple[int, str], ...]
    aliases: tuple[str, ...]
    voices: tuple[str, ...]
    fallback_voices: tuple[Language, ...]


TABLE: tuple[LocaleSpec, ...] = (
    LocaleSpec("sv", "source"),
    LocaleSpec("fi", "minority"),
    # Meänkieli: no CLDR data. Dates in Finnish forms, the closest CLDR locale.
    LocaleSpec(
        "fit",
        "minority",
        endonym="Meänkieli",
        english="Meänkieli (Tornedalen Finnish)",
        direction="ltr",
        formatting="fi",
        plural_forms="nplurals=2; plural=(n != 1);",
    ),
    # Northern Sami texts date with the month in the genitive before the day ("golggotmánu 5.
    # beaivi 2022") or in figures, day first ("5.10.2022"). CLDR has only the nominative month
    # names and puts the year first ("2022 golggotmánnu 5"), so dates are in figures.
    LocaleSpec("se", "minority", endonym="Davvisámegiella", date_format="d.M.y"),
    # Romani: no CLDR data. Dates as 2022-10-05, so no Swedish month name lands in Romani text.
    LocaleSpec(
        "rom",
        "minority",
        endonym="Romani šib",
        english="Romani",
        direction="ltr",
        formatting="sv",
        plural_forms="nplurals=2; plural=(n != 1);",
        date_format="short",
    ),
    # Yiddish writes the day as an ordinal, 5טן אָקטאָבער 2022, after דעם in a sentence: the
    # suffix is טן up to the 19th and סטן from the 20th (20סטן, 31סטן). CLDR adds טן to every day
    # and spells three months unlike the YIVO spelling the catalog uses (מיי, אקטאבער, נאוועמבער).
    LocaleSpec(
        "yi",
        "minority",
        date_format="d MMMM y",
        day_suffixes=((1, "טן"), (20, "סטן")),
        months=(
            "יאַנואַר",
            "פֿעברואַר",
            "מערץ",
            "אַפּריל",
            "מייַ",
            "יוני",
            "יולי",
            "אויגוסט",
            "סעפּטעמבער",
            "אָקטאָבער",
            "נאָוועמבער",
            "דעצעמבער",
        ),
    ),
    LocaleSpec("en", "other"),
    LocaleSpec("ar", "other"),
    LocaleSpec("fa", "other"),
    # Dari: no CLDR data; Afghan Persian (fa_AF) formats its dates and numbers, and a Persian
    # voice reads it aloud where no Dari voice exists.
    LocaleSpec(
        "prs",
        "other",
        endonym="دری",
        english="Dari",
        direction="rtl",
        script="Arab",
        formatting="fa_AF",
        plural_forms="nplurals=2; plural=(n > 1);",
        aliases=("fa-af",),
        voices=("prs", "fa"),
    ),
    # Somali writes the day first: 5 Oktoobar 2022. CLDR puts the month first, as English does.
    LocaleSpec("so", "other", date_format="d MMMM y"),
    # Eritrean Tigrinya writes the day first without a comma (5 ጥቅምቲ 2022) and calls May ግንቦት;
    # CLDR puts the month first with a comma and has ጉንበት.
    LocaleSpec(
        "ti",
        "other",
        date_format="d MMMM y",
        months=("ጥሪ", "ለካቲት", "መጋቢት", "ሚያዝያ", "ግንቦት", "ሰነ", "ሓምለ", "ነሓሰ", "መስከረም", "ጥቅምቲ", "ሕዳር", "ታሕሳስ"),
    ),
    LocaleSpec("uk", "other"),
    LocaleSpec("pl", "other"),
    LocaleSpec("bs", "other"),
    LocaleSpec("tr", "other"),
    # Kurmanji: CLDR knows it only as ku (Latin script); speech engines name its voices ku.
    LocaleSpec(
        "kmr",
        "other",
        cldr="ku",
        endonym="Kurmancî",
        english="Kurmanji Kurdish",
        aliases=("ku", "ku-latn"),
        voices=("kmr", "ku"),
    ),
)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def _resolve(spec: LocaleSpec) -> LocaleInfo:
    cldr = _cldr(spec.cldr or spec.code)
    plural_forms = spec.plural_forms or _plural_forms(str(_require(cldr)))
    return LocaleInfo(
        code=spec.code,
        tag=spec.code,
        group=spec.group,
        published=spec.published,
        endonym=spec.endonym or _capitalised(_require(cldr).get_display_name() or spec.code),
        english=spec.english or Locale("en").languages.get(spec.cldr or spec.code, spec.code),
        direction=spec.direction or ("rtl" if _require(cldr).text_direction == "rtl" else "ltr"),
        script=spec.script or _likely_script(spec.cldr or spec.code),
        formatting=spec.formatting or str(_require(cldr)),
        plural_forms=plural_forms,
        nplurals=int(re.search(r"nplurals\s*=\s*(\d+)", plural_forms).group(1)),  # type: ignore[union-attr]
        date_format=spec.date_format,
        months=spec.months,
        day_suffixes=spec.day_suffixes,
        aliases=spec.aliases,
        voices=(spec.code, *(tag for tag in spec.voices if tag != spec.code)),
        fallback_voices=tuple(_language(tag) for tag in spec.voices if tag != spec.code),
    )


def _language(tag: str) -> Language:
    """A language as CLDR names it in itself, lower case as the name stands inside a sentence."""
    cldr = _require(_cldr(tag))
    direction: Direction = "rtl" if cldr.text_direction == "rtl" else "ltr"
    return Language(tag, cldr.get_display_name() or tag, direction)


def _cldr(identifier: str) -> Locale | None:
    try:
        return Locale.parse(identifier)
    except (UnknownLocaleError, ValueError):
        return None


def _require(locale: Locale | None) -> Locale:
    if locale is None:
        raise LookupError("a locale without CLDR data needs explicit values in the table")
    return locale


def _likely_script(code: str) -> str:
    """The script CLDR expects a language to be written in (ISO 15924: Latn, Arab, Hebr, Ethi)."""
    likely = get_global("likely_subtags").get(code)
    if likely is None:
        raise LookupError(f"{code}: no script known; give it in the table")
    return str(likely).split("_")[1]


def _plural_forms(identifier: str) -> str:
    count, expression = get_plural(identifier)
    return f"nplurals={count}; plural={expression};"


LOCALES: dict[str, LocaleInfo] = {spec.code: _resolve(spec) for spec in TABLE}
PUBLISHED: tuple[LocaleInfo, ...] = tuple(info for info in LOCALES.values() if info.published)


def published(code: str) -> LocaleInfo | None:
    """The published locale with this exact URL code, if any."""
    info = LOCALES.get(code)
    return info if info is not None and info.published else None


def _lookup_table() -> dict[str, str]:
    table = {info.tag.lower(): info.code for info in PUBLISHED}
    for info in PUBLISHED:
        table.update({alias: info.code for alias in info.aliases})
    return table


_BY_TAG = _lookup_table()
_ENTRY = re.compile(r"^([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)(?:;q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?))?$")


def parse_accept_language(header: str) -> list[str]:
    """Language ranges in order of preference, q=0 dropped. Bounded: the header is cut to
    500 characters and 20 entries before parsing, so no header can cost more than that."""
    weighted: list[tuple[float, int, str]] = []
    for position, raw in enumerate(header[:MAX_HEADER_CHARS].split(",")[:MAX_ENTRIES]):
        match = _ENTRY.match(raw.strip().replace(" ", ""))
        if match is None:
            continue
        quality = float(match.group(2)) if match.group(2) else 1.0
        if quality > 0:
            weighted.append((-quality, position, match.group(1).lower()))
    return [tag for _, _, tag in sorted(weighted)]


def match(tag: str) -> str | None:
    """The published locale for one language range: exact, alias, then ever shorter prefixes
    (sv-FI -> sv, fa-AF -> prs)."""
    parts = tag.lower().split("-")
    for end in range(len(parts), 0, -1):
        code = _BY_TAG.get("-".join(parts[:end]))
        if code is not None:
            return code
    return None


def negotiate(header: str | None) -> str:
    """The best published locale for an Accept-Language header; Swedish when nothing fits."""
    for tag in parse_accept_language(header or ""):
        code = SOURCE if tag == "*" else match(tag)
        if code is not None:
            return code
    return SOURCE
