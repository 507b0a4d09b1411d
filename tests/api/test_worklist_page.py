"""The worklist page: search, sort and filters as a GET form; alerts and red flags visible."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from acurelief.domain import DiaryDay, Instrument, QuestionnaireResponse
from acurelief.services import diary
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.forms import login
from tests.conftest import NOW, PASSWORD, World


def _names(html: str) -> list[str]:
    return re.findall(r"<strong>(Patient P\d)</strong>", html)


def _phq9(uow_factory: SqlUnitOfWorkFactory, pid: int, item9: int) -> None:
    answers = {str(i): 1 for i in range(1, 10)} | {"9": item9}
    with uow_factory() as uow:
        uow.questionnaires.add(
            QuestionnaireResponse(
                patient_id=pid,
                instrument=Instrument.PHQ9,
                date=dt.date(2026, 6, 10),
                answers=answers,
            )
        )
        uow.commit()


def test_the_worklist_lists_the_clinics_patients_with_search(
    client: TestClient, world: World
) -> None:
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    everyone = client.get("/patients", params={"sort": "name"})
    assert everyone.status_code == 200
    assert _names(everyone.text) == ["Patient P1", "Patient P2"]
    assert "Patient P3" not in everyone.text  # another clinic's patient
    found = client.get("/patients", params={"q": "p2"})
    assert _names(found.text) == ["Patient P2"]
    assert "1 of 2 patients" in found.text
    none = client.get("/patients", params={"q": "nobody"})
    assert "No patient matches" in none.text


def test_a_phq9_item9_alert_is_shown_and_sorted_first(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _phq9(uow_factory, world.patients["p2"], item9=2)
    login(client, world.personas["admin_a"].email, PASSWORD)
    page = client.get("/patients").text  # "needs attention first" is the default order
    assert _names(page) == ["Patient P2", "Patient P1"]
    assert page.count(">PHQ-9 item 9</span>") == 1
    only = client.get("/patients", params={"alert": "yes"}).text
    assert _names(only) == ["Patient P2"]


def test_diary_completeness_is_shown_out_of_28(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = world.patients["p1"]
    today = dt.date(2026, 6, 15)
    days = [
        DiaryDay(patient_id=pid, date=today - dt.timedelta(days=i), headache=i % 4 == 0)
        for i in range(20)
    ]
    with uow_factory() as uow:
        diary.record_days(uow, world.actor("p1"), pid, days, NOW)
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    row = client.get("/patients", params={"q": "P1"}).text
    assert "20 of 28" in row
    assert "(71%)" in row
    assert "incomplete" in row


def test_a_bad_filter_is_named_and_everyone_is_shown(client: TestClient, world: World) -> None:
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    response = client.get("/patients", params={"sessions_within_days": "soon", "sort": "name"})
    assert response.status_code == 422
    assert 'id="sessions_within_days-error"' in response.text
    assert "must be a whole number" in response.text
    assert _names(response.text) == ["Patient P1", "Patient P2"]
    bad_sort = client.get("/patients", params={"sort": "shoe-size"})
    assert bad_sort.status_code == 422
    assert "must be one of" in bad_sort.text


def test_a_patient_is_sent_to_today(client: TestClient, world: World) -> None:
    login(client, world.personas["p1"].email, PASSWORD)
    response = client.get("/patients")
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
