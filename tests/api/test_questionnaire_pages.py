"""The questionnaire pages: the patient fills them in, staff read them, alerts reach staff."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.domain import Instrument
from acurelief.services import questionnaires
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from tests.api.forms import error_beside, login, post_form
from tests.conftest import NOW, PASSWORD, World

PHQ9 = "/questionnaires/PHQ-9"
GAD7 = "/questionnaires/GAD-7"


def _answers(values: list[int]) -> dict[str, str]:
    return {f"answers.{i}": str(v) for i, v in enumerate(values, start=1)}


def _as(client: TestClient, world: World, who: str = "p1") -> None:
    assert login(client, world.personas[who].email, PASSWORD).status_code == 303


def _stored(
    uow_factory: SqlUnitOfWorkFactory, world: World, who: str = "p1"
) -> list[tuple[Instrument, dict[str, int]]]:
    with uow_factory() as uow:
        found = uow.questionnaires.list_for_patient(world.patients[who])
    return [(r.instrument, dict(r.answers)) for r in found]


def _checked(page: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)" checked', page)
    return match.group(1) if match else None


def test_the_list_offers_four_questionnaires_not_answered_yet(
    client: TestClient, world: World
) -> None:
    _as(client, world)
    page = client.get("/questionnaires")
    assert page.status_code == 200
    for title in ("PHQ-9 (mood)", "GAD-7 (anxiety)", "HIT-6 (headache impact)", "MIDAS"):
        assert title in page.text
    assert page.text.count("Not answered yet.") == 4


def test_the_phq9_form_has_the_stem_every_item_and_the_answers(
    client: TestClient, world: World
) -> None:
    _as(client, world)
    page = html.unescape(client.get(PHQ9).text)
    assert "Over the last 2 weeks, how often have you been bothered" in page
    assert "Thoughts that you would be better off dead" in page
    for label in ("Not at all", "Several days", "More than half the days", "Nearly every day"):
        assert page.count(f"<span>{label}</span>") == 9
    assert 'name="date" type="date" value="2026-06-15"' in page
    assert 'max="2026-06-15"' in page
    assert "No permission required to reproduce" in page
    assert "licensed wording" not in page


def test_hit6_without_a_licence_shows_labels_the_notice_and_the_answers(
    client: TestClient, world: World
) -> None:
    _as(client, world)
    page = html.unescape(client.get("/questionnaires/HIT-6").text)
    assert "Your practice has not supplied the licensed wording of HIT-6" in page
    assert "HIT-6 is a proprietary instrument of QualityMetric" in page
    assert "Social functioning" in page
    for label in ("Never", "Rarely", "Sometimes", "Very often", "Always"):
        assert page.count(f"<span>{label}</span>") == 6


def test_midas_asks_for_numbers_of_days(client: TestClient, world: World) -> None:
    _as(client, world)
    page = client.get("/questionnaires/MIDAS").text
    assert page.count('type="number"') == 6  # items 1–5 and A
    assert 'name="answers.B" value="10"' in page  # pain 0–10 as chips
    assert "licence terms were not found" in page


def test_a_phq9_is_stored_scored_and_listed_with_thanks(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as(client, world)
    data = _answers([1, 1, 2, 1, 0, 1, 1, 0, 0]) | {"date": "2026-06-03"}
    response = post_form(client, PHQ9, data, page=PHQ9)
    assert response.status_code == 303
    assert response.headers["location"] == "/questionnaires"
    assert _stored(uow_factory, world) == [
        (Instrument.PHQ9, {"1": 1, "2": 1, "3": 2, "4": 1, "5": 0, "6": 1, "7": 1, "8": 0, "9": 0})
    ]
    page = html.unescape(client.get("/questionnaires").text)
    assert "Thank you. PHQ-9 (mood): 7 — mild." in page
    assert "PHQ-9 (mood): 7 — mild, answered 3 June" in page
    assert "emergency" not in page
    assert "Thank you" not in client.get("/questionnaires").text  # said once


def test_item_9_above_0_alerts_staff_and_tells_the_patient_where_to_get_help(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as(client, world)
    data = _answers([0, 0, 0, 0, 0, 0, 0, 0, 1]) | {"date": "2026-06-15"}
    assert post_form(client, PHQ9, data, page=PHQ9).status_code == 303
    page = client.get("/questionnaires").text
    assert "call your local emergency" in page
    assert 'role="alert"' in page
    pid = world.patients["p1"]
    with uow_factory() as uow:
        alerts = questionnaires.open_alerts(uow, world.actor("practitioner_a"), pid, NOW)
    assert [(a.instrument, a.date) for a in alerts] == [(Instrument.PHQ9, NOW.date())]
    client.cookies.clear()
    _as(client, world, "practitioner_a")
    staff = html.unescape(client.get(f"/patients/{pid}/questionnaires").text)
    assert "Open alert" in staff
    assert "PHQ-9 item 9 &gt; 0" in client.get(f"/patients/{pid}/questionnaires").text
    assert "thoughts of self-harm" in staff


def test_gad7_missing_item_3_is_marked_beside_it_and_nothing_is_stored(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as(client, world)
    data = _answers([2, 1, 0, 1, 0, 3, 1])
    del data["answers.3"]
    response = post_form(client, GAD7, data | {"date": "2026-06-15"}, page=GAD7)
    assert response.status_code == 422
    assert error_beside(response.text, "answers.3") == "Please choose an answer to this question."
    assert "Please answer the 1 question marked below." in response.text
    assert _checked(response.text, "answers.1") == "2"
    assert _checked(response.text, "answers.6") == "3"
    assert 'id="answers-1-error"' not in response.text
    assert _stored(uow_factory, world) == []


def test_nothing_answered_marks_every_question(client: TestClient, world: World) -> None:
    _as(client, world)
    response = post_form(client, PHQ9, {"date": ""}, page=PHQ9)
    assert response.status_code == 422
    for item in range(1, 10):
        error_beside(response.text, f"answers.{item}")
    assert error_beside(response.text, "date").startswith("Please give the date")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2026-06-16"}, "date", "The date cannot be after today."),
        ({"date": "yesterday"}, "date", "Must be a date (year-month-day)."),
        ({"answers.4": "7"}, "answers.4", "Must be from 0 to 3."),
        ({"answers.4": "abc"}, "answers.4", "Must be a whole number."),
    ],
)
def test_a_bad_date_or_answer_is_refused_beside_it(
    client: TestClient,
    world: World,
    uow_factory: SqlUnitOfWorkFactory,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    _as(client, world)
    data = _answers([1] * 9) | {"date": "2026-06-15"} | change
    response = post_form(client, PHQ9, data, page=PHQ9)
    assert response.status_code == 422
    assert error_beside(response.text, field) == message
    assert _stored(uow_factory, world) == []
    assert _checked(response.text, "answers.9") == "1"


def test_hit6_and_midas_can_be_answered_from_their_labels(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _as(client, world)
    hit6 = {f"answers.{i}": "8" for i in range(1, 7)} | {"date": "2026-06-15"}
    assert post_form(client, "/questionnaires/HIT-6", hit6, page=PHQ9).status_code == 303
    midas = {f"answers.{i}": "2" for i in range(1, 6)} | {"date": "2026-06-15"}
    assert post_form(client, "/questionnaires/MIDAS", midas, page=PHQ9).status_code == 303
    page = html.unescape(client.get("/questionnaires").text)
    assert "HIT-6 (headache impact): 48 — little or no impact, answered 15 June" in page
    assert "10 — II (mild disability)" in page
    too_many = midas | {"answers.2": "93"}
    refused = post_form(client, "/questionnaires/MIDAS", too_many, page=PHQ9)
    assert error_beside(refused.text, "answers.2") == "Must be from 0 to 92."
    assert len(_stored(uow_factory, world)) == 2


@pytest.mark.parametrize("name", ["PHQ-2", "SF-36", "phq-9x"])
def test_an_unknown_or_unoffered_questionnaire_is_not_found(
    client: TestClient, world: World, name: str
) -> None:
    _as(client, world)
    assert client.get(f"/questionnaires/{name}").status_code == 404


def test_staff_read_the_responses_in_a_table(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = world.patients["p1"]
    with uow_factory() as uow:
        answers = {str(i): 2 for i in range(1, 10)} | {"9": 0}
        questionnaires.record_response(
            uow, world.actor("p1"), pid, "PHQ-9", answers, NOW.date(), NOW
        )
    _as(client, world, "practitioner_a")
    assert client.get("/questionnaires").headers["location"] == "/patients"
    page = html.unescape(client.get(f"/patients/{pid}/questionnaires").text)
    assert "PHQ-9 (mood)" in page
    assert "n = 1" in page
    assert re.search(r'<td class="num">16</td>\s*<td>moderately severe', page)
    assert "PHQ-2 4 (positive screen, cut-off ≥3)" in page
    assert "Open alert" not in page
    client.cookies.clear()
    _as(client, world, "practitioner_b")
    assert client.get(f"/patients/{pid}/questionnaires").status_code == 404


@pytest.fixture
def licensed_client(uow_factory: SqlUnitOfWorkFactory, tmp_path: Path) -> Iterator[TestClient]:
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps({"HIT-6": {"stem": "Our licensed stem", "1": "Licensed item one"}}))
    settings = Settings(
        environment=Environment.TEST,
        data_dir=tmp_path,
        secret_key=SecretStr("s" * 40),
        questionnaire_texts_file=texts,
    )
    app = create_app(settings, uow_factory=uow_factory, clock=lambda: NOW)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def test_a_clinics_licensed_wording_is_shown(licensed_client: TestClient, world: World) -> None:
    _as(licensed_client, world)
    page = licensed_client.get("/questionnaires/HIT-6").text
    assert "Our licensed stem" in page
    assert "Licensed item one" in page
    assert "Social functioning" in page  # item 2 still has only its label
