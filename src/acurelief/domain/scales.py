"""Checks for the rating scales and bounded quantities used across the domain.

Pain, mood and stress are 0–10 numeric rating scales (integers), the scale the diaries and
session records use throughout (DESIGN.md, "Domain essentials"). Each rule is one function
returning what is wrong (or None), so the domain and the API schemas apply the same rule.
"""

from __future__ import annotations

import math

from acurelief.errors import Problems

SCALE_MIN = 0
SCALE_MAX = 10
HOURS_PER_DAY = 24


def rating_problem(value: object) -> str | None:
    """What is wrong with a 0–10 rating, or None when it is fine."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number from {SCALE_MIN} to {SCALE_MAX}"
    if not SCALE_MIN <= value <= SCALE_MAX:
        return f"must be from {SCALE_MIN} to {SCALE_MAX}, got {value}"
    return None


def range_problem(value: object, low: float, high: float, unit: str) -> str | None:
    """What is wrong with a number that must lie in [low, high], or None when it is fine."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return f"must be a number from {low:g} to {high:g} {unit}"
    if not low <= value <= high:
        return f"must be from {low:g} to {high:g} {unit}, got {value:g}"
    return None


def check_rating(problems: Problems, field: str, value: int | None) -> None:
    """Record a problem unless ``value`` is None or a whole number from 0 to 10."""
    if value is not None and (message := rating_problem(value)) is not None:
        problems.add(field, message)


def check_range(
    problems: Problems, field: str, value: float | None, low: float, high: float, unit: str
) -> None:
    """Record a problem unless ``value`` is None or within [low, high]."""
    if value is not None and (message := range_problem(value, low, high, unit)) is not None:
        problems.add(field, message)
