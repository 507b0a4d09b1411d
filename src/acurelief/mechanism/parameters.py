"""Every number of the mechanism model, with its unit and where it comes from.

Values marked "assumed" have no retrievable source (clinical-facts §7 lists them as NOT
FOUND) and are chosen to give the documented behaviour; values marked "calibrated" are
fitted by ``scripts/calibrate_mechanism.py`` so that virtual trials reproduce the published
responder rates (clinical-facts §3.1). ``docs/mechanism.md`` prints this table.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from acurelief.errors import Problems


class Source(StrEnum):
    ASSUMED = "assumed"
    CALIBRATED = "calibrated"


def param(
    value: float,
    unit: str,
    source: str,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_open: bool = False,
) -> float:
    """A dataclass field holding a model parameter and its documentation."""
    meta = {"unit": unit, "source": source, "low": low, "high": high, "low_open": low_open}
    return field(default=value, metadata=meta)


def _check(problems: Problems, obj: object) -> None:
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        if "unit" not in f.metadata:
            continue
        value = getattr(obj, f.name)
        low, high, low_open = f.metadata["low"], f.metadata["high"], f.metadata["low_open"]
        bad_low = value <= low if low_open else value < low
        if not isinstance(value, int | float) or math.isnan(value) or bad_low or value > high:
            bound = f"above {low:g}" if low_open else f"at least {low:g}"
            top = "" if high == math.inf else f" and at most {high:g}"
            problems.add(f.name, f"must be {bound}{top} {f.metadata['unit']}, got {value!r}")


class Validated:
    """Mixin: refuse out-of-range parameters, naming each, when the object is built."""

    def __post_init__(self) -> None:
        problems = Problems()
        _check(problems, self)
        problems.raise_if_any(where=type(self).__name__)

    def rows(self) -> Iterator[tuple[str, float, str, str]]:
        """(name, value, unit, source) for each parameter, for the documentation table."""
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if "unit" in f.metadata:
                yield f.name, getattr(self, f.name), f.metadata["unit"], f.metadata["source"]


HAN = "Han, acupuncture and endorphins (clinical-facts §4)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Kinetics(Validated):
    """Within-session opioid kinetics and the slower serotonergic tone (fast + slow part)."""

    release_rate: float = param(
        0.075,
        "1/min",
        "assumed: puts the peak of continuous stimulation at ~30 min (" + HAN + ")",
        low=0,
        low_open=True,
    )
    opioid_half_life_min: float = param(
        37.0,
        "min",
        "β-endorphin terminal t½, human i.v. (clinical-facts §4); the half-life "
        "of acupuncture analgesia itself is NOT FOUND",
        low=0,
        low_open=True,
    )
    pool_refill_half_life_min: float = param(240.0, "min", "assumed", low=0, low_open=True)
    ec50: float = param(2.5, "tone units", "assumed", low=0, low_open=True)
    max_analgesia: float = param(1.0, "fraction of pain", "assumed", low=0, high=1)
    tolerance_rate: float = param(
        0.002, "1/min", "assumed: tolerance over hours (goat 6 h EA, clinical-facts §4)"
    )
    tolerance_recovery_half_life_min: float = param(720.0, "min", "assumed", low=0, low_open=True)
    serotonergic_half_life_days: float = param(
        21.0,
        "days",
        "assumed; NOT FOUND in the sources. Half-life of the fast component of the tone",
        low=0,
        low_open=True,
    )
    serotonergic_slow_share: float = param(
        0.756,
        "fraction",
        "calibrated: share of each dose in the slow component, fitted so 85% of the "
        "acupuncture–sham difference of weeks 9–12 is left in weeks 49–52 (Vickers 2018, ~15% "
        "loss at 1 year, clinical-facts §4.1); 0 gives the single-half-life model",
        high=1,
    )
    serotonergic_slow_half_life_days: float = param(
        365.0,
        "days",
        "assumed: one figure (Vickers 2018) cannot fix both share and half-life; the share "
        "is fitted at this half-life (docs/mechanism.md §4)",
        low=0,
        low_open=True,
    )
    serotonergic_share_of_analgesia: float = param(
        0.3, "fraction", "assumed: 5-HT depletion reduces EA analgesia (§4, PCPA)", high=1
    )
    serotonin_depletion: float = param(0.0, "fraction", "switch: PCPA-like depletion", high=1)

    @property
    def opioid_elimination(self) -> float:
        return math.log(2) / self.opioid_half_life_min

    @property
    def refill_rate(self) -> float:
        return math.log(2) / self.pool_refill_half_life_min

    @property
    def tolerance_recovery(self) -> float:
        return math.log(2) / self.tolerance_recovery_half_life_min

    @property
    def serotonergic_decay_per_day(self) -> float:
        return math.exp(-math.log(2) / self.serotonergic_half_life_days)

    @property
    def serotonergic_slow_decay_per_day(self) -> float:
        return math.exp(-math.log(2) / self.serotonergic_slow_half_life_days)
