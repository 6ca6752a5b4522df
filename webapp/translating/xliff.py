"""Exchange with a translation agency: XLIFF 1.2 out, reviewed translations back in.

Written and read through translate-toolkit's XLIFF classes. Its po2xliff writes XLIFF 1.1,
source-language en-US, the .po file's own path as ``original``, and approves every translated
unit, so a round trip would mark every draft reviewed; set here instead: version and namespace
1.2, source-language sv, a logical ``original``, and ``approved="yes"`` only on messages the
review record approves. Placeholders (``%(name)s``)
and self-closing tags become ``<ph>``, paired inline tags ``<bpt>``/``<ept>``, each holding the
native code, so CAT tools show them as tags and give them back unchanged. Plural forms are a
``<group restype="x-gettext-plurals">`` of one trans-unit per form, ids ``<unit id>[n]``.

The reviewer of approved units is ``--reviewer`` or the ``contact-name`` of the header's
``<phase process-name="review">`` (XLIFF 1.2's place for who did which step).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Message
from lxml import etree
from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as inline

from webapp import reviews
from webapp.catalogs import LANG_MARK, PLACEHOLDER, TAG, Catalog, texts
from webapp.locales import SOURCE, LocaleInfo

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
ORIGINAL = "trygg-sida/messages"
PLURALS = "x-gettext-plurals"
TOKEN = re.compile(f"{PLACEHOLDER.pattern}|{TAG.pattern}")
# Target states (XLIFF 1.2): what the catalog says about each message.
STATE = {"reviewed": "final", "fuzzy": "needs-review-translation", "translated": "translated"}


class Unit(xliff.Xliff1Unit):
    namespace = NAMESPACE


class File(xliff.Xliff1File[Unit]):
    UnitClass = Unit
    namespace = NAMESPACE
    XMLskeleton = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{NAMESPACE}">
<file original="{ORIGINAL}" source-language="{SOURCE}" datatype="po">
<body>
</body>
</file>
</xliff>"""


def unit_id(message: Message) -> str:
    """Stable across exports: derived from context and msgid only."""
    context, msgid = reviews.key_of(message)
    return "m" + hashlib.sha256(f"{context}\x04{msgid}".encode()).hexdigest()[:12]


def _tokens(text: str) -> Iterator[str]:
    """Text and inline codes (placeholders, tags) in order."""
    position = 0
    for match in TOKEN.finditer(text):
        yield text[position : match.start()]
        yield match.group(0)
        position = match.end()
    yield text[position:]


def _ids(source: str) -> dict[tuple[str, int], str]:
    """An id for each inline code of the source, by (code, occurrence)."""
    seen: dict[str, int] = {}
    ids: dict[tuple[str, int], str] = {}
    stack: list[str] = []
    counter = 0
    for index, token in enumerate(_tokens(source)):
        if index % 2 == 0:
            continue
        occurrence = seen[token] = seen.get(token, -1) + 1
        if token.startswith("</") and stack:
            ids[(token, occurrence)] = stack.pop()
            continue
        counter += 1
        ids[(token, occurrence)] = str(counter)
        if TAG.fullmatch(token) and not token.endswith("/>"):
            stack.append(str(counter))
    return ids


def rich(text: str, source: str) -> StringElem:
    """``text`` with each inline code of ``source``, and each lang mark a translator added, as an
    XLIFF inline element; any other code stays text (the import's check will name it)."""
    ids, seen, parts, marks = _ids(source), dict[str, int](), list[Any](), _MarkIds()
    for index, token in enumerate(_tokens(text)):
        if index % 2 == 0:
            parts.append(token)
            continue
        occurrence = seen[token] = seen.get(token, -1) + 1
        code = ids.get((token, occurrence)) or marks.code(token)
        parts.append(token if code is None else _inline(token, code))
    return StringElem([part for part in parts if part != ""])


class _MarkIds:
    """Ids for the one element a translation may add (<span lang>, webapp.catalogs.LANG_MARK),
    so a CAT tool shows it as a tag to keep rather than as text to translate."""

    def __init__(self) -> None:
        self.count = 0
        self.open: list[str] = []

    def code(self, token: str) -> str | None:
        if LANG_MARK.fullmatch(token):
            self.count += 1
            self.open.append(f"lang{self.count}")
            return self.open[-1]
        return self.open.pop() if token == "</span>" and self.open else None


def _inline(token: str, code: str) -> Any:
    if not TAG.fullmatch(token) or token.endswith("/>"):
        return inline.Ph([token], id=code)
    return (inline.Ept if token.startswith("</") else inline.Bpt)([token], id=code)


def state_of(message: Message, catalog: Catalog) -> str | None:
    msgid = texts(message.id)[0]
    if not any(texts(message.string)):
        return None
    if message.fuzzy:
        return "fuzzy"
    return "reviewed" if catalog.is_reviewed(msgid) else "translated"


def export(catalog: Catalog, info: LocaleInfo) -> bytes:
    store = File(sourcelanguage=SOURCE)
    store.settargetlanguage(info.tag)
    store.switchfile(ORIGINAL, createifmissing=True)
    _header(store)
    for message in catalog.entries:
        _add(store, message, catalog)
    out = io.BytesIO()
    store.serialize(out)
    return out.getvalue()


def _header(store: File) -> None:
    header = etree.Element(f"{{{NAMESPACE}}}header")
    store.getfilenode(ORIGINAL).insert(0, header)  # XLIFF 1.2: <header> comes before <body>
    phases = etree.SubElement(header, f"{{{NAMESPACE}}}phase-group")
    etree.SubElement(phases, f"{{{NAMESPACE}}}phase", {"phase-name": "review", "process-name": "review"})
    etree.SubElement(header, f"{{{NAMESPACE}}}tool", {"tool-id": "trygg-sida", "tool-name": "Trygg sida"})
    note = etree.SubElement(header, f"{{{NAMESPACE}}}note")
    note.text = (
        "Source: Swedish. Mark a unit approved only after a qualified review; put the "
        "reviewer's name in phase/@contact-name. Keep every tag."
    )


def _add(store: File, message: Message, catalog: Catalog) -> None:
    sources, targets = texts(message.id), texts(message.string)
    state = state_of(message, catalog)
    if len(sources) == 1:
        unit = _unit(sources[0], targets[0], state, unit_id(message))
        _describe(unit, message)
        store.addunit(unit)
        return
    group = store.creategroup(ORIGINAL, True, restype=PLURALS)
    group.set("id", unit_id(message))
    for index, target in enumerate(targets):
        source = sources[min(index, 1)]
        unit = _unit(source, target, state, f"{unit_id(message)}[{index}]")
        _describe(unit, message)
        group.append(unit.xmlelement)


def _unit(source: str, target: str, state: str | None, identifier: str) -> Unit:
    unit = Unit("")
    unit.rich_source = [rich(source, source)]
    unit.setid(identifier)
    if state is not None:
        unit.rich_target = [rich(target, source)]
        unit.getlanguageNode(lang=None, index=1).set("state", STATE[state])
    if state == "reviewed":
        unit.markapproved(True)
    return unit


def _describe(unit: Unit, message: Message) -> None:
    if message.auto_comments:
        unit.addnote(" ".join(message.auto_comments), origin="developer")
    for comment in message.user_comments:
        if not comment.startswith("|"):
            unit.addnote(comment, origin="translator")
    locations = [("sourcefile", filename) for filename, _ in message.locations]
    if locations:
        unit.createcontextgroup("po-reference", locations, purpose="location")
    if message.context:
        unit.createcontextgroup("po-entry", [("x-po-msgctxt", message.context)], purpose="information")


@dataclass
class Incoming:
    """One message as the file gives it back."""

    unit_id: str
    line: int
    sources: tuple[str, ...]
    targets: tuple[str, ...] | None
    approved: bool
    confirmed: bool


class NotXliffError(ValueError):
    """The file is not an XLIFF file this project wrote (or a CAT tool kept)."""


@dataclass
class Parsed:
    target_language: str
    reviewer: str
    date: str
    units: dict[str, Incoming]


# A DOCTYPE may declare entities: a local file read into a target (XXE), or a few lines that
# expand to gigabytes. An XLIFF file never needs one, so none is parsed at all.
DOCTYPE = tuple("<!doctype".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def parse(data: bytes) -> Parsed:
    lowered = data.lower()
    if any(declaration in lowered for declaration in DOCTYPE):
        raise NotXliffError("XLIFF files may not have a DOCTYPE")
    store = File()
    try:
        store.parse(data)
    # translate-toolkit asserts the root element's name, so a file with another root fails there
    except (etree.XMLSyntaxError, ValueError, StopIteration, AssertionError) as error:
        detail = f" ({error})" if str(error) else ""
        raise NotXliffError(f"not an XLIFF 1.2 file{detail}") from error
    root = store.document.getroot()
    if etree.QName(root).localname != "xliff" or root.get("version") not in {"1.1", "1.2"}:
        raise NotXliffError('not an XLIFF 1.2 file (no <xliff version="1.2"> root)')
    files = list(root.iterchildren(f"{{{store.namespace}}}file"))
    if len(files) != 1 or files[0].get("original") != ORIGINAL:
        raise NotXliffError(f'not an export of this site (expected one <file original="{ORIGINAL}">)')
    reviewer, date = _review_phase(files[0], store.namespace)
    return Parsed(files[0].get("target-language", ""), reviewer, date, _incoming(store))


def _review_phase(file: Any, namespace: str) -> tuple[str, str]:
    for phase in file.iter(f"{{{namespace}}}phase"):
        if phase.get("process-name") == "review" and (phase.get("contact-name") or "").strip():
            return phase.get("contact-name").strip(), (phase.get("date") or "")[:10]
    return "", ""


def _incoming(store: File) -> dict[str, Incoming]:
    units: dict[str, Incoming] = {}
    for unit in store.units:
        element = unit.xmlelement
        identifier = element.get("id", "")
        parent = element.getparent()
        if parent is not None and parent.get("restype") == PLURALS:
            identifier = parent.get("id") or identifier.split("[")[0]
        one = _one(unit, identifier)
        if identifier in units:
            units[identifier] = _merge(units[identifier], one)
        else:
            units[identifier] = one
    return units


def _one(unit: Unit, identifier: str) -> Incoming:
    node = unit.getlanguageNode(lang=None, index=1)
    target = None if node is None else str(unit.target or "")
    state = "" if node is None else (node.get("state") or "")
    confirmed = bool(target) and not state.startswith("needs-") and state != "new"
    return Incoming(
        identifier,
        unit.xmlelement.sourceline or 0,
        (str(unit.source),),
        None if target is None else (target,),
        unit.isapproved(),
        confirmed,
    )


def _merge(first: Incoming, more: Incoming) -> Incoming:
    targets = (
        None if first.targets is None and more.targets is None else ((first.targets or ("",)) + (more.targets or ("",)))
    )
    return Incoming(
        first.unit_id,
        first.line,
        first.sources + more.sources,
        targets,
        first.approved and more.approved,
        first.confirmed and more.confirmed,
    )
