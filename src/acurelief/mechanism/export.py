"""A simulated cohort as columns (one row per recorded patient-day) or as domain objects."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from acurelief.domain import (
    DiaryDay,
    HeadacheFeatures,
    MedicationClass,
    SessionReading,
    TreatmentSession,
)
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.mechanism.cohort import TYPES, Cohort
from acurelief.mechanism.schedule import Schedule
from acurelief.outcomes.diary_arrays import DiaryArrays

SESSION_HOUR = 10


def diary_columns(cohort: Cohort, first_session: dt.date | None = None) -> dict[str, Any]:
    """Recorded days only (a missing day has no row), as equal-length numpy columns.

    ``day`` counts from the first session (baseline days are negative); ``date`` is added
    when ``first_session`` is given.
    """
    patient, column = np.nonzero(cohort.recorded)
    day = column - cohort.baseline_days
    columns: dict[str, Any] = {
        "patient": patient.astype(np.int32),
        "headache_type": np.array([t.value for t in TYPES])[cohort.types[patient]],
        "day": day.astype(np.int32),
        "headache": cohort.headache[patient, column],
        "migraine": cohort.migraine[patient, column],
        "peak_pain": cohort.peak_pain[patient, column],
        "headache_hours": np.round(cohort.hours[patient, column], 1),
        "triptan": cohort.triptan[patient, column],
        "simple_analgesic": cohort.analgesic[patient, column],
        "menstruation": cohort.menstruation[patient, column],
        "mood": cohort.mood[patient, column],
    }
    if first_session is not None:
        base = np.datetime64(first_session, "D")
        columns["date"] = base + day.astype("timedelta64[D]")
    return columns


def session_columns(cohort: Cohort) -> dict[str, Any]:
    """One row per patient-session: day, pain and mood before and after."""
    k = len(cohort.session_days)
    patient = np.repeat(np.arange(cohort.n, dtype=np.int32), k)
    return {
        "patient": patient,
        "day": np.tile(cohort.session_days.astype(np.int32), cohort.n),
        "pain_before": cohort.pain_before.ravel(),
        "pain_after": cohort.pain_after.ravel(),
        "mood_before": cohort.mood_before.ravel(),
        "mood_after": cohort.mood_after.ravel(),
    }


def diary_days(
    cohort: Cohort, index: int, patient_id: int, first_session: dt.date
) -> list[DiaryDay]:
    """Patient ``index`` of the cohort as diary days of ``patient_id``."""
    out = []
    for column in np.flatnonzero(cohort.recorded[index]):
        date = first_session + dt.timedelta(days=int(column) - cohort.baseline_days)
        out.append(_day(cohort, index, int(column), patient_id, date))
    return out


def _day(cohort: Cohort, i: int, c: int, patient_id: int, date: dt.date) -> DiaryDay:
    mood = int(cohort.mood[i, c])
    menstruation = bool(cohort.menstruation[i, c]) if cohort.female[i] else None
    if not cohort.headache[i, c]:
        return DiaryDay(
            patient_id=patient_id, date=date, headache=False, mood=mood, menstruation=menstruation
        )
    migraine = bool(cohort.migraine[i, c])
    intakes = (
        (MedicationClass.TRIPTAN, cohort.triptan[i, c]),
        (MedicationClass.SIMPLE_ANALGESIC, cohort.analgesic[i, c]),
    )
    features = HeadacheFeatures(
        side=HeadacheSide.UNILATERAL if migraine else HeadacheSide.BILATERAL,
        quality=PainQuality.PULSATING if migraine else PainQuality.PRESSING,
        aggravated_by_activity=migraine,
        nausea=migraine,
        vomiting=None if migraine else False,
        photophobia=migraine,
        phonophobia=migraine,
    )
    return DiaryDay(
        patient_id=patient_id,
        date=date,
        headache=True,
        peak_pain=int(cohort.peak_pain[i, c]),
        headache_hours=round(float(cohort.hours[i, c]), 1),
        features=features,
        medications={cls: int(count) for cls, count in intakes if count},
        mood=mood,
        menstruation=menstruation,
    )


def sessions(
    cohort: Cohort,
    index: int,
    patient_id: int,
    practitioner_id: int | None,
    first_session: dt.date,
    schedule: Schedule,
    zone: ZoneInfo,
    until: dt.datetime,
) -> list[TreatmentSession]:
    """Patient ``index``'s sessions that took place before ``until``."""
    out = []
    for k, day in enumerate(cohort.session_days):
        local = dt.datetime.combine(
            first_session + dt.timedelta(days=int(day)), dt.time(SESSION_HOUR), zone
        )
        if local >= until:
            break
        out.append(
            TreatmentSession(
                patient_id=patient_id,
                practitioner_id=practitioner_id,
                started_at=local,
                stimulation=schedule.stimulation,
                retention_minutes=round(schedule.needling_minutes),
                before=SessionReading(
                    pain=int(cohort.pain_before[index, k]),
                    mood=int(cohort.mood_before[index, k]),
                    minutes_after_needling=0,
                ),
                after=SessionReading(
                    pain=int(cohort.pain_after[index, k]),
                    mood=int(cohort.mood_after[index, k]),
                    minutes_after_needling=round(schedule.reading_minutes),
                ),
            )
        )
    return out


def diary_arrays(cohort: Cohort) -> DiaryArrays:
    """The cohort as the aligned arrays the endpoints read (``acurelief.outcomes``)."""
    migraine = cohort.migraine
    zeros = np.zeros_like(cohort.peak_pain)
    return DiaryArrays(
        baseline_days=cohort.baseline_days,
        recorded=cohort.recorded,
        headache=cohort.headache,
        peak_pain=cohort.peak_pain,
        hours=cohort.hours,
        pain_features=np.where(migraine, 4, np.where(cohort.headache, 1, 0)).astype(np.int8),
        associated=migraine,
        aura=np.zeros_like(migraine),
        specific=cohort.triptan > 0,
        specific_effective=None,
        medication={
            MedicationClass.TRIPTAN: cohort.triptan,
            MedicationClass.SIMPLE_ANALGESIC: cohort.analgesic,
            MedicationClass.ERGOT: zeros,
            MedicationClass.OPIOID: zeros,
            MedicationClass.COMBINATION_ANALGESIC: zeros,
        },
    )
