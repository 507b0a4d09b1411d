"""Virtual patients: daily diaries and session readings from the mechanism, as arrays.

For patient i on day t the chance of a headache day is

    p_it = min(0.97, r_i · exp(x_it − σ²/2) · m_it · exp(−β_i · S_t) · (1 − c_t))

r_i    the patient's own baseline rate (gamma between patients)
x_it   natural fluctuation, AR(1) on the log scale; it starts (on the first baseline day)
       shifted upward because patients come for treatment in a bad spell — **regression to
       the mean** follows by itself, and more of it from trials' entry rules on the baseline
m_it   the menstrual-window multiplier (days −2…+3 of the cycle, clinical-facts §6)
S_t    the serotonergic tone fed by the sessions (``kinetics.serotonergic_tone``); β_i the
       patient's sensitivity to it — the **specific** preventive effect
c_t    the **non-specific** (placebo/context) response: rises after the first session and
       fades after the last

Everything is drawn from the ``numpy.random.Generator`` passed in: the same seed gives the
same cohort. Arrays are (patients × days); day ``baseline_days`` is the first session.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from acurelief.errors import InvalidInput, Problems
from acurelief.mechanism.horizon import warn_past_horizon
from acurelief.mechanism.kinetics import (
    StimulusResponse,
    cached_course,
    drive_of,
    serotonergic_tone,
    session_dose,
)
from acurelief.mechanism.parameters import Kinetics
from acurelief.mechanism.profiles import PROFILES, HeadacheType, NonSpecific, Population
from acurelief.mechanism.schedule import Schedule

Bool2D = NDArray[np.bool_]
Int2D = NDArray[np.int8]
Float = NDArray[np.float64]
TYPES = tuple(HeadacheType)
# Positions of the ICHD-3 menstrual window (day −2 to +3, no day 0) in a cycle whose
# position 0 is the first day of menstruation (clinical-facts §6).
WINDOW_BEFORE, WINDOW_AFTER = 2, 3
MENSES_DAYS = 5
MAX_DAILY_CHANCE = 0.97


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """All parameters of the mechanism model together."""

    kinetics: Kinetics = field(default_factory=Kinetics)
    response: StimulusResponse = field(default_factory=StimulusResponse)
    population: Population = field(default_factory=Population)


@dataclass(frozen=True)
class Cohort:
    """Simulated diaries (patients × days) and session readings (patients × sessions)."""

    baseline_days: int
    types: NDArray[np.int8]
    female: NDArray[np.bool_]
    headache: Bool2D
    migraine: Bool2D
    peak_pain: Int2D
    hours: NDArray[np.float32]
    triptan: Int2D
    analgesic: Int2D
    menstruation: Bool2D
    mood: Int2D
    recorded: Bool2D
    session_days: NDArray[np.int64]
    pain_before: Int2D
    pain_after: Int2D
    mood_before: Int2D
    mood_after: Int2D
    # The known truth behind the diaries, for testing estimators.
    serotonergic: Float
    nonspecific: Float
    base_rate: Float
    sensitivity: Float
    chance: NDArray[np.float32]  # each day's true probability of a headache day

    @property
    def n(self) -> int:
        return int(self.headache.shape[0])

    @property
    def days(self) -> int:
        return int(self.headache.shape[1])

    def _per_patient_fields(self) -> list[str]:
        shared = ("baseline_days", "session_days", "serotonergic", "nonspecific")
        return [f.name for f in dataclasses.fields(self) if f.name not in shared]

    def take(self, index: NDArray[np.int64]) -> Cohort:
        """The patients at ``index``, in that order (for example those a trial includes)."""
        chosen: dict[str, Any] = {k: getattr(self, k)[index] for k in self._per_patient_fields()}
        return dataclasses.replace(self, **chosen)

    @staticmethod
    def concat(parts: Sequence[Cohort]) -> Cohort:
        """Patients of several cohorts simulated under the same schedule, one after another."""
        first = parts[0]
        joined: dict[str, Any] = {
            k: np.concatenate([getattr(p, k) for p in parts]) for k in first._per_patient_fields()
        }
        return dataclasses.replace(first, **joined)

    def per_28(self, flags: Bool2D, start: int, stop: int, min_recorded: float = 0.8) -> Float:
        """Days with ``flags`` per 28 recorded days in [start, stop) (day 0 = first session).

        Normalised by recorded days (clinical-facts §1.3 IMPL NOTE); NaN where fewer than
        ``min_recorded`` of the window's days were recorded.
        """
        lo, hi = start + self.baseline_days, stop + self.baseline_days
        if lo < 0 or hi > self.days or hi <= lo:
            raise InvalidInput.single("window", f"[{start}, {stop}) is outside the diary")
        rec = self.recorded[:, lo:hi]
        counted = (flags[:, lo:hi] & rec).sum(axis=1)
        recorded = rec.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = counted / recorded * 28.0
        result: Float = np.where(recorded >= min_recorded * (hi - lo), rate, np.nan)
        return result


def _lognormal(rng: np.random.Generator, mean: float, cv: float, n: int) -> Float:
    if cv == 0:
        return np.full(n, mean)
    s2 = math.log1p(cv * cv)
    return mean * rng.lognormal(-s2 / 2, math.sqrt(s2), n)


def _fluctuation(
    rng: np.random.Generator, sigma: Float, days: int, pop: Population
) -> NDArray[np.float32]:
    """exp(x − σ²/2) for an AR(1) x that starts ``bad_spell_shift`` SDs high (σ per patient)."""
    n = len(sigma)
    rho = math.exp(-1.0 / pop.fluctuation_days)
    start = rng.normal(pop.bad_spell_shift * sigma, sigma, n)
    shocks = (
        rng.standard_normal((n, days), dtype=np.float32)
        * (sigma * math.sqrt(1 - rho * rho)).astype(np.float32)[:, None]
    )
    level = start.astype(np.float32)
    factor = np.float32(rho)
    for day in range(days):  # x_t = ρ·x_{t−1} + shock_t, in place, one day at a time
        level *= factor
        level += shocks[:, day]
        shocks[:, day] = level
    result: NDArray[np.float32] = np.exp(shocks - (sigma * sigma / 2).astype(np.float32)[:, None])
    return result


def treatment_curves(
    schedule: Schedule | None,
    nonspecific: NonSpecific | None,
    baseline: int,
    days: int,
    model: Model,
) -> tuple[Float, Float]:
    """Serotonergic tone S_t and non-specific response c_t, common to the whole cohort."""
    tone = np.zeros(days)
    context = np.zeros(days)
    if schedule is None:
        return tone, context
    doses = np.zeros(days)
    dose = session_dose(
        drive_of(schedule.stimulation, model.response),
        schedule.needling_minutes,
        model.response,
        model.kinetics,
    )
    doses[baseline + np.array(schedule.session_days)] = dose
    tone = serotonergic_tone(doses, model.kinetics)
    if nonspecific is not None and nonspecific.effect != 0:
        t = np.arange(days) - baseline
        rise = 1 - np.exp(-np.clip(t, 0, None) / nonspecific.onset_days)
        fade = np.exp(
            -math.log(2)
            * np.clip(t - schedule.last_day, 0, None)
            / nonspecific.persistence_half_life_days
        )
        context = np.where(t >= 0, nonspecific.effect * rise * fade, 0.0)
    return tone, context


def _recorded(rng: np.random.Generator, n: int, days: int, pop: Population) -> Bool2D:
    """A two-state Markov chain of missing days with the population's share and streakiness."""
    m, keep_missing = pop.missing_share, pop.missing_persistence
    start_missing = m * (1 - keep_missing) / (1 - m) if m < 1 else 1.0
    u = rng.random((n, days), dtype=np.float32)
    missing = np.empty((n, days), dtype=bool)
    missing[:, 0] = u[:, 0] < m
    for d in range(1, days):
        missing[:, d] = np.where(missing[:, d - 1], u[:, d] < keep_missing, u[:, d] < start_missing)
    return ~missing


def _check(n: int, baseline_days: int, follow_days: int, schedule: Schedule | None) -> None:
    problems = Problems()
    if n <= 0:
        problems.add("n", f"must be at least 1 patient, got {n}")
    if baseline_days < 0:
        problems.add("baseline_days", "must not be negative")
    if follow_days <= 0:
        problems.add("days", "the diary must run past the first session")
    if schedule is not None and schedule.last_day >= follow_days:
        problems.add(
            "schedule",
            f"the last session (day {schedule.last_day}) falls after the "
            f"end of follow-up (day {follow_days - 1})",
        )
    problems.raise_if_any()


def simulate_cohort(
    n: int,
    *,
    rng: np.random.Generator,
    schedule: Schedule | None,
    baseline_days: int = 28,
    follow_days: int = 168,
    types: HeadacheType | NDArray[np.int8] = HeadacheType.MIGRAINE_WITHOUT_AURA,
    nonspecific: NonSpecific | None = None,
    model: Model | None = None,
) -> Cohort:
    """``n`` virtual patients with a ``baseline_days`` diary and ``follow_days`` from session 1.

    ``schedule`` None means no treatment (usual care / waiting list).
    """
    model = model or Model()
    _check(n, baseline_days, follow_days, schedule)
    warn_past_horizon(follow_days)
    pop, days = model.population, baseline_days + follow_days
    kinds = (
        np.full(n, TYPES.index(types), dtype=np.int8)
        if isinstance(types, HeadacheType)
        else np.asarray(types, dtype=np.int8)
    )
    prof = [PROFILES[t] for t in TYPES]

    def per_patient(name: str) -> Float:
        return np.array([getattr(p, name) for p in prof])[kinds]

    shape = per_patient("rate_shape")
    base = rng.gamma(shape, per_patient("headache_days_per_28") / shape) / 28.0
    beta = _lognormal(rng, pop.specific_response_mean, pop.specific_response_cv, n)
    beta *= per_patient("specific_response_scale")
    acute = _lognormal(rng, 1.0, pop.acute_response_cv, n)
    female = rng.random(n) < per_patient("female_share")
    cycle = np.clip(np.round(rng.normal(28, 2, n)), 24, 35).astype(np.int64)
    phase = rng.integers(0, 28, n)
    mood_i = rng.normal(pop.mood_mean, pop.mood_between_sd, n)

    position = (np.arange(days)[None, :] + phase[:, None]) % cycle[:, None]
    menses = female[:, None] & (position < MENSES_DAYS)
    window = female[:, None] & (
        (position < WINDOW_AFTER) | (position >= cycle[:, None] - WINDOW_BEFORE)
    )
    tone, context = treatment_curves(schedule, nonspecific, baseline_days, days, model)
    sigma = pop.fluctuation_sd * per_patient("fluctuation_scale")
    chance = base[:, None].astype(np.float32) * _fluctuation(rng, sigma, days, pop)
    chance *= np.where(window, per_patient("menstrual_multiplier")[:, None], 1.0).astype(np.float32)
    if tone.any():
        chance *= np.exp(-np.outer(beta, tone)).astype(np.float32)
    if context.any():
        chance *= (1 - context).astype(np.float32)
    np.minimum(chance, MAX_DAILY_CHANCE, out=chance)
    # One uniform decides both: given u < p (a headache day), u/p is again uniform, so
    # u < p·share marks the migraine-like share of the headache days.
    u = rng.random((n, days), dtype=np.float32)
    headache = u < chance
    migraine = u < chance * per_patient("migraine_share")[:, None].astype(np.float32)
    day = _day_features(rng, headache, migraine, per_patient)
    noise = rng.standard_normal((n, days), dtype=np.float32) * pop.mood_daily_sd
    mood = np.clip(
        np.rint(
            mood_i[:, None]
            + pop.mood_serotonergic_gain * tone[None, :]
            - pop.mood_headache_drop * headache
            + noise
        ),
        0,
        10,
    )
    # Diary habits are drawn before the session readings, so that cohorts differing only in
    # their course share the same missing days (common random numbers for what-ifs).
    recorded = _recorded(rng, n, days, pop)
    readings = _sessions(
        rng, schedule, baseline_days, headache, day["peak_pain"], mood, acute, model
    )
    return Cohort(
        baseline_days=baseline_days,
        types=kinds,
        female=female,
        headache=headache,
        migraine=migraine,
        **day,
        menstruation=menses,
        mood=mood.astype(np.int8),
        recorded=recorded,
        **readings,
        serotonergic=tone,
        nonspecific=context,
        base_rate=base * 28.0,
        sensitivity=beta,
        chance=chance,
    )


def _day_features(
    rng: np.random.Generator,
    headache: Bool2D,
    migraine: Bool2D,
    per_patient: Callable[[str], Float],
) -> dict[str, NDArray[Any]]:
    """Peak pain, hours and acute medication of each headache day."""
    n, days = headache.shape

    def column(name: str) -> NDArray[np.float32]:
        return per_patient(name)[:, None].astype(np.float32)

    pain = np.rint(
        column("peak_pain_mean")
        + column("peak_pain_sd") * rng.standard_normal((n, days), dtype=np.float32)
    )
    # Migraine-like days last at least 4 h (ICHD-3 1.1 B), other headache days at least 30 min.
    floor = np.where(migraine, np.float32(4.0), np.float32(0.5))
    spread = np.maximum(column("hours_mean") - floor, 0.5)
    hours = np.clip(floor + spread * rng.standard_exponential((n, days), dtype=np.float32), 0.5, 24)
    triptan = migraine & (rng.random((n, days), dtype=np.float32) < column("triptan_share"))
    analgesic = headache & (rng.random((n, days), dtype=np.float32) < column("analgesic_share"))
    return {
        "peak_pain": np.where(headache, np.clip(pain, 1, 10), 0).astype(np.int8),
        "hours": np.where(headache, hours, 0).astype(np.float32),
        "triptan": triptan.astype(np.int8),
        "analgesic": analgesic.astype(np.int8),
    }


# Pre-session pain follows the diary's day (our rule: clinical-facts has nothing on the pain
# patients bring to a preventive course's sessions). On a headache day the session meets the
# attack at 70–100% of the day's peak pain, never above what the diary records; on a
# headache-free day pain is 0, and 1 on a fifth of them for a trace the diary does not count.
SESSION_SHARE_OF_PEAK = (0.7, 1.0)
HEADACHE_FREE_TRACE_SHARE = 0.2


def _pain_before(rng: np.random.Generator, in_attack: Bool2D, peak_pain: Int2D) -> Float:
    """Pain 0–10 before needling, from that day's headache and peak pain in the diary."""
    low, high = SESSION_SHARE_OF_PEAK
    during = np.clip(np.rint(peak_pain * rng.uniform(low, high, in_attack.shape)), 1, 10)
    free = rng.random(in_attack.shape) < HEADACHE_FREE_TRACE_SHARE
    result: Float = np.where(in_attack, during, free).astype(np.float64)
    return result


def _sessions(
    rng: np.random.Generator,
    schedule: Schedule | None,
    baseline: int,
    headache: Bool2D,
    peak_pain: Int2D,
    mood: Float,
    acute: Float,
    model: Model,
) -> dict[str, Any]:
    """Pain and mood before needling and ``reading_minutes`` after it began, per session."""
    n = headache.shape[0]
    if schedule is None:
        empty = np.zeros((n, 0), dtype=np.int8)
        return {
            "session_days": np.zeros(0, dtype=np.int64),
            "pain_before": empty,
            "pain_after": empty,
            "mood_before": empty,
            "mood_after": empty,
        }
    pop = model.population
    cols = baseline + np.array(schedule.session_days)
    course = cached_course(
        drive_of(schedule.stimulation, model.response),
        schedule.needling_minutes,
        max(schedule.reading_minutes, schedule.needling_minutes) + 1,
        model.kinetics,
    )
    relief = np.clip(course.at(schedule.reading_minutes) * acute, 0, 0.95)
    k = len(cols)
    before = _pain_before(rng, headache[:, cols], peak_pain[:, cols])
    after = before * (1 - relief[:, None]) * (1 - pop.nonspecific_acute_relief)
    after = np.clip(np.rint(after + rng.normal(0, 0.5, (n, k))), 0, 10)
    mood_before = mood[:, cols]
    lift = pop.mood_session_lift * relief[:, None] + rng.normal(0, 0.5, (n, k))
    return {
        "session_days": np.array(schedule.session_days, dtype=np.int64),
        "pain_before": before.astype(np.int8),
        "pain_after": after.astype(np.int8),
        "mood_before": mood_before.astype(np.int8),
        "mood_after": np.clip(np.rint(mood_before + lift), 0, 10).astype(np.int8),
    }
