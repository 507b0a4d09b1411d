"""An effect estimate with its interval, method and p-value, and the JSON form of a number.

Shared by the two-arm analyses of a trial (``ancova``, ``binary``): every effect they report is
an ``Estimate``, always treatment minus (or over) reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]


def _finite(x: float) -> float | None:
    """``x`` for JSON: None where it is not a finite number."""
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True, slots=True)
class Estimate:
    """One effect with its interval, how it was computed and (when there is one) a p-value."""

    estimate: float
    low: float
    high: float
    method: str
    p_value: float | None = None

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "estimate": _finite(self.estimate),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "p_value": None if self.p_value is None else _finite(self.p_value),
            "method": self.method,
        }
