"""The review record: which messages a named reviewer approved, kept beside each catalog.

``locales/<code>/LC_MESSAGES/reviews.json`` holds one entry per approved message, sorted by
(msgctxt, msgid) so a diff shows exactly which sentences were approved or withdrawn::

    {"msgid": "Få hjälp nu", "translation": "Отримати допомогу зараз",
     "reviewer": "Olena Koval", "date": "2026-12-01", "digest": "sha256:..."}

The digest is SHA-256 over (msgctxt, msgid, msgid_plural, every msgstr form). A message is
*reviewed* while an entry's digest equals the digest of its current source and translation, so an
edited msgstr or a new Swedish sentence makes the approval lapse by itself. It is *out of date*
when it is not reviewed but was approved once: an entry exists for its key with another digest,
or for the previous msgid msgmerge recorded on it (``#| msgid``). The .po files are never touched
by any of this; a .po has no approved state and gettext's planned ``#=`` line is not readable yet.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import unescape

RECORD = "reviews.json"
EXCERPT = 80

Key = tuple[str, str]


@dataclass(frozen=True)
class Review:
    """One approval: who approved which exact text, when."""

    msgctxt: str
    msgid: str
    translation: str
    reviewer: str
    date: str
    digest: str

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)


class RecordError(ValueError):
    """The record cannot be read; ``line`` is where (0 if unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def record_path(catalog: Path) -> Path:
    return catalog.parent / RECORD


def texts(value: object) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple of strings, whether it has plural forms or not."""
    items = value if isinstance(value, tuple | list) else (value,)
    return tuple("" if item is None else str(item) for item in items)


def key_of(message: Message) -> Key:
    return (message.context or "", texts(message.id)[0])


def digest(message: Message) -> str:
    """What an approval is bound to: context, both msgids and every translated form."""
    ids = texts(message.id)
    payload = [message.context or "", ids[0], ids[1] if len(ids) > 1 else "", list(texts(message.string))]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def approve(message: Message, reviewer: str, date: datetime.date) -> Review:
    context, msgid = key_of(message)
    translation = excerpt(texts(message.string)[0])
    return Review(context, msgid, translation, reviewer, date.isoformat(), digest(message))


def previous_key(message: Message) -> Key | None:
    """The key msgmerge kept in ``#| msgctxt``/``#| msgid`` lines when the source changed."""
    fields: dict[str, list[str]] = {}
    current = ""
    for comment in message.user_comments:
        if not comment.startswith("|"):
            continue
        words = comment[1:].strip().split(" ", 1)
        if words[0] in {"msgctxt", "msgid", "msgid_plural"} and len(words) == 2:
            current = words[0]
            fields[current] = [words[1]]
        elif current and comment[1:].strip().startswith('"'):
            fields[current].append(comment[1:].strip())
    if "msgid" not in fields:
        return None
    return ("".join(map(unescape, fields.get("msgctxt", []))), "".join(map(unescape, fields["msgid"])))


def read(path: Path) -> dict[Key, Review]:
    """The record of one catalog; an absent file is an empty record."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(f"cannot read the review record: {error}") from error
    return parse(text)


def parse(text: str) -> dict[Key, Review]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(f"review record is not valid JSON: {error.msg}", error.lineno) from error
    if not isinstance(data, dict) or not isinstance(data.get("reviews"), list):
        raise RecordError('review record must be an object with a "reviews" list', 1)
    reviews = [_entry(item) for item in data["reviews"]]
    return {review.key: review for review in reviews}


def _entry(item: object) -> Review:
    fields = ("msgid", "reviewer", "date", "digest")
    if not isinstance(item, dict) or not all(isinstance(item.get(name), str) for name in fields):
        raise RecordError(f"review entry without {', '.join(fields)}: {str(item)[:60]}")
    return Review(
        str(item.get("msgctxt", "")),
        item["msgid"],
        str(item.get("translation", "")),
        item["reviewer"],
        item["date"],
        item["digest"],
    )


def dump(code: str, reviews: Iterable[Review]) -> str:
    """The record's text: sorted entries, fixed field order, one field a line."""
    entries = [_as_json(review) for review in sorted(reviews, key=lambda review: review.key)]
    return json.dumps({"locale": code, "reviews": entries}, ensure_ascii=False, indent=2) + "\n"


def _as_json(review: Review) -> dict[str, str]:
    context = {"msgctxt": review.msgctxt} if review.msgctxt else {}
    return {
        **context,
        "msgid": review.msgid,
        "translation": review.translation,
        "reviewer": review.reviewer,
        "date": review.date,
        "digest": review.digest,
    }


@dataclass(frozen=True)
class Verdict:
    """Each message's review state in a catalog, by key."""

    reviewed: frozenset[Key]
    out_of_date: frozenset[Key]


def judge(messages: Iterable[Message], record: Mapping[Key, Review], usable: set[Key]) -> Verdict:
    """Reviewed: an entry with this digest and a translation the site uses. Out of date: approved
    once (same key, or msgmerge's previous msgid), but not now."""
    reviewed, lapsed = set(), set()
    for message in messages:
        key = key_of(message)
        entry = record.get(key)
        if key in usable and entry is not None and entry.digest == digest(message):
            reviewed.add(key)
        elif entry is not None or previous_key(message) in record:
            lapsed.add(key)
    return Verdict(frozenset(reviewed), frozenset(lapsed))
