"""Schedule what-ifs and the export of simulated patients."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from acurelief.errors import InvalidInput
from acurelief.mechanism import export
from acurelief.mechanism.cohort import simulate_cohort
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.whatif import schedule_course


def test_more_sessions_more_often_protect_more_and_no_treatment_stays_put() -> None:
    course = schedule_course(
        {
            "none": None,
            "weekly x6": Schedule.evenly(6, 6),
            "twice weekly x12": Schedule.evenly(12, 6),
        },
        n=3000,
        follow_days=112,
        rng=np.random.default_rng(2),
    )
    weeks_5_8 = {name: rows[2] for name, rows in course.items()}  # windows: -28, 0, 28, …
    assert weeks_5_8["twice weekly x12"].mean < weeks_5_8["weekly x6"].mean < weeks_5_8["none"].mean
    none = [w.mean for w in course["none"]]
    assert max(none) - min(none) < 0.6
    assert all(w.low < w.mean < w.high and w.n > 2000 for rows in course.values() for w in rows)
    with pytest.raises(InvalidInput, match="days"):
        schedule_course({"x": None}, n=10, follow_days=10, rng=np.random.default_rng(0))


def test_columns_hold_one_row_per_recorded_day() -> None:
    cohort = simulate_cohort(
        50, rng=np.random.default_rng(1), schedule=Schedule.evenly(6, 6), follow_days=60
    )
    columns = export.diary_columns(cohort, first_session=dt.date(2026, 3, 1))
    assert len(columns["day"]) == cohort.recorded.sum()
    assert {len(v) for v in columns.values()} == {int(cohort.recorded.sum())}
    first = columns["date"][columns["day"] == 0][0]
    assert first == np.datetime64("2026-03-01")
    sessions = export.session_columns(cohort)
    assert len(sessions["day"]) == 50 * 6


def test_domain_objects_match_the_arrays() -> None:
    schedule = Schedule.evenly(6, 6)
    cohort = simulate_cohort(3, rng=np.random.default_rng(1), schedule=schedule, follow_days=60)
    days = export.diary_days(cohort, 0, patient_id=42, first_session=dt.date(2026, 3, 1))
    assert len(days) == cohort.recorded[0].sum()
    assert sum(d.headache for d in days) == (cohort.headache[0] & cohort.recorded[0]).sum()
    until = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
    sessions = export.sessions(
        cohort, 0, 42, None, dt.date(2026, 3, 1), schedule, ZoneInfo("Europe/Berlin"), until
    )
    assert [s.started_at.date().day for s in sessions] == [1, 8, 15]
    assert sessions[0].before is not None
    assert sessions[0].before.pain == cohort.pain_before[0, 0]
