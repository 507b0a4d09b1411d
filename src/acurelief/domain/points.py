"""Well-formedness of acupuncture point codes.

WHO standard codes are a meridian code and a number within that meridian's count
(clinical-facts §5.1: 361 points over 14 meridians); extra points are written EX-<region><n>
(clinical-facts §5.2). The full catalogue with names, aliases and suggestions comes with the
knowledge package; until then a code is accepted when its shape and range are right.
"""

from __future__ import annotations

import re
from types import MappingProxyType

# Points per meridian, WHO Standard Acupuncture Point Locations (2008), clinical-facts §5.1.
MERIDIAN_POINT_COUNTS = MappingProxyType(
    {
        "LU": 11,
        "LI": 20,
        "ST": 45,
        "SP": 21,
        "HT": 9,
        "SI": 19,
        "BL": 67,
        "KI": 27,
        "PC": 9,
        "TE": 23,
        "GB": 44,
        "LR": 14,
        "GV": 28,
        "CV": 24,
    }
)
# Legacy meridian abbreviations seen in older texts (clinical-facts §5.1); stored as WHO codes.
MERIDIAN_ALIASES = MappingProxyType(
    {
        "LV": "LR",
        "LIV": "LR",
        "SJ": "TE",
        "TW": "TE",
        "TB": "TE",
        "UB": "BL",
        "P": "PC",
        "HC": "PC",
        "DU": "GV",
        "REN": "CV",
    }
)
MIDLINE_MERIDIANS = frozenset({"GV", "CV"})
EXTRA_POINT_REGIONS = frozenset({"HN", "CA", "B", "UE", "LE"})

_STANDARD = re.compile(r"^([A-Z]{1,3})(\d{1,2})$")
_EXTRA = re.compile(r"^EX([A-Z]{1,2})(\d{1,2})$")


def normalise_point_code(raw: str) -> str:
    """The standard spelling of ``raw`` ("gb 20" → "GB20", "LV3" → "LR3", "ex hn 5" → "EX-HN5").

    Raises ``ValueError`` saying what a well-formed code looks like.
    """
    compact = re.sub(r"[\s\-_.]", "", raw.upper())
    if match := _EXTRA.match(compact):
        region, number = match.group(1), int(match.group(2))
        if region not in EXTRA_POINT_REGIONS or number < 1:
            raise ValueError(f"{raw!r}: extra points are written like EX-HN5")
        return f"EX-{region}{number}"
    if match := _STANDARD.match(compact):
        meridian, number = match.group(1), int(match.group(2))
        meridian = MERIDIAN_ALIASES.get(meridian, meridian)
        count = MERIDIAN_POINT_COUNTS.get(meridian)
        if count is None:
            known = ", ".join(MERIDIAN_POINT_COUNTS)
            raise ValueError(f"{raw!r}: unknown meridian {meridian!r} (use one of {known})")
        if not 1 <= number <= count:
            raise ValueError(f"{raw!r}: {meridian} has points 1 to {count}")
        return f"{meridian}{number}"
    raise ValueError(f"{raw!r} is not a point code; write a meridian and number (GB20) or EX-HN5")


def is_midline(code: str) -> bool:
    """Whether a standard code lies on the midline (and so takes no side)."""
    return code[:2] in MIDLINE_MERIDIANS
