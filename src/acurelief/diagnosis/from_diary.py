"""The intake quantities, derived from a prospective diary of three months or more.

Conventions the ICHD-3 text leaves open are parameters (``DiaryRules``), documented in
docs/ichd3-criteria.md: how many days make a month, the 0–10 cut points for mild / moderate /
severe, and that consecutive headache days form one attack (the Leiden e-diary rule,
clinical-facts §1.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from acurelief.diagnosis.intake import (
    DrugClass,
    Frequency,
    HeadacheKind,
    Intake,
    Intensity,
    Location,
    MedicationUse,
    Menstrual,
    Quality,
)
from acurelief.domain import DiaryDay, MedicationClass
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.errors import InsufficientData

MIN_DIARY_DAYS = 90
MONTHS_SHOWN = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class DiaryRules:
    days_per_month: float = 30.0  # ICHD-3 gives no day count for "a month": IMPL NOTE
    moderate_from: int = 4  # 0–10 pain at or above this is moderate (IMPL NOTE)
    severe_from: int = 7  # … and at or above this severe (IMPL NOTE)
    min_recorded_share: float = 0.8  # below this share of recorded days: insufficient
    typical_trim: int = 10  # drop 1/n of the shortest and of the longest attacks (IMPL NOTE)


def intensity(pain: int | None, rules: DiaryRules) -> Intensity | None:
    if pain is None or pain <= 0:
        return None
    if pain >= rules.severe_from:
        return Intensity.SEVERE
    return Intensity.MODERATE if pain >= rules.moderate_from else Intensity.MILD


def migraine_like(day: DiaryDay, rules: DiaryRules) -> bool:
    """A headache day with ≥2 of the four pain features and ≥1 of the associated ones (1.1 C–D),
    or one treated with a triptan or ergot (believed migraine and relieved, 1.3 C)."""
    if not day.headache:
        return False
    f = day.features
    level = intensity(day.peak_pain, rules)
    pain = [
        f.side is HeadacheSide.UNILATERAL,
        f.quality is PainQuality.PULSATING,
        level in (Intensity.MODERATE, Intensity.SEVERE),
        bool(f.aggravated_by_activity),
    ]
    associated = bool(f.nausea or f.vomiting) or bool(f.photophobia and f.phonophobia)
    specific = any(
        day.medications.get(c, 0) for c in (MedicationClass.TRIPTAN, MedicationClass.ERGOT)
    )
    return (sum(pain) >= 2 and associated) or specific


def tension_like(day: DiaryDay, rules: DiaryRules) -> bool:
    """A headache day that is not migraine-like: a candidate tension-type episode."""
    return day.headache and not migraine_like(day, rules)


def _attacks(
    days: Sequence[DiaryDay],
    rules: DiaryRules,
    kind: Callable[[DiaryDay, DiaryRules], bool] = migraine_like,
) -> list[list[DiaryDay]]:
    """Runs of consecutive days of one kind: one attack (or episode) each."""
    runs: list[list[DiaryDay]] = []
    previous: dt.date | None = None
    for day in days:
        if not kind(day, rules):
            previous = None
            continue
        if previous is not None and (day.date - previous).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
        previous = day.date
    return runs


def _kind(attacks: list[list[DiaryDay]], rules: DiaryRules) -> HeadacheKind:
    days = [d for run in attacks for d in run]
    durations = sorted(
        sum(d.headache_hours or 0 for d in run)
        for run in attacks
        if all(d.headache_hours is not None for d in run)
    )
    # The "typical" attack: the middle of the durations, without the shortest and longest
    # tenth (IMPL NOTE: ICHD-3 asks for the typical untreated attack, a diary records all).
    cut = len(durations) // rules.typical_trim
    durations = durations[cut : len(durations) - cut] or durations

    def share(flag: str) -> bool | None:
        values = [getattr(d.features, flag) for d in days if getattr(d.features, flag) is not None]
        return None if not values else sum(values) * 2 > len(values)

    sides = [d.features.side for d in days if d.features.side is not None]
    qualities = [d.features.quality for d in days if d.features.quality is not None]
    levels = {lvl for d in days if (lvl := intensity(d.peak_pain, rules)) is not None}
    return HeadacheKind(
        lifetime_attacks=len(attacks),
        duration_hours_min=min(durations) if durations else None,
        duration_hours_max=max(durations) if durations else None,
        location=(
            Location.UNILATERAL
            if sides.count(HeadacheSide.UNILATERAL) * 2 > len(sides)
            else Location.BILATERAL
        )
        if sides
        else None,
        quality=(
            Quality.PULSATING
            if qualities.count(PainQuality.PULSATING) * 2 > len(qualities)
            else Quality.PRESSING
        )
        if qualities
        else None,
        intensities=frozenset(levels) or None,
        aggravated_by_activity=share("aggravated_by_activity"),
        nausea=share("nausea"),
        vomiting=share("vomiting"),
        photophobia=share("photophobia"),
        phonophobia=share("phonophobia"),
    )


def _menstrual(days: Sequence[DiaryDay], rules: DiaryRules) -> Menstrual | None:
    """Cycles from the first day of each bleeding run; attacks in days −2…+3 (§6)."""
    flow = [
        d.date
        for i, d in enumerate(days)
        if d.menstruation
        and not (i and days[i - 1].menstruation and (d.date - days[i - 1].date).days == 1)
    ]
    if len(flow) < 2:
        return None
    attack_days = {d.date for d in days if migraine_like(d, rules)}
    in_window: set[dt.date] = set()
    cycles_hit = 0
    for start in flow[:-1]:
        window = {start + dt.timedelta(days=k) for k in (-2, -1, 0, 1, 2)}
        hits = window & attack_days
        in_window |= hits
        cycles_hit += bool(hits)
    outside = len(
        [d for d in attack_days if d not in in_window and flow[0] - dt.timedelta(2) <= d < flow[-1]]
    )
    return Menstrual(
        cycles_documented=len(flow) - 1,
        cycles_with_attack_in_window=cycles_hit,
        attacks_outside_window=outside,
    )


def check_enough(recorded: int, span: int, rules: DiaryRules | None = None) -> None:
    """Refuse (``InsufficientData``) a diary of ``recorded`` days over ``span`` calendar days,
    first to last recorded, that is too short or too gappy to derive an intake from.

    Separate so that a caller holding only day counts can ask before loading the days."""
    rules = rules or DiaryRules()
    if not recorded:
        raise InsufficientData("the diary is empty; three months are needed")
    if span < MIN_DIARY_DAYS:
        raise InsufficientData(f"the diary covers {span} days; {MIN_DIARY_DAYS} are needed")
    if recorded < rules.min_recorded_share * span:
        raise InsufficientData(
            f"{recorded} of {span} days are recorded; at least "
            f"{rules.min_recorded_share:.0%} are needed"
        )


def intake_from_diary(days: Sequence[DiaryDay], rules: DiaryRules | None = None) -> Intake:
    """Frequencies, attack features, medication days and cycles, from ≥3 months of diary."""
    rules = rules or DiaryRules()
    days = sorted(days, key=lambda d: d.date)
    span = (days[-1].date - days[0].date).days + 1 if days else 0
    check_enough(len(days), span, rules)
    per_month = rules.days_per_month / len(days)
    # A diary shows at least its own length; a length of 3 months or less cannot show the
    # ">3 months" that ICHD-3 asks for, so it stays unknown rather than "not met".
    whole_months = int(span // rules.days_per_month)
    months = whole_months if whole_months > MONTHS_SHOWN else None
    attacks = _attacks(days, rules)
    episodes = _attacks(days, rules, tension_like)
    medication = {
        DrugClass(cls.value): MedicationUse(
            days_per_month=round(sum(1 for d in days if d.medications.get(cls, 0)) * per_month, 2),
            months=months,
        )
        for cls in MedicationClass
        if cls is not MedicationClass.OTHER
    }
    return Intake(
        migraine_like=_kind(attacks, rules) if attacks else None,
        tension_like=_kind(episodes, rules) if episodes else None,
        frequency=Frequency(
            headache_days_per_month=round(sum(d.headache for d in days) * per_month, 2),
            tension_like_days_per_month=round(
                sum(tension_like(d, rules) for d in days) * per_month, 2
            ),
            migraine_like_days_per_month=round(
                sum(migraine_like(d, rules) for d in days) * per_month, 2
            ),
            acute_medication_days_per_month=round(
                sum(d.took_acute_medication() for d in days) * per_month, 2
            ),
            months=months,
        ),
        medication=medication,
        menstrual=_menstrual(days, rules),
    )
