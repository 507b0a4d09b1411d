"""A course of treatment with a known diary, for the dashboard and My progress page tests.

Today is 15 June 2026 (``tests.conftest.NOW``). The first session is on 24 March, so weeks
1–12 end today and the baseline runs from 24 February to 23 March. Baseline days are headache
days every ``baseline_every`` days, treatment days every ``after_every`` days (counted from the
first session), and 10 June is left empty. Twelve weekly sessions run from 24 March to
9 June; 9 June has pain 8. With the defaults: 14 headache days of 28 at baseline and 12 of 83
recorded days in weeks 1–12, a rate ratio of (12/83)/(14/28) = 0.29.
"""

from __future__ import annotations

import datetime as dt

from acurelief.domain import (
    AdverseEvent,
    AdverseEventKind,
    DiaryDay,
    Instrument,
    NeedlePoint,
    QuestionnaireResponse,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.domain.treatment import SessionReading
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World

TODAY = NOW.date()
FIRST = dt.date(2026, 3, 24)
BASELINE_START = FIRST - dt.timedelta(days=28)
MISSING = dt.date(2026, 6, 10)
SEVERE_DAY = dt.date(2026, 6, 9)
SESSIONS = 12


def course(
    factory: SqlUnitOfWorkFactory,
    world: World,
    patient: str = "p1",
    *,
    baseline_every: int = 2,
    after_every: int = 7,
    baseline_recorded: int = 28,
    sessions: bool = True,
) -> int:
    """Store the diary (and the sessions) described above; returns the patient id."""
    pid = world.patients[patient]
    practitioner = world.actor("practitioner_a").user_id
    with factory() as uow:
        for i in range(28 - baseline_recorded, 28):
            uow.diary.upsert(_day(pid, BASELINE_START + dt.timedelta(days=i), i, baseline_every, 5))
        for j in range((TODAY - FIRST).days + 1):
            date = FIRST + dt.timedelta(days=j)
            if date != MISSING:
                uow.diary.upsert(_day(pid, date, j, after_every, 7))
        for k in range(SESSIONS if sessions else 0):
            uow.sessions.add(
                TreatmentSession(
                    patient_id=pid,
                    practitioner_id=practitioner,
                    started_at=dt.datetime.combine(
                        FIRST + dt.timedelta(weeks=k), dt.time(8, 0), tzinfo=dt.UTC
                    ),
                    points=(
                        NeedlePoint(code="GB20", side=Side.BILATERAL),
                        NeedlePoint(code="LI4", side=Side.LEFT),
                    ),
                    stimulation=Stimulation(kind=StimulationKind.MANUAL),
                    retention_minutes=20,
                    before=SessionReading(pain=6, mood=5, minutes_after_needling=0),
                    after=SessionReading(pain=3, mood=7, minutes_after_needling=20),
                    adverse_events=(
                        (AdverseEvent(kind=AdverseEventKind.HAEMATOMA, notes="small bruise"),)
                        if k == 0
                        else ()
                    ),
                    notes="Felt lighter afterwards" if k == SESSIONS - 1 else None,
                )
            )
        uow.commit()
    return pid


def _day(pid: int, date: dt.date, index: int, every: int, mood: int) -> DiaryDay:
    ache = index % every == 0
    pain = 8 if date == SEVERE_DAY else 6
    return DiaryDay(
        patient_id=pid, date=date, headache=ache, peak_pain=pain if ache else None, mood=mood
    )


def phq9(factory: SqlUnitOfWorkFactory, pid: int, date: dt.date, each: int, item9: int) -> None:
    """A PHQ-9 with items 1–8 answered ``each`` and item 9 ``item9``."""
    answers = {str(i): each for i in range(1, 9)} | {"9": item9}
    with factory() as uow:
        uow.questionnaires.add(
            QuestionnaireResponse(
                patient_id=pid, instrument=Instrument.PHQ9, date=date, answers=answers
            )
        )
        uow.commit()
