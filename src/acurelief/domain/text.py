"""The rule for free text (notes, names, labels): only characters every database can store.

PostgreSQL refuses a NUL character in text outright, and other control characters (escape
sequences, form feeds, a lone half of a UTF-16 surrogate pair from a broken client) are never
part of what a person typed: they garble logs, exports and PDF reports. They are refused here,
naming the field, instead of failing deep inside the database with the row in the message.
Tab, line feed and carriage return are ordinary text and stay allowed.
"""

from __future__ import annotations

import re

from acurelief.errors import Problems

ALLOWED_CONTROLS = "\t\n\r"
# C0 controls except tab/LF/CR, and UTF-16 surrogates (a lone one cannot be encoded as UTF-8).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def text_problem(value: object) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can (None itself is fine).

    The message says where the first bad character is, never what the text says.
    """
    if value is None or not isinstance(value, str):
        return None
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    code = ord(found.group())
    kind = "a broken character (lone surrogate)" if 0xD800 <= code <= 0xDFFF else "a control"
    return (
        f"contains {kind} U+{code:04X} at position {found.start() + 1}; "
        "remove it (only tab and line breaks are allowed besides printable text)"
    )


def check_text(problems: Problems, field: str, value: str | None) -> None:
    """Add a problem for ``field`` when its text cannot be stored."""
    if (message := text_problem(value)) is not None:
        problems.add(field, message)
