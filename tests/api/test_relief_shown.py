"""Immediate relief where it is shown: the outcomes JSON, the practice JSON and the dashboard
report sessions that started with a headache apart from all sessions (issue 9, goal 7)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy import stats

from acurelief.domain import SessionReading, Stimulation, StimulationKind, TreatmentSession
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.dashboard_data import FIRST, course
from tests.api.test_dashboard_pages import _page, _staff, _text
from tests.conftest import World

Headers = dict[str, dict[str, str]]
# Weekly sessions as a course runs: 5 started with a headache (pain ≥ 4), 7 did not.
PAIRS = [(6, 3), (1, 1), (0, 0), (5, 2), (3, 2), (0, 1), (8, 4), (2, 2), (1, 0), (4, 4), (0, 0)]
PAIRS += [(7, 3)]
ACHE = [(b, a) for b, a in PAIRS if b >= 4]


def _with_sessions(
    factory: SqlUnitOfWorkFactory, world: World, pairs: list[tuple[int, int]]
) -> int:
    pid = course(factory, world, sessions=False)
    with factory() as uow:
        for k, (before, after) in enumerate(pairs):
            uow.sessions.add(
                TreatmentSession(
                    patient_id=pid,
                    practitioner_id=world.actor("practitioner_a").user_id,
                    started_at=dt.datetime.combine(
                        FIRST + dt.timedelta(weeks=k), dt.time(8), tzinfo=dt.UTC
                    ),
                    stimulation=Stimulation(kind=StimulationKind.MANUAL),
                    before=SessionReading(pain=before, minutes_after_needling=0),
                    after=SessionReading(pain=after, minutes_after_needling=20),
                )
            )
        uow.commit()
    return pid


def test_the_outcomes_json_gives_relief_with_a_headache_apart(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _with_sessions(uow_factory, world, PAIRS)
    body = client.get(f"/api/v1/patients/{pid}/outcomes", headers=tokens["practitioner_a"]).json()
    relief = body["immediate_relief"]
    assert relief["sessions"] == 12
    assert relief["min_start_pain"] == 4
    assert relief["started_below"] == 7
    assert relief["started_below_note"] == (
        "7 of 12 sessions started with pain below 4: too little pain to show relief"
    )
    ache = relief["with_headache"]
    before = np.array([b for b, _ in ACHE], dtype=float)
    after = np.array([a for _, a in ACHE], dtype=float)
    ci = stats.ttest_rel(before, after).confidence_interval()
    assert ache["sessions"] == 5
    assert ache["mean_drop"] == pytest.approx(2.8)
    assert (ache["low"], ache["high"]) == pytest.approx((ci.low, ci.high), abs=1e-4)
    assert ache["meaningful"] == 4  # 6→3, 5→2, 8→4, 7→3; not 4→4
    assert any("regression to the mean" in c for c in ache["caveats"])
    assert relief["mean_drop"] == pytest.approx(np.mean([b - a for b, a in PAIRS]), abs=1e-4)


def test_the_practice_json_pools_relief_with_a_headache(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _with_sessions(uow_factory, world, PAIRS)
    relief = client.get("/api/v1/practice", headers=tokens["admin_a"]).json()["immediate_relief"]
    assert (relief["patients"], relief["sessions"], relief["started_below"]) == (1, 12, 7)
    assert relief["with_headache"]["patients"] == 1
    assert relief["with_headache"]["sessions"] == 5
    assert relief["with_headache"]["mean_drop"] == pytest.approx(2.8)


def test_the_dashboard_leads_with_relief_in_sessions_that_started_with_a_headache(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _with_sessions(uow_factory, world, PAIRS)
    _staff(client, world)
    words = _text(_page(client, pid))
    assert (
        "2.8 points less pain just after a session that started with a headache (pain ≥4) "
        "95% CI" in words
    )
    assert "· 5 of 12 sessions" in words
    assert (
        "Sessions that started with a headache (pain 4 or more): 5 of 12, on average 2.8" in words
    )
    assert "a meaningful drop in 4 of 5" in words
    assert "regression to the mean" in words
    assert "7 of 12 sessions started with pain below 4: too little pain to show relief." in words


def test_without_a_session_that_started_with_a_headache_the_dashboard_says_so(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _with_sessions(uow_factory, world, [(0, 0), (2, 1), (3, 1), (1, 1)])
    _staff(client, world)
    words = _text(_page(client, pid))
    assert "No session started with pain 4 or more, so relief during a headache cannot" in words
    assert (
        "– points less pain just after a session that started with a headache (pain ≥4) "
        "none of 4 sessions started that high" in words
    )
    assert "4 of 4 sessions started with pain below 4" in words
