"""Changing translations in a .po file the way a careful translator would: only the msgstr lines
of the entries that changed, wrapped exactly as msgmerge wraps them, written atomically.

Everything else (headers, comments, other entries, their wrapping) stays byte for byte. The new
msgstr lines come from GNU msgcat --width=79, the same code msgmerge uses, so a later
``make messages`` does not rewrap what an import wrote.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from babel.messages.pofile import escape

WIDTH = 79
Forms = tuple[str, ...]


def msgstr_lines(translations: list[Forms]) -> list[list[str]]:
    """Each translation's msgstr lines (one form: msgstr; several: msgstr[n]), as msgmerge writes them."""
    blocks = [_entry(number, forms) for number, forms in enumerate(translations)]
    text = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + "\n".join(blocks)
    result = subprocess.run(["msgcat", f"--width={WIDTH}", "-"], input=text, capture_output=True, text=True, check=True)
    return [_msgstrs(block) for block in result.stdout.split("\n\n")[1:] if block.strip()]


def _entry(number: int, forms: Forms) -> str:
    if len(forms) == 1:
        return f'msgid "{number}"\nmsgstr {escape(forms[0])}\n'
    strings = "".join(f"msgstr[{index}] {escape(form)}\n" for index, form in enumerate(forms))
    return f'msgid "{number}"\nmsgid_plural "{number}+"\n{strings}'


def _msgstrs(block: str) -> list[str]:
    lines = block.strip("\n").split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("msgstr"))
    return lines[start:]


def replace_msgstrs(text: str, changes: Mapping[int, Forms], confirmed: set[int]) -> str:
    """``text`` with new msgstrs for the entries whose msgid is on the given lines (1-based);
    entries in ``confirmed`` lose their fuzzy flag and msgmerge's ``#|`` lines."""
    lines = text.split("\n")
    formatted = dict(zip(changes, msgstr_lines(list(changes.values())), strict=True))
    for lineno in sorted(set(changes) | confirmed, reverse=True):
        if lineno in formatted:
            start = next(i for i in range(lineno - 1, len(lines)) if lines[i].startswith("msgstr"))
            end = start
            while end < len(lines) and lines[end].startswith(("msgstr", '"')):
                end += 1
            lines[start:end] = formatted[lineno]
        if lineno in confirmed:
            _unfuzzy(lines, lineno - 1)
    return "\n".join(lines)


def _unfuzzy(lines: list[str], msgid_index: int) -> None:
    start = msgid_index
    while start > 0 and lines[start - 1].strip():
        start -= 1
    for index in range(msgid_index - 1, start - 1, -1):
        line = lines[index]
        if line.startswith("#|"):
            del lines[index]
        elif line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() not in {"fuzzy", ""}]
            if flags:
                lines[index] = "#, " + ", ".join(flags)
            else:
                del lines[index]


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step: a reader sees the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
