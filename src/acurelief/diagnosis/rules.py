"""Conventions the ICHD-3 text leaves to the implementer (docs/ichd3-criteria.md, "Implementation
notes"), gathered in one configurable place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    more_than_months: int = 3  # ">3 months": strictly more than this many months
    migraine_min_hours: float = 4.0  # 1.1 B
    migraine_min_hours_child: float = 2.0  # 1.1 note 3 (under 18)
    migraine_max_hours: float = 72.0
    tth_min_hours: float = 0.5  # 2.1/2.2 B: 30 minutes …
    tth_max_hours: float = 7 * 24.0  # … to 7 days
    ctth_min_hours: float = 1.0  # 2.3 B "lasting hours to days": IMPL NOTE, ≥1 hour
    aura_min_minutes: float = 5.0  # 1.2 C3
    aura_max_minutes: float = 60.0  # 1.2 C3 (motor symptoms up to 72 h, note 1)
    menstrual_share: float = 2 / 3  # A1.1.x: ≥2 of 3 cycles (for >3 cycles: same share)
    menstrual_min_cycles: int = 3
    adult_age: int = 18
