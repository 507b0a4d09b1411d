"""Immediate relief: pain before vs after needling, per patient and pooled over a practice.

A session's drop is ``before − after`` (0–10 points). Per patient: the mean drop with a t
interval, and a rank-based alternative (Hodges–Lehmann median of Walsh averages with the
Wilcoxon signed-rank test), plus the share of sessions with a clinically meaningful drop —
at least 2 points *and* at least 30% (DESIGN.md) — with a Wilson interval. Pooled over
patients, sessions of one patient are not independent, so the practice figure is the mean
of patients' mean drops (each patient counts once) with a t interval over patients.
Nothing here separates the needles from the visit: a placebo or context effect and the
natural end of an attack also lower pain within 30 minutes (see ``caveats``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from acurelief.domain import StimulationKind, TreatmentSession

MIN_POINTS = 2
MIN_SHARE = 0.30
CAVEATS = (
    "before/after within one visit: expectation, rest and the natural course of an attack "
    "lower pain too; only a sham-controlled comparison isolates the needling",
)


@dataclass(frozen=True, slots=True)
class Interval:
    estimate: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Relief:
    """Immediate relief over a set of sessions (or of patients, when pooled)."""

    n_sessions: int
    n_patients: int
    mean_drop: Interval  # t interval
    median_drop: Interval  # Hodges–Lehmann with the Wilcoxon interval
    wilcoxon_p: float
    meaningful: Interval  # share of sessions with a meaningful drop (Wilson)
    meaningful_count: int
    method: str
    caveats: tuple[str, ...]


def drops(sessions: Sequence[TreatmentSession]) -> NDArray[np.float64]:
    """Before − after pain for sessions where both were measured."""
    values = [
        s.before.pain - s.after.pain
        for s in sessions
        if s.before is not None
        and s.after is not None
        and s.before.pain is not None
        and s.after.pain is not None
    ]
    return np.array(values, dtype=np.float64)


def meaningful(before: NDArray[np.float64], after: NDArray[np.float64]) -> NDArray[np.bool_]:
    drop = before - after
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(before > 0, drop / before, 0.0)
    result: NDArray[np.bool_] = (drop >= MIN_POINTS) & (share >= MIN_SHARE)
    return result


def t_interval(values: NDArray[np.float64], alpha: float = 0.05) -> Interval:
    from scipy.stats import ttest_1samp

    n = len(values)
    mean = float(values.mean()) if n else math.nan
    if n < 2:
        return Interval(mean, math.nan, math.nan)
    if float(np.ptp(values)) == 0:  # every value the same: no spread to estimate
        return Interval(mean, mean, mean)
    ci = ttest_1samp(values, 0.0).confidence_interval(1 - alpha)
    return Interval(mean, float(ci.low), float(ci.high))


def hodges_lehmann(values: NDArray[np.float64], alpha: float = 0.05) -> tuple[Interval, float]:
    """Median of the Walsh averages with its distribution-free interval, and Wilcoxon's p."""
    from scipy.stats import norm, wilcoxon

    n = len(values)
    if n < 2:
        return Interval(math.nan, math.nan, math.nan), math.nan
    i, j = np.triu_indices(n)
    walsh = np.sort((values[i] + values[j]) / 2)
    # Normal approximation to the signed-rank distribution for the order statistics.
    z = float(norm.ppf(1 - alpha / 2))
    k = math.floor(n * (n + 1) / 4 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24))
    k = min(max(k, 0), len(walsh) - 1)
    nonzero = values[values != 0]
    p = float(wilcoxon(nonzero).pvalue) if len(nonzero) else 1.0
    return Interval(float(np.median(walsh)), float(walsh[k]), float(walsh[-1 - k])), p


def wilson(k: int, n: int, alpha: float = 0.05) -> Interval:
    from scipy.stats import binomtest

    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    ci = binomtest(k, n).proportion_ci(1 - alpha, method="wilson")
    return Interval(k / n, float(ci.low), float(ci.high))


def _pairs(sessions: Sequence[TreatmentSession]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    both = [
        (s.before.pain, s.after.pain)
        for s in sessions
        if s.before is not None
        and s.after is not None
        and s.before.pain is not None
        and s.after.pain is not None
    ]
    array = np.array(both, dtype=np.float64).reshape(-1, 2)
    return array[:, 0], array[:, 1]


def patient_relief(sessions: Sequence[TreatmentSession]) -> Relief:
    """One patient's immediate relief over their sessions with both pain readings."""
    before, after = _pairs(sessions)
    drop = before - after
    hl, p = hodges_lehmann(drop)
    good = meaningful(before, after)
    caveats = list(CAVEATS)
    if len(drop) < 5:
        caveats.append(f"only {len(drop)} sessions with both readings: intervals are wide")
    return Relief(
        len(drop),
        1,
        t_interval(drop),
        hl,
        p,
        wilson(int(good.sum()), len(drop)),
        int(good.sum()),
        "paired t; Hodges–Lehmann/Wilcoxon; Wilson",
        tuple(caveats),
    )


def practice_relief(by_patient: Mapping[int, Sequence[TreatmentSession]]) -> Relief:
    """Pooled: each patient's mean drop counts once (sessions are clustered in patients)."""
    means, goods, counts = [], 0, 0
    for sessions in by_patient.values():
        before, after = _pairs(sessions)
        if len(before) == 0:
            continue
        means.append(float((before - after).mean()))
        goods += int(meaningful(before, after).sum())
        counts += len(before)
    values = np.array(means)
    hl, p = hodges_lehmann(values)
    return Relief(
        counts,
        len(values),
        t_interval(values),
        hl,
        p,
        wilson(goods, counts),
        goods,
        "t over patients' mean drops; Hodges–Lehmann/Wilcoxon over patients; "
        "Wilson over sessions (ignores clustering)",
        CAVEATS,
    )


def by_stimulation(sessions: Sequence[TreatmentSession]) -> dict[StimulationKind, Relief]:
    """Relief per kind of stimulation (manual, electro, sham/minimal)."""
    out = {}
    for kind in StimulationKind:
        chosen = [s for s in sessions if s.stimulation.kind is kind]
        if chosen:
            out[kind] = patient_relief(chosen)
    return out
