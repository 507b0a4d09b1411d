"""Use cases for the headache diary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from acurelief.domain import DiaryDay
from acurelief.domain.access import Action, Actor
from acurelief.errors import FieldProblem, InvalidInput, Problems
from acurelief.services.access import reach_patient
from acurelief.services.ports import UnitOfWork

MAX_RANGE_DAYS = 3660
MAX_DAYS_PER_WRITE = 3660


def record_days(
    uow: UnitOfWork, actor: Actor, patient_id: int, days: Sequence[DiaryDay], now: dt.datetime
) -> int:
    """Store (insert or replace) diary days of one patient, all of them or none.

    Sending the same day again replaces it and never duplicates it. Every problem in every
    row is reported together, each named by its row index.
    """
    if not days:
        raise InvalidInput.single("days", "send at least one diary day")
    if len(days) > MAX_DAYS_PER_WRITE:
        raise InvalidInput.single("days", f"send at most {MAX_DAYS_PER_WRITE} days at once")
    patient = reach_patient(uow, actor, patient_id, Action.WRITE_DIARY, now)
    problems = Problems()
    seen: set[dt.date] = set()
    for index, day in enumerate(days):
        if day.patient_id != patient_id:
            problems.add(f"days.{index}.patient_id", "belongs to another patient")
        if day.date in seen:
            problems.add(f"days.{index}.date", f"{day.date} appears twice")
        seen.add(day.date)
        try:
            day.check_not_future(patient, now)
        except InvalidInput as exc:
            problems.extend(exc.nested(f"days.{index}").problems)
    problems.raise_if_any()
    uow.diary.upsert_many(days)
    uow.commit()
    return len(days)


def record_day(uow: UnitOfWork, actor: Actor, day: DiaryDay, now: dt.datetime) -> DiaryDay:
    """Store one diary day (idempotent) and return it as stored."""
    try:
        record_days(uow, actor, day.patient_id, [day], now)
    except InvalidInput as exc:
        raise InvalidInput(
            [FieldProblem(p.field.removeprefix("days.0."), p.message) for p in exc.problems]
        ) from exc
    return day


def diary_between(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> Sequence[DiaryDay]:
    """The recorded days from ``start`` to ``end`` inclusive; missing days are absent."""
    problems = Problems()
    if end < start:
        problems.add("end", "must not be before start")
    elif (end - start).days >= MAX_RANGE_DAYS:
        problems.add("end", f"ask for at most {MAX_RANGE_DAYS} days at once")
    problems.raise_if_any()
    reach_patient(uow, actor, patient_id, Action.READ, now)
    days = uow.diary.between(patient_id, start, end)
    uow.commit()
    return days


def diary_day(
    uow: UnitOfWork, actor: Actor, patient_id: int, date: dt.date, now: dt.datetime
) -> DiaryDay | None:
    """The recorded day, or None when that day is missing from the diary."""
    reach_patient(uow, actor, patient_id, Action.READ, now)
    day = uow.diary.get(patient_id, date)
    uow.commit()
    return day
