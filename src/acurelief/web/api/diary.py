"""A patient's diary: one day by date (PUT is idempotent), date ranges, and batches."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from acurelief.errors import InvalidInput, NotFound, Problems
from acurelief.services import diary
from acurelief.web.api.params import PatientId
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.schemas import DiaryBatch, DiaryDayBody, DiaryDayPublic

router = APIRouter(prefix="/patients/{patient_id}/diary", tags=["diary"])
DEFAULT_RANGE_DAYS = 28


@router.get("")
def list_days(
    patient_id: PatientId,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    start: Annotated[
        dt.date | None, Query(description="first date (default: 27 days before end)")
    ] = None,
    end: Annotated[
        dt.date | None, Query(description="last date, inclusive (default: today)")
    ] = None,
) -> list[DiaryDayPublic]:
    """Recorded days in the range; a missing day is simply absent (it is not "no headache")."""
    last = end or now.date()
    if start is not None:
        first = start
    elif last.toordinal() < DEFAULT_RANGE_DAYS:  # the default range would begin before year 1
        raise InvalidInput.single(
            "end", f"give start too: the {DEFAULT_RANGE_DAYS} days before end reach before year 1"
        )
    else:
        first = last - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1)
    with uow(read_only=True) as work:
        days = diary.diary_between(work, actor, patient_id, first, last, now)
    return [DiaryDayPublic.of(d) for d in days]


@router.get("/{date}")
def get_day(
    patient_id: PatientId, date: dt.date, actor: CurrentActor, uow: UowDep, now: NowDep
) -> DiaryDayPublic:
    with uow(read_only=True) as work:
        day = diary.diary_day(work, actor, patient_id, date, now)
    if day is None:
        raise NotFound("diary entry for", date)
    return DiaryDayPublic.of(day)


@router.put("/{date}")
def put_day(
    patient_id: PatientId,
    date: dt.date,
    body: DiaryDayBody,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
) -> DiaryDayPublic:
    """Record the day, replacing what was recorded for it before. Safe to retry."""
    with uow() as work:
        stored = diary.record_day(work, actor, body.to_domain(patient_id, date), now)
    return DiaryDayPublic.of(stored)


@router.post("/batch")
def put_days(
    patient_id: PatientId, body: DiaryBatch, actor: CurrentActor, uow: UowDep, now: NowDep
) -> dict[str, int]:
    """Record many days at once: all are stored, or none and every bad field is named."""
    problems = Problems()
    days = [
        problems.attempt(f"days.{i}", d.to_domain, patient_id=patient_id, date=d.date)
        for i, d in enumerate(body.days)
    ]
    problems.raise_if_any()
    with uow() as work:
        count = diary.record_days(work, actor, patient_id, [d for d in days if d], now)
    return {"stored": count}
