"""``align`` on columns gives exactly the arrays ``from_days`` builds from the same days."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acurelief.domain import DiaryDay, HeadacheFeatures, MedicationClass
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.errors import InvalidInput
from acurelief.outcomes.diary_arrays import DiaryArrays, from_days
from acurelief.outcomes.diary_columns import align, to_columns

FIRST = {1: dt.date(2026, 3, 1), 2: dt.date(2026, 4, 10)}


@st.composite
def diary_days(draw: st.DrawFn, patient_id: int) -> list[DiaryDay]:
    offsets = draw(st.sets(st.integers(-40, 80), max_size=30))
    days = []
    for offset in sorted(offsets):
        date = FIRST[patient_id] + dt.timedelta(days=offset)
        if not draw(st.booleans()):
            days.append(DiaryDay(patient_id=patient_id, date=date, headache=False))
            continue
        features = HeadacheFeatures(
            side=draw(st.sampled_from([None, *HeadacheSide])),
            quality=draw(st.sampled_from([None, *PainQuality])),
            aggravated_by_activity=draw(st.sampled_from([None, True, False])),
            nausea=draw(st.sampled_from([None, True, False])),
            vomiting=draw(st.sampled_from([None, True, False])),
            photophobia=draw(st.sampled_from([None, True, False])),
            phonophobia=draw(st.sampled_from([None, True, False])),
            aura=draw(st.sampled_from([None, True, False])),
        )
        meds = draw(st.dictionaries(st.sampled_from(list(MedicationClass)), st.integers(0, 3)))
        days.append(
            DiaryDay(
                patient_id=patient_id,
                date=date,
                headache=True,
                peak_pain=draw(st.sampled_from([None, *range(11)])),
                headache_hours=draw(st.sampled_from([None, 0.5, 4.0, 12.0])),
                features=features,
                medications=meds,
            )
        )
    return days


def _assert_same(a: DiaryArrays, b: DiaryArrays) -> None:
    for f in dataclasses.fields(DiaryArrays):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "medication":
            assert x.keys() == y.keys()
            for cls in x:
                np.testing.assert_array_equal(x[cls], y[cls], err_msg=cls)
        elif isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=f.name)
            assert x.dtype == y.dtype, f.name
        else:
            assert x == y, f.name


@settings(max_examples=60, deadline=None)
@given(diary_days(1), diary_days(2))
def test_align_matches_from_days(one: list[DiaryDay], two: list[DiaryDay]) -> None:
    ids, expected = from_days({1: one, 2: two}, FIRST, days_after=60)
    got_ids, got = align(to_columns(one + two), FIRST, days_after=60)
    assert got_ids == ids
    _assert_same(got, expected)


def test_a_patient_without_days_is_all_missing_and_others_are_ignored() -> None:
    day = DiaryDay(patient_id=9, date=FIRST[1], headache=True)
    ids, arrays = align(to_columns([day]), {1: FIRST[1]}, days_after=10)
    assert ids == [1]
    assert not arrays.recorded.any()


def test_the_same_day_twice_is_refused_naming_patient_and_date() -> None:
    day = DiaryDay(patient_id=1, date=FIRST[1], headache=False)
    with pytest.raises(InvalidInput, match="patient 1, 2026-03-01"):
        align(to_columns([day, day]), FIRST)
