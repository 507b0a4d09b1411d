"""Point codes in sessions: parsed through the WHO catalogue (``acurelief.knowledge``).

Input may use common spellings and legacy aliases ("gb 20", "LV3", "SJ5", "GV24+"); what is
stored is always the standard code. An unknown code is refused with the nearest valid codes.
"""

from __future__ import annotations

from acurelief.knowledge.acupoints import catalogue


def normalise_point_code(raw: str) -> str:
    """The standard code for ``raw``; raises ``ValueError`` with suggestions if there is none."""
    return catalogue().parse(raw).code


def is_midline(code: str) -> bool:
    """Whether a standard code lies on the midline (and so takes no side)."""
    return catalogue().get(code).midline
