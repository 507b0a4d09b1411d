"""How many entries a list, map or text may hold, checked before any entry is looked at.

A request that sends a million entries must cost one error, not a million: the validators
built on ``size_problem`` run before the per-entry validation and refuse the whole value at
once, naming the limit and how to stay within it.
"""

from __future__ import annotations

from collections.abc import Sized

ENUM_MAP_LEEWAY = 40
"""A map keyed by an enumeration holds at most one entry per member; up to this many more are
let through so that each unknown key is named on its own, beyond them the map is refused whole."""


def size_problem(
    value: object, limit: int, what: str, hint: str = "", *, leeway: int = 0
) -> str | None:
    """What is wrong with ``value`` holding more than ``limit`` ``what``, or None.

    With a ``leeway`` the value is only refused above ``limit + leeway`` entries (the entries
    are then checked one by one). Values that are not collections are left to the type check
    that follows."""
    if isinstance(value, Sized) and not isinstance(value, bytes) and len(value) > limit + leeway:
        advice = f"; {hint}" if hint else ""
        return f"send at most {limit} {what}, not {len(value)}{advice}"
    return None
