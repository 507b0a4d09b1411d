"""Headache endpoints per patient and window, normalised to 28 days (clinical-facts §1.2–§1.4).

Every figure comes with the recorded days it rests on. A window with fewer recorded days than
``min_share`` of its length is *insufficient*: reported as NaN with that reason, never
computed from scraps. Counts are normalised by recorded days (§1.3 IMPL NOTE):
``per_28 = days_with_event / recorded_days × 28``.

The migraine-day definition's disputed parts are parameters (§1.2 DISAGREEMENT): the minimum
duration (4 h as in the guideline reading, or 30 min as in the Leiden e-diary proposal) and
whether days treated with a migraine-specific drug count regardless of effect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from acurelief.analysis.relief import MIN_START_PAIN
from acurelief.domain import MedicationClass
from acurelief.errors import InvalidInput
from acurelief.outcomes.diary_arrays import Bool2D, DiaryArrays

Float = NDArray[np.float64]
WINDOW = 28


class SpecificDays(StrEnum):
    ALL = "all"  # Leiden: a migraine-specific drug makes a migraine day regardless of effect
    EFFECTIVE = "effective"  # guideline reading: only if the drug relieved the headache


@dataclass(frozen=True, slots=True, kw_only=True)
class MigraineDayRules:
    min_hours: float = 4.0  # or 0.5 (Leiden); §1.2
    specific_days: SpecificDays = SpecificDays.ALL
    min_pain_features: int = 2  # ICHD-3 1.1 C
    aura_counts: bool = True  # Leiden (2): a visual aura day


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointRules:
    migraine: MigraineDayRules = field(default_factory=MigraineDayRules)
    moderate_from: int = 4  # 0–10 peak pain counted as moderate/severe (IMPL NOTE)
    min_share: float = 0.8  # completeness threshold (NOT FOUND in IHS text; example 80%, §1.3)
    # 0–10 pain before needling from which a session's relief is reported apart as "started with
    # a headache": trials enrol moderate/severe attacks (§1.5); ≥ 4 is our mapping (relief.py).
    min_start_pain: int = MIN_START_PAIN


def migraine_days(a: DiaryArrays, rules: MigraineDayRules) -> Bool2D:
    """Days that count as migraine days under ``rules``."""
    long_enough = a.headache & (np.nan_to_num(a.hours, nan=-1.0) >= rules.min_hours)
    typical = long_enough & (a.pain_features >= rules.min_pain_features) & a.associated
    if rules.specific_days is SpecificDays.ALL:
        treated = a.specific & a.headache
    elif a.specific_effective is not None:
        treated = a.specific_effective & a.headache
    else:
        treated = np.zeros_like(a.headache)  # effect not recorded: such days cannot count
    days = typical | treated
    if rules.aura_counts:
        days = days | a.aura
    result: Bool2D = days & a.recorded
    return result


@dataclass(frozen=True)
class Window:
    """[start, stop) in days from the first session (baseline: −28 to 0)."""

    name: str
    start: int
    stop: int


def standard_windows(weeks_after: int) -> list[Window]:
    """Baseline, then treatment weeks 1–4, 5–8, … (as far as ``weeks_after`` reaches)."""
    out = [Window("baseline", -WINDOW, 0)]
    for start in range(0, weeks_after * 7 - WINDOW + 1, WINDOW):
        out.append(Window(f"weeks {start // 7 + 1}–{start // 7 + 4}", start, start + WINDOW))
    return out


@dataclass(frozen=True)
class WindowEndpoints:
    """All endpoints for one window; NaN where insufficient. Arrays are per patient."""

    window: Window
    recorded_days: NDArray[np.int32]
    observed_days: NDArray[np.int32]  # the window's days that lie within the data
    sufficient: NDArray[np.bool_]
    headache_days: Float
    migraine_days: Float
    moderate_severe_days: Float
    attacks: Float
    acute_medication_days: Float
    specific_medication_days: Float
    mean_peak_pain: Float

    def reason(self, i: int, min_share: float) -> str:
        """Why patient ``i``'s window is insufficient ('' when it is not)."""
        if self.sufficient[i]:
            return ""
        length = self.window.stop - self.window.start
        if self.observed_days[i] < length:
            return (
                f"{self.window.name}: the data end after {self.observed_days[i]} of {length} days"
            )
        return (
            f"{self.window.name}: {self.recorded_days[i]} of {length} days recorded, "
            f"{math.ceil(min_share * length)} needed"
        )


@dataclass(frozen=True)
class DailyFlags:
    """The per-day events every window counts, computed once per cohort (recorded days only)."""

    recorded: Bool2D
    headache: Bool2D
    migraine: Bool2D
    moderate_severe: Bool2D
    attack_starts: Bool2D
    acute_medication: Bool2D
    specific_medication: Bool2D
    peak_pain: NDArray[np.int8]


def daily_flags(a: DiaryArrays, rules: EndpointRules) -> DailyFlags:
    rec = a.recorded
    headache = a.headache & rec
    starts = headache.copy()
    starts[:, 1:] &= ~headache[:, :-1]  # an attack starts on a headache day after one without
    any_med = np.zeros_like(rec)
    for count in a.medication.values():
        any_med |= count > 0
    return DailyFlags(
        recorded=rec,
        headache=headache,
        migraine=migraine_days(a, rules.migraine),
        moderate_severe=headache & (a.peak_pain >= rules.moderate_from),
        attack_starts=starts,
        acute_medication=any_med & rec,
        specific_medication=a.specific & rec,
        peak_pain=np.where(headache, a.peak_pain, 0).astype(np.int8),
    )


def _count(flags: NDArray[np.bool_], lo: int, hi: int) -> NDArray[np.int32]:
    result: NDArray[np.int32] = flags[:, lo:hi].sum(axis=1, dtype=np.int32)
    return result


def window_endpoints(
    a: DiaryArrays, window: Window, rules: EndpointRules, flags: DailyFlags | None = None
) -> WindowEndpoints:
    """Every endpoint of ``window`` for every patient, per 28 recorded days.

    Pass ``flags`` (``daily_flags``) when computing many windows of one cohort."""
    length = window.stop - window.start
    if length <= 0:
        raise InvalidInput.single("window", f"{window.name} is empty")
    f = flags if flags is not None else daily_flags(a, rules)
    lo = max(0, window.start + a.baseline_days)
    hi = min(a.days, window.stop + a.baseline_days)
    observed = np.full(a.n, max(0, hi - lo), dtype=np.int32)
    if hi <= lo:
        lo = hi = 0
    n_rec = _count(f.recorded, lo, hi)
    sufficient = (observed == length) & (n_rec >= math.ceil(rules.min_share * length))
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(sufficient, WINDOW / np.maximum(n_rec, 1), np.nan)

        def per_28(day_flags: NDArray[np.bool_]) -> Float:
            result: Float = _count(day_flags, lo, hi).astype(np.float64) * scale
            return result

        pain_sum = f.peak_pain[:, lo:hi].sum(axis=1, dtype=np.int32)
        n_headache = _count(f.headache, lo, hi)
        mean_pain = np.where(
            sufficient & (n_headache > 0), pain_sum / np.maximum(n_headache, 1), np.nan
        )
    return WindowEndpoints(
        window=window,
        recorded_days=n_rec,
        observed_days=observed,
        sufficient=sufficient,
        headache_days=per_28(f.headache),
        migraine_days=per_28(f.migraine),
        moderate_severe_days=per_28(f.moderate_severe),
        attacks=per_28(f.attack_starts),
        acute_medication_days=per_28(f.acute_medication),
        specific_medication_days=per_28(f.specific_medication),
        mean_peak_pain=mean_pain,
    )


@dataclass(frozen=True)
class Responders:
    """Reduction from baseline and responder flags at ≥50%, ≥75% and 100% (§1.4).

    ``evaluable`` is False where the baseline is 0 (undefined, §1.4 IMPL NOTE) or either
    window is insufficient; the flags are False there and must not be counted.
    """

    reduction: Float
    evaluable: NDArray[np.bool_]
    at_50: NDArray[np.bool_]
    at_75: NDArray[np.bool_]
    at_100: NDArray[np.bool_]


def responders(baseline: Float, window: Float) -> Responders:
    evaluable = ~np.isnan(baseline) & ~np.isnan(window) & (np.nan_to_num(baseline) > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        reduction = np.where(evaluable, (baseline - window) / baseline, np.nan)
    safe = np.nan_to_num(reduction, nan=-np.inf)
    return Responders(
        reduction,
        evaluable,
        evaluable & (safe >= 0.5),
        evaluable & (safe >= 0.75),
        evaluable & (safe >= 1.0),
    )


# ICHD-3 8.2 thresholds in days per month (docs/ichd3-criteria.md).
OVERUSE_DAYS = {
    MedicationClass.TRIPTAN: 10,
    MedicationClass.ERGOT: 10,
    MedicationClass.OPIOID: 10,
    MedicationClass.COMBINATION_ANALGESIC: 10,
    MedicationClass.SIMPLE_ANALGESIC: 15,
}
MONTH = 30


@dataclass(frozen=True)
class OveruseRisk:
    """Days with each class in consecutive 30-day months from the first diary day, the months
    at or over the 8.2 threshold, and whether that has lasted more than 3 months."""

    days: dict[MedicationClass, NDArray[np.int32]]  # (patients × months)
    over: dict[MedicationClass, NDArray[np.bool_]]
    sustained: dict[MedicationClass, NDArray[np.bool_]]  # > 3 consecutive months over


def overuse_risk(a: DiaryArrays) -> OveruseRisk:
    months = a.days // MONTH
    days: dict[MedicationClass, NDArray[np.int32]] = {}
    over: dict[MedicationClass, NDArray[np.bool_]] = {}
    sustained: dict[MedicationClass, NDArray[np.bool_]] = {}
    for cls, threshold in OVERUSE_DAYS.items():
        taken = (a.medication.get(cls, np.zeros_like(a.peak_pain)) > 0) & a.recorded
        per_month = (
            taken[:, : months * MONTH].reshape(a.n, months, MONTH).sum(axis=2, dtype=np.int32)
        )
        flags = per_month >= threshold
        run = np.zeros(a.n, dtype=np.int32)
        longest = np.zeros(a.n, dtype=np.int32)
        for m in range(months):
            run = np.where(flags[:, m], run + 1, 0)
            longest = np.maximum(longest, run)
        days[cls], over[cls], sustained[cls] = per_month, flags, longest > 3
    return OveruseRisk(days, over, sustained)
