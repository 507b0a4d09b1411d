"""What a patient's page shows: the recent diary as a calendar with the sessions on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from acurelief.domain import DiaryDay, Patient, TreatmentSession
from acurelief.domain.access import Action, Actor
from acurelief.domain.people import zone
from acurelief.services.access import reach_patient
from acurelief.services.ports import UnitOfWork

DEFAULT_DAYS = 90


@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: dt.date
    entry: DiaryDay | None
    sessions: tuple[TreatmentSession, ...]


@dataclass(frozen=True, slots=True)
class PatientOverview:
    patient: Patient
    days: tuple[CalendarDay, ...]
    sessions: tuple[TreatmentSession, ...]

    @property
    def recorded(self) -> int:
        return sum(1 for d in self.days if d.entry is not None)

    @property
    def diary_start(self) -> dt.date | None:
        """The first recorded day shown: days before it are not missing, the diary had not begun."""
        return next((d.date for d in self.days if d.entry is not None), None)

    @property
    def missing(self) -> int:
        start = self.diary_start
        if start is None:
            return 0
        return sum(1 for d in self.days if d.entry is None and d.date >= start)

    @property
    def headache_days(self) -> int:
        return sum(1 for d in self.days if d.entry is not None and d.entry.headache)


def patient_overview(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime, days: int = DEFAULT_DAYS
) -> PatientOverview:
    """The last ``days`` calendar days up to today in the patient's time zone."""
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    today = patient.today(now)
    start = today - dt.timedelta(days=days - 1)
    entries = {d.date: d for d in uow.diary.between(patient_id, start, today)}
    tz = zone(patient.time_zone)
    sessions = tuple(uow.sessions.list_for_patient(patient_id))
    by_date: dict[dt.date, list[TreatmentSession]] = {}
    for s in sessions:
        by_date.setdefault(s.started_at.astimezone(tz).date(), []).append(s)
    calendar = tuple(
        CalendarDay(date, entries.get(date), tuple(by_date.get(date, ())))
        for date in (start + dt.timedelta(days=i) for i in range(days))
    )
    uow.commit()
    return PatientOverview(patient, calendar, sessions)


def sessions_in(overview: PatientOverview) -> Sequence[TreatmentSession]:
    """The sessions that fall inside the calendar's days."""
    return [s for d in overview.days for s in d.sessions]
