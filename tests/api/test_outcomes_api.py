"""A patient's outcomes through the API, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from acurelief.domain import (
    DiaryDay,
    SessionReading,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.services import diary, sessions
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World

Headers = dict[str, dict[str, str]]


def _course(
    uow_factory: SqlUnitOfWorkFactory, world: World, first: dt.date, *, weeks: int, readings: bool
) -> None:
    """Weekly manual sessions for patient P2 from ``first``, optionally with pain 6→3, mood 4→6."""
    before = SessionReading(pain=6, mood=4, minutes_after_needling=0) if readings else None
    after = SessionReading(pain=3, mood=6, minutes_after_needling=30) if readings else None
    for week in range(weeks):
        started = dt.datetime.combine(first + dt.timedelta(days=7 * week), dt.time(9), dt.UTC)
        session = TreatmentSession(
            patient_id=world.patients["p2"],
            practitioner_id=None,
            started_at=started,
            stimulation=Stimulation(kind=StimulationKind.MANUAL),
            before=before,
            after=after,
        )
        with uow_factory() as uow:
            sessions.record_session(uow, world.actor("practitioner_a"), session, NOW)


def test_outcomes_before_any_session_say_there_is_no_baseline(
    client: TestClient, world: World, tokens: Headers
) -> None:
    result = client.get(f"/api/v1/patients/{world.patients['p2']}/outcomes", headers=tokens["p2"])
    assert result.status_code == 200
    body = result.json()
    assert body["windows"] == []
    assert body["rate_ratio"] is None
    assert "no baseline" in body["notes"][0]


def test_outcomes_with_a_baseline_and_a_course(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid, staff = world.patients["p2"], world.actor("practitioner_a")
    first = dt.date(2026, 5, 1)
    days = [
        DiaryDay(
            patient_id=pid,
            date=first + dt.timedelta(days=k),
            headache=(k % 3 == 0) if k < 0 else (k % 6 == 0),
        )
        for k in range(-28, 45)
    ]
    with uow_factory() as uow:
        diary.record_days(uow, staff, pid, days, NOW)
    _course(uow_factory, world, first, weeks=6, readings=True)
    body = client.get(f"/api/v1/patients/{pid}/outcomes", headers=tokens["p2"]).json()
    windows = {w["window"]: w for w in body["windows"]}
    assert windows["baseline"]["headache_days_per_28"] == 9.0  # days −27, −24, … −3: 9 of 28
    assert windows["weeks 1–4"]["recorded_days"] == 28
    assert windows["weeks 5–8"]["not_evaluable"] == "weeks 5–8: the data end after 18 of 28 days"
    rr = body["rate_ratio"]
    assert rr["baseline"] == {"days": 28, "headache_days": 9}
    assert rr["estimate"] < 1
    assert body["immediate_relief"]["mean_drop"] == 3.0
    assert body["immediate_relief"]["meaningful_share"] == 1.0
    assert body["mood"]["session_lift"] == 2.0
    assert body["medication_overuse_risk"] == []  # no acute medication recorded


def test_the_practice_view_is_for_staff_and_counts_every_patient(
    client: TestClient, world: World, tokens: Headers
) -> None:
    body = client.get("/api/v1/practice", headers=tokens["admin_a"]).json()
    assert body["overall"]["evaluable"] + body["not_evaluable"] == 2
    assert {g["label"] for g in body["by_diagnosis"]} == {"episodic migraine", "unknown"}
    assert body["caveats"]
    assert body["immediate_relief"] is None  # no sessions yet in this world
    assert [p["label"] for p in body["by_practitioner"]] == ["practitioner.a@example.org"]
    assert client.get("/api/v1/practice", headers=tokens["p1"]).status_code == 403


def test_follow_up_after_the_last_session_is_reported(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid, staff = world.patients["p2"], world.actor("practitioner_a")
    first = dt.date(2026, 3, 1)
    days = [
        DiaryDay(patient_id=pid, date=first + dt.timedelta(days=k), headache=k % 4 == 0)
        for k in range(-28, 100)
    ]
    with uow_factory() as uow:
        diary.record_days(uow, staff, pid, days, NOW)
    _course(uow_factory, world, first, weeks=4, readings=False)
    follow = client.get(f"/api/v1/patients/{pid}/outcomes", headers=tokens["p2"]).json()[
        "follow_up_rate_ratio"
    ]
    assert follow["window"]["days"] == 78  # days 22–99 after the last session on day 21
    assert follow["estimate"] == pytest.approx(1.0, abs=0.15)
