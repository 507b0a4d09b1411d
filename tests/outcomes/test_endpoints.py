"""Endpoints on hand-worked diaries: missing days, windows cut by the end of data, baseline 0,
and the migraine-day options (clinical-facts §1.2–§1.4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acurelief.domain import DiaryDay, HeadacheFeatures, MedicationClass
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.errors import InvalidInput
from acurelief.outcomes.diary_arrays import DiaryArrays, from_days
from acurelief.outcomes.endpoints import (
    EndpointRules,
    MigraineDayRules,
    SpecificDays,
    Window,
    migraine_days,
    overuse_risk,
    responders,
    standard_windows,
    window_endpoints,
)

FIRST = dt.date(2026, 3, 1)
BASELINE = Window("baseline", -28, 0)
WEEKS_1_4 = Window("weeks 1–4", 0, 28)
MIGRAINE = HeadacheFeatures(
    side=HeadacheSide.UNILATERAL,
    quality=PainQuality.PULSATING,
    nausea=True,
    photophobia=True,
    phonophobia=True,
)


def day(offset: int, headache: bool = False, **kw: object) -> DiaryDay:
    return DiaryDay(patient_id=1, date=FIRST + dt.timedelta(days=offset), headache=headache, **kw)  # type: ignore[arg-type]


def ache(offset: int, hours: float = 6.0, pain: int = 6, **kw: object) -> DiaryDay:
    return day(offset, True, peak_pain=pain, headache_hours=hours, features=MIGRAINE, **kw)


def arrays(days: list[DiaryDay], after: int = 120) -> DiaryArrays:
    return from_days({1: days}, {1: FIRST}, days_after=after)[1]


def test_per_28_over_recorded_days_and_the_completeness_rule() -> None:
    # Baseline: all 28 days recorded, 7 with headache → 7.0 per 28.
    days = [ache(o) if o % 4 == 0 else day(o) for o in range(-28, 0)]
    # Weeks 1–4: 21 of 28 days recorded, 3 headache days → 3 / 21 × 28 = 4.0.
    days += [ache(o) if o in (1, 2, 10) else day(o) for o in range(0, 21)]
    a = arrays(days)
    base = window_endpoints(a, BASELINE, EndpointRules())
    assert base.headache_days[0] == 7.0
    assert base.recorded_days[0] == 28
    strict = window_endpoints(a, WEEKS_1_4, EndpointRules())
    assert math.isnan(strict.headache_days[0])  # 21/28 = 75% < 80%: insufficient, not scraps
    assert strict.reason(0, 0.8) == "weeks 1–4: 21 of 28 days recorded, 23 needed"
    lenient = window_endpoints(a, WEEKS_1_4, EndpointRules(min_share=0.75))
    assert lenient.headache_days[0] == pytest.approx(4.0)
    assert lenient.attacks[0] == pytest.approx(2 / 21 * 28)  # days 1–2 are one attack


def test_a_recorded_no_headache_day_counts_and_a_missing_day_does_not() -> None:
    days = [day(o) for o in range(-28, 0)]
    a = arrays(days)
    assert window_endpoints(a, BASELINE, EndpointRules()).headache_days[0] == 0.0
    assert window_endpoints(a, WEEKS_1_4, EndpointRules()).recorded_days[0] == 0


def test_a_window_cut_by_the_end_of_data_is_insufficient() -> None:
    days = [day(o) for o in range(-28, 40)]
    a = arrays(days, after=40)
    cut = window_endpoints(a, Window("weeks 5–8", 28, 56), EndpointRules())
    assert math.isnan(cut.headache_days[0])
    assert cut.reason(0, 0.8) == "weeks 5–8: the data end after 12 of 28 days"


def test_migraine_day_options() -> None:
    short = ache(-5, hours=2.0)  # typical features but 2 h long
    treated = day(
        -3, True, peak_pain=3, headache_hours=1.0, medications={MedicationClass.TRIPTAN: 1}
    )
    a = arrays([short, treated] + [day(o) for o in range(-28, 0) if o not in (-5, -3)])
    col = {d.date: (d.date - FIRST).days + 28 for d in (short, treated)}
    four_hours = migraine_days(a, MigraineDayRules())
    half_hour = migraine_days(a, MigraineDayRules(min_hours=0.5))
    effective = migraine_days(a, MigraineDayRules(specific_days=SpecificDays.EFFECTIVE))
    assert not four_hours[0, col[short.date]]
    assert half_hour[0, col[short.date]]
    assert four_hours[0, col[treated.date]]  # Leiden: a triptan day regardless of effect
    assert not effective[0, col[treated.date]]  # effect not recorded: cannot count
    relieved = dataclasses.replace(a, specific_effective=a.specific.copy())
    assert migraine_days(relieved, MigraineDayRules(specific_days=SpecificDays.EFFECTIVE))[
        0, col[treated.date]
    ]


def test_moderate_severe_days_medication_and_mean_pain() -> None:
    days = [
        ache(-28, pain=3),
        ache(-27, pain=4, medications={MedicationClass.SIMPLE_ANALGESIC: 2}),
        ache(-20, pain=8, medications={MedicationClass.TRIPTAN: 1}),
    ]
    days += [day(o) for o in range(-28, 0) if o not in (-28, -27, -20)]
    e = window_endpoints(arrays(days), BASELINE, EndpointRules())
    assert e.moderate_severe_days[0] == 2.0
    assert e.acute_medication_days[0] == 2.0
    assert e.specific_medication_days[0] == 1.0
    assert e.mean_peak_pain[0] == pytest.approx(5.0)
    assert e.attacks[0] == 2.0


def test_responders_at_their_boundaries_and_baseline_zero() -> None:
    baseline = np.array([8.0, 8.0, 8.0, 0.0, np.nan, 4.0])
    window = np.array([4.0, 2.0, 0.0, 0.0, 1.0, 5.0])
    r = responders(baseline, window)
    assert r.evaluable.tolist() == [True, True, True, False, False, True]
    assert r.at_50.tolist() == [True, True, True, False, False, False]
    assert r.at_75.tolist() == [False, True, True, False, False, False]
    assert r.at_100.tolist() == [False, False, True, False, False, False]
    assert r.reduction[5] == pytest.approx(-0.25)


def test_overuse_months_and_more_than_three() -> None:
    days = []
    for month in range(5):
        for k in range(30):
            offset = -28 + month * 30 + k
            meds = {MedicationClass.TRIPTAN: 1} if k < (10 if month < 4 else 9) else {}
            days.append(
                day(offset, medications=meds)
                if not meds
                else day(offset, True, peak_pain=5, medications=meds)
            )
    risk = overuse_risk(arrays(days, after=150))
    assert risk.days[MedicationClass.TRIPTAN][0].tolist() == [10, 10, 10, 10, 9]
    assert risk.over[MedicationClass.TRIPTAN][0].tolist() == [True, True, True, True, False]
    assert risk.sustained[MedicationClass.TRIPTAN][0]
    assert not risk.sustained[MedicationClass.SIMPLE_ANALGESIC][0]


def test_duplicate_days_and_patients_without_a_first_session_are_refused() -> None:
    with pytest.raises(InvalidInput, match="appears twice"):
        arrays([day(-3), day(-3)])
    with pytest.raises(InvalidInput, match="patient 2"):
        from_days({1: [day(-1)], 2: [day(-1)]}, {1: FIRST})


def test_standard_windows() -> None:
    names = [w.name for w in standard_windows(12)]
    assert names == ["baseline", "weeks 1–4", "weeks 5–8", "weeks 9–12"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-28, -1), st.booleans()), max_size=40))
def test_adding_a_recorded_day_never_lowers_the_recorded_count(
    entries: list[tuple[int, bool]],
) -> None:
    unique = dict(entries)
    days = [ache(o) if h else day(o) for o, h in unique.items()]
    before = window_endpoints(arrays(days), BASELINE, EndpointRules()).recorded_days[0]
    free = next((o for o in range(-28, 0) if o not in unique), None)
    if free is None:
        return
    after = window_endpoints(arrays([*days, day(free)]), BASELINE, EndpointRules()).recorded_days[0]
    assert after == before + 1
