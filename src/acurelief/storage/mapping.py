"""Conversion between table rows and domain objects, in both directions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Row

from acurelief.domain import (
    AdverseEvent,
    AdverseEventKind,
    Attack,
    Clinic,
    DiaryDay,
    HeadacheFeatures,
    Instrument,
    MedicationClass,
    NeedlePoint,
    Patient,
    QuestionnaireResponse,
    Role,
    SessionReading,
    Sex,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
    User,
)
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.knowledge.protocols import Protocol
from acurelief.storage.tables import (
    AttackRow,
    ClinicRow,
    DiaryDayRow,
    FeatureColumns,
    PatientRow,
    ProtocolRow,
    QuestionnaireRow,
    SessionRow,
    UserRow,
)

FEATURE_FIELDS = (
    "aggravated_by_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
    "aura",
)


def _utc(value: dt.datetime) -> dt.datetime:
    """Instants leave storage in UTC, whichever zone they were given in."""
    return value.astimezone(dt.UTC)


def clinic(row: ClinicRow) -> Clinic:
    return Clinic(id=row.id, name=row.name)


def user(row: UserRow, patient_id: int | None) -> User:
    return User(
        id=row.id,
        clinic_id=row.clinic_id,
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        patient_id=patient_id,
        active=row.active,
    )


def patient(row: PatientRow) -> Patient:
    return Patient(
        id=row.id,
        clinic_id=row.clinic_id,
        practitioner_id=row.practitioner_id,
        name=row.name,
        date_of_birth=row.date_of_birth,
        sex=Sex(row.sex),
        time_zone=row.time_zone,
    )


def features_to_columns(
    features: HeadacheFeatures, meds: Mapping[MedicationClass, int]
) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(features, name) for name in FEATURE_FIELDS}
    values["side"] = features.side.value if features.side else None
    values["quality"] = features.quality.value if features.quality else None
    values["medications"] = {cls.value: count for cls, count in meds.items() if count}
    return values


def features(row: FeatureColumns | Row[Any]) -> HeadacheFeatures:
    return HeadacheFeatures(
        side=HeadacheSide(row.side) if row.side else None,
        quality=PainQuality(row.quality) if row.quality else None,
        **{name: getattr(row, name) for name in FEATURE_FIELDS},
    )


def medications(row: FeatureColumns | Row[Any]) -> dict[MedicationClass, int]:
    return {MedicationClass(name): count for name, count in (row.medications or {}).items()}


def diary_day_columns(day: DiaryDay) -> dict[str, Any]:
    return {
        "patient_id": day.patient_id,
        "date": day.date,
        "headache": day.headache,
        "peak_pain": day.peak_pain,
        "headache_hours": day.headache_hours,
        "menstruation": day.menstruation,
        "mood": day.mood,
        "sleep_hours": day.sleep_hours,
        "stress": day.stress,
        "notes": day.notes,
        **features_to_columns(day.features, day.medications),
    }


def diary_day(row: DiaryDayRow | Row[Any]) -> DiaryDay:
    """A diary day from its ORM row or from a plain row of the same columns."""
    return DiaryDay(
        patient_id=row.patient_id,
        date=row.date,
        headache=row.headache,
        peak_pain=row.peak_pain,
        headache_hours=row.headache_hours,
        features=features(row),
        medications=medications(row),
        menstruation=row.menstruation,
        mood=row.mood,
        sleep_hours=row.sleep_hours,
        stress=row.stress,
        notes=row.notes,
    )


def attack(row: AttackRow) -> Attack:
    return Attack(
        id=row.id,
        patient_id=row.patient_id,
        start=_utc(row.start),
        end=_utc(row.end) if row.end else None,
        peak_pain=row.peak_pain,
        features=features(row),
        medications=medications(row),
    )


def session_columns(session: TreatmentSession) -> dict[str, Any]:
    before, after = session.before, session.after
    return {
        "patient_id": session.patient_id,
        "practitioner_id": session.practitioner_id,
        "started_at": session.started_at,
        "stimulation_kind": session.stimulation.kind.value,
        "frequencies_hz": list(session.stimulation.frequencies_hz),
        "intensity_ma": session.stimulation.intensity_ma,
        "retention_minutes": session.retention_minutes,
        "de_qi": session.de_qi,
        "before_pain": before.pain if before else None,
        "before_mood": before.mood if before else None,
        "before_minutes": before.minutes_after_needling if before else None,
        "after_pain": after.pain if after else None,
        "after_mood": after.mood if after else None,
        "after_minutes": after.minutes_after_needling if after else None,
        "notes": session.notes,
    }


def _reading(pain: int | None, mood: int | None, minutes: int | None) -> SessionReading | None:
    if minutes is None:
        return None
    return SessionReading(pain=pain, mood=mood, minutes_after_needling=minutes)


def session(
    row: SessionRow,
    points: list[tuple[str, str | None]],
    events: list[tuple[str, str | None]],
) -> TreatmentSession:
    return TreatmentSession(
        id=row.id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        started_at=_utc(row.started_at),
        points=[NeedlePoint(code=c, side=Side(s) if s else None) for c, s in points],
        stimulation=Stimulation(
            kind=StimulationKind(row.stimulation_kind),
            frequencies_hz=tuple(row.frequencies_hz or ()),
            intensity_ma=row.intensity_ma,
        ),
        retention_minutes=row.retention_minutes,
        de_qi=row.de_qi,
        before=_reading(row.before_pain, row.before_mood, row.before_minutes),
        after=_reading(row.after_pain, row.after_mood, row.after_minutes),
        adverse_events=[AdverseEvent(kind=AdverseEventKind(k), notes=n) for k, n in events],
        notes=row.notes,
    )


def protocol(row: ProtocolRow) -> Protocol:
    return Protocol(
        key=row.key,
        name=row.name,
        indication=row.indication,
        points=tuple(NeedlePoint(code=str(c), side=Side(s) if s else None) for c, s in row.points),
        stimulation=Stimulation(
            kind=StimulationKind(row.stimulation_kind),
            frequencies_hz=tuple(row.frequencies_hz or ()),
            intensity_ma=row.intensity_ma,
        ),
        retention_minutes=row.retention_minutes,
        sessions=row.sessions,
        weeks=row.weeks,
        source=row.source,
        notes=row.notes,
    )


def questionnaire(row: QuestionnaireRow) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        id=row.id,
        patient_id=row.patient_id,
        instrument=Instrument(row.instrument),
        date=row.date,
        answers=dict(row.answers),
    )
