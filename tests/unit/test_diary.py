"""Diary days and attacks: ratings, ranges, "no headache" days and the patient's today."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from acurelief.domain.diary import (
    Attack,
    DiaryDay,
    HeadacheFeatures,
    HeadacheSide,
    MedicationClass,
)
from acurelief.domain.people import Patient, Sex
from acurelief.errors import InvalidInput

DAY = dt.date(2026, 6, 14)
T0 = dt.datetime(2026, 6, 14, 8, 0, tzinfo=dt.UTC)


def _day(**changes: Any) -> DiaryDay:
    fields: dict[str, Any] = {"patient_id": 1, "date": DAY, "headache": True}
    fields.update(changes)
    return DiaryDay(**fields)


def _refused(**changes: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        _day(**changes)
    return [p.field for p in caught.value.problems]


def _patient(time_zone: str) -> Patient:
    return Patient(
        clinic_id=1,
        practitioner_id=None,
        name="P",
        date_of_birth=dt.date(1980, 1, 1),
        sex=Sex.MALE,
        time_zone=time_zone,
    )


@pytest.mark.parametrize("field", ["peak_pain", "mood", "stress"])
@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (10, True), (11, False)])
def test_rating_boundaries(field: str, value: int, ok: bool) -> None:
    if ok:
        assert getattr(_day(**{field: value}), field) == value
    else:
        assert _refused(**{field: value}) == [field]


@pytest.mark.parametrize("field", ["peak_pain", "mood", "stress"])
@pytest.mark.parametrize("value", [True, False, 5.0, 5.5])
def test_rating_refuses_bools_and_floats(field: str, value: object) -> None:
    assert _refused(**{field: value}) == [field]


def test_every_bad_field_is_named_at_once() -> None:
    assert set(_refused(peak_pain=11, mood=-1, sleep_hours=25)) == {
        "peak_pain",
        "mood",
        "sleep_hours",
    }


@pytest.mark.parametrize("field", ["headache_hours", "sleep_hours"])
@pytest.mark.parametrize(("value", "ok"), [(-0.5, False), (0, True), (24, True), (24.5, False)])
def test_hours_from_0_to_24(field: str, value: float, ok: bool) -> None:
    if ok:
        assert getattr(_day(**{field: value}), field) == value
    else:
        assert _refused(**{field: value}) == [field]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"peak_pain": 3}, "peak_pain"),
        ({"headache_hours": 2.5}, "headache_hours"),
        ({"features": HeadacheFeatures(nausea=False)}, "features"),
    ],
)
def test_no_headache_day_refuses_headache_details(changes: dict[str, Any], field: str) -> None:
    assert _refused(headache=False, **changes) == [field]


def test_no_headache_day_accepts_zero_and_other_answers() -> None:
    day = _day(headache=False, peak_pain=0, headache_hours=0, mood=7, sleep_hours=8)
    assert (day.headache, day.mood) == (False, 7)


@pytest.mark.parametrize(("count", "ok"), [(-1, False), (0, True), (24, True), (25, False)])
def test_intakes_from_0_to_24_per_class(count: int, ok: bool) -> None:
    meds = {MedicationClass.TRIPTAN: 1, MedicationClass.OPIOID: count}
    if ok:
        assert _day(medications=meds).medications[MedicationClass.OPIOID] == count
    else:
        assert _refused(medications=meds) == ["medications.opioid"]


@pytest.mark.parametrize("count", [1.0, True, "2"])
def test_intakes_must_be_whole_numbers(count: object) -> None:
    assert _refused(medications={MedicationClass.TRIPTAN: count}) == ["medications.triptan"]


def test_notes_length_limit() -> None:
    assert _day(notes="x" * 2000).notes == "x" * 2000
    assert _refused(notes="x" * 2001) == ["notes"]


def test_medications_are_a_read_only_copy() -> None:
    meds = {MedicationClass.TRIPTAN: 1}
    day = _day(medications=meds)
    meds[MedicationClass.TRIPTAN] = 9
    assert day.medications[MedicationClass.TRIPTAN] == 1
    with pytest.raises(TypeError):
        day.medications[MedicationClass.OPIOID] = 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("meds", "took"),
    [
        ({}, False),
        ({MedicationClass.TRIPTAN: 0, MedicationClass.ERGOT: 0}, False),
        ({MedicationClass.TRIPTAN: 0, MedicationClass.SIMPLE_ANALGESIC: 2}, True),
    ],
)
def test_took_acute_medication(meds: dict[MedicationClass, int], took: bool) -> None:
    assert _day(medications=meds).took_acute_medication() is took


def test_not_future_depends_on_the_patients_time_zone() -> None:
    now = dt.datetime(2026, 6, 14, 23, 30, tzinfo=dt.UTC)  # 15 June in Auckland, 14 in LA
    day = _day(date=dt.date(2026, 6, 15))
    day.check_not_future(_patient("Pacific/Auckland"), now)
    with pytest.raises(InvalidInput) as caught:
        day.check_not_future(_patient("America/Los_Angeles"), now)
    assert [p.field for p in caught.value.problems] == ["date"]


def test_today_is_allowed_and_tomorrow_refused() -> None:
    patient = _patient("Europe/Berlin")
    now = dt.datetime(2026, 6, 14, 21, 59, tzinfo=dt.UTC)  # 23:59 in Berlin
    _day(date=DAY).check_not_future(patient, now)
    with pytest.raises(InvalidInput):
        _day(date=DAY + dt.timedelta(days=1)).check_not_future(patient, now)


def _attack(**changes: Any) -> Attack:
    fields: dict[str, Any] = {"patient_id": 1, "start": T0}
    fields.update(changes)
    return Attack(**fields)


def _attack_refused(**changes: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        _attack(**changes)
    return [p.field for p in caught.value.problems]


def test_attack_end_must_be_after_start() -> None:
    assert _attack_refused(end=T0) == ["end"]
    assert _attack_refused(end=T0 - dt.timedelta(minutes=1)) == ["end"]
    assert _attack(end=T0 + dt.timedelta(minutes=90)).duration_hours() == 1.5


def test_attack_compares_instants_across_offsets() -> None:
    # 10:00+02:00 is 08:00 UTC, the same instant as the start.
    end = dt.datetime(2026, 6, 14, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _attack_refused(end=end) == ["end"]


def test_attack_refuses_naive_datetimes() -> None:
    naive = T0.replace(tzinfo=None)
    assert _attack_refused(start=naive) == ["start"]
    assert _attack_refused(end=naive + dt.timedelta(hours=1)) == ["end"]


def test_attack_lasts_at_most_31_days() -> None:
    assert _attack(end=T0 + dt.timedelta(days=31)).duration_hours() == 31 * 24
    assert _attack_refused(end=T0 + dt.timedelta(days=31, seconds=1)) == ["end"]


def test_attack_checks_rating_and_intakes_together() -> None:
    fields = _attack_refused(peak_pain=11, medications={MedicationClass.OPIOID: 30})
    assert fields == ["peak_pain", "medications.opioid"]


def test_ongoing_attack_has_no_duration() -> None:
    with pytest.raises(ValueError, match="not ended"):
        _attack().duration_hours()


def test_attack_not_future() -> None:
    attack = _attack(
        end=T0 + dt.timedelta(hours=2), features=HeadacheFeatures(side=HeadacheSide.UNILATERAL)
    )
    attack.check_not_future(T0 + dt.timedelta(hours=2))
    with pytest.raises(InvalidInput) as caught:
        attack.check_not_future(T0 + dt.timedelta(hours=1))
    assert [p.field for p in caught.value.problems] == ["end"]
    with pytest.raises(InvalidInput) as caught:
        attack.check_not_future(T0 - dt.timedelta(hours=1))
    assert [p.field for p in caught.value.problems] == ["start", "end"]
