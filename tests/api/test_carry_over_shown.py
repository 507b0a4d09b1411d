"""An identified half-life and its booking date, as the API, the dashboard and the command
line show them: each with the before/after caveat of the rate ratios (issue #9, goal 1).

The diary comes from the carry-over model's own equation with a strong session-bound effect
and a course with a break and boosters, so the half-life is identified; a diary with the same
sessions and no effect gets no half-life and no booking date, and says why."""

from __future__ import annotations

import datetime as dt
import html
import re

import numpy as np
from fastapi.testclient import TestClient

from acurelief.analysis.carryover import CAVEAT_NOT_IDENTIFIED
from acurelief.analysis.prevention import CAVEAT_CAUSE
from acurelief.cli.analyze import print_outcomes
from acurelief.cli.context import console
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.carry_over_data import LAST_SESSION, diary, store
from tests.api.forms import login
from tests.conftest import PASSWORD, World

Headers = dict[str, dict[str, str]]


def _store(factory: SqlUnitOfWorkFactory, world: World, headache: np.ndarray) -> int:
    pid = world.patients["p1"]
    store(factory, pid, world.actor("practitioner_a").user_id, headache)
    return pid


def _words(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def _cli(record: dict[str, object], pid: int) -> str:
    with console.capture() as captured:
        print_outcomes(record, pid)
    return re.sub(r"\s+", " ", captured.get())


def test_an_identified_half_life_carries_the_caveat_everywhere(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _store(uow_factory, world, diary(-1.2))
    record = client.get(f"/api/v1/patients/{pid}/outcomes", headers=tokens["p1"]).json()
    carry = record["carry_over"]
    assert carry["identified"], (carry["note"], record["notes"])
    low, high = carry["half_life_interval"]
    assert low <= carry["half_life_days"] <= high
    booked = LAST_SESSION + dt.timedelta(days=int(carry["half_life_days"]))
    assert carry["book_next_session_by"] == booked.isoformat()
    assert CAVEAT_CAUSE in carry["caveats"]
    assert CAVEAT_NOT_IDENTIFIED not in carry["caveats"]

    login(client, world.personas["practitioner_a"].email, PASSWORD)
    page = _words(client.get(f"/patients/{pid}").text)
    assert f"{carry['half_life_days']:.0f} d half-life of a session's protection" in page
    assert f"95% CI {low:.0f}–{high:.0f} days · book by" in page
    assert "(passed)" in page  # the booking date is before today: the page says so
    assert CAVEAT_CAUSE in page

    said = _cli(record, pid)
    assert "Protection half-life" in said
    assert f"book the next session by {booked.isoformat()}" in said
    assert CAVEAT_CAUSE[:1].upper() + CAVEAT_CAUSE[1:] in said


def test_without_an_effect_there_is_no_half_life_and_no_booking_date(
    client: TestClient, world: World, tokens: Headers, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _store(uow_factory, world, diary(0.0))
    record = client.get(f"/api/v1/patients/{pid}/outcomes", headers=tokens["p1"]).json()
    carry = record["carry_over"]
    assert not carry["identified"]
    assert carry["half_life_days"] is None
    assert carry["book_next_session_by"] is None
    assert CAVEAT_NOT_IDENTIFIED in carry["caveats"]

    login(client, world.personas["practitioner_a"].email, PASSWORD)
    page = _words(client.get(f"/patients/{pid}").text)
    assert "half-life of a session's protection" not in page
    assert "book by" not in page
    client.cookies.clear()
    login(client, world.personas["p1"].email, PASSWORD)  # the patient's own progress page
    mine = _words(client.get("/progress").text)
    assert f"How long a session's protection lasts: {CAVEAT_NOT_IDENTIFIED}" in mine
    assert "book by" not in mine

    said = _cli(record, pid)
    assert "book the next session" not in said
    assert "Carry-over: " in said
