"""A diary whose carry-over half-life is identified (or, with no effect, is not), for the API
and browser tests of how a half-life is shown.

The diary comes from the carry-over model's own equation (tests/analysis/test_carryover.py)
with a course that has a break and boosters, and it ends on ``tests.conftest.NOW``."""

from __future__ import annotations

import datetime as dt

import numpy as np

from acurelief.domain import DiaryDay, Stimulation, StimulationKind, TreatmentSession
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.analysis.test_carryover import BOOSTED, BOOSTED_DAYS, simulate
from tests.conftest import NOW

START = NOW.date() - dt.timedelta(days=BOOSTED_DAYS - 1)  # the diary ends today
LAST_SESSION = START + dt.timedelta(days=BOOSTED[-1])


def diary(effect: float) -> np.ndarray:
    """Headache (True) or not, day by day from ``START``; ``effect`` is β (−1.2: identified)."""
    headache, _ = simulate(np.random.default_rng(10), 0.8, effect, 14.0, 0.0, BOOSTED, BOOSTED_DAYS)
    return headache


def store(
    factory: SqlUnitOfWorkFactory, pid: int, practitioner: int | None, headache: np.ndarray
) -> None:
    """Every diary day from ``START`` and the course's sessions, in one unit of work."""
    with factory() as uow:
        uow.diary.upsert_many(
            [
                DiaryDay(patient_id=pid, date=START + dt.timedelta(days=day), headache=bool(ache))
                for day, ache in enumerate(headache)
            ]
        )
        for day in BOOSTED:
            started = dt.datetime.combine(START + dt.timedelta(days=day), dt.time(9), dt.UTC)
            uow.sessions.add(
                TreatmentSession(
                    patient_id=pid,
                    practitioner_id=practitioner,
                    started_at=started,
                    stimulation=Stimulation(kind=StimulationKind.MANUAL),
                )
            )
        uow.commit()
