"""Checks for the rating scales used across the domain.

Pain, mood and stress are 0–10 numeric rating scales (integers), the scale the diaries and
session records use throughout (DESIGN.md, "Domain essentials").
"""

from __future__ import annotations

import math

from acurelief.errors import Problems

SCALE_MIN = 0
SCALE_MAX = 10


def check_rating(problems: Problems, field: str, value: int | None) -> None:
    """Record a problem unless ``value`` is None or a whole number from 0 to 10."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(field, f"must be a whole number from {SCALE_MIN} to {SCALE_MAX}")
    elif not SCALE_MIN <= value <= SCALE_MAX:
        problems.add(field, f"must be from {SCALE_MIN} to {SCALE_MAX}, got {value}")


def check_range(
    problems: Problems, field: str, value: float | None, low: float, high: float, unit: str
) -> None:
    """Record a problem unless ``value`` is None or within [low, high]."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        problems.add(field, f"must be a number from {low:g} to {high:g} {unit}")
    elif not low <= value <= high:
        problems.add(field, f"must be from {low:g} to {high:g} {unit}, got {value:g}")
