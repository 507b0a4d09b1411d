"""My progress (GET /progress): the patient's own outcomes in plain words, on both databases."""

from __future__ import annotations

import datetime as dt
import html
import re

from fastapi.testclient import TestClient

from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.dashboard_data import MISSING, TODAY, course, phq9
from tests.api.forms import login
from tests.conftest import PASSWORD, World

HONEST = (
    "These numbers cannot show what caused a change: headaches often ease by themselves after "
    "a bad spell — which is often when people start treatment — and part of any improvement "
    "may come from the care and expectation around treatment, not the needles themselves."
)


def _words(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def _progress(client: TestClient, world: World, who: str = "p1") -> str:
    login(client, world.personas[who].email, PASSWORD)
    response = client.get("/progress")
    assert response.status_code == 200
    return response.text


def _outside_details(page: str) -> str:
    return _words(re.sub(r"<details.*?</details>", " ", page, flags=re.S))


def _no_jargon(page: str) -> None:
    outside = _outside_details(page)
    assert "rate ratio" not in outside.lower()
    assert re.search(r"\bCI\b", outside) is None
    assert "interval" not in outside.lower()


def test_staff_are_sent_to_their_patient_list(client: TestClient, world: World) -> None:
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    response = client.get("/progress")
    assert response.status_code == 303
    assert response.headers["location"] == "/patients"


def test_before_and_now_in_big_numbers_with_the_days_they_rest_on(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    course(uow_factory, world)
    page = _progress(client, world)
    words = _words(page)
    assert (
        "14 headache days in the 4 weeks before treatment (24 Feb – 23 Mar 2026), from 28 of "
        "28 diary days filled in" in words
    )
    assert (
        "4.1 headache days in the latest 4 weeks (19 May – 15 Jun 2026), from 27 of 28 diary "
        "days filled in" in words
    )
    assert (
        "In your first 12 weeks of treatment you had fewer headache days than in the 4 weeks "
        "before it." in words
    )
    assert words.count(HONEST) == 1
    _no_jargon(page)
    details = re.search(r"<details.*?</details>", page, re.S)
    assert details is not None
    inside = _words(details.group(0))
    assert inside.startswith("Details")
    assert "Rate ratio weeks 1–12 vs baseline 0.29 (95% CI" in inside


def test_the_chart_over_time_marks_the_sessions(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    course(uow_factory, world)
    page = _progress(client, world)
    figure = re.search(
        r'<figure class="card chart-card" id="progress-headache">.*?</figure>', page, re.S
    )
    assert figure is not None
    assert 'aria-describedby="progress-headache-caption"' in figure.group(0)
    caption = _words(figure.group(0))
    assert "Headache days in 4 weeks, for each 4 weeks from" in caption
    assert "Before treatment: 14.0; the dotted line is half of it (7.0)." in caption
    assert "Ticks along the bottom: 12 sessions, 24 Mar – 9 Jun 2026." in caption


def test_mood_and_questionnaire_trends_in_plain_words(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    phq9(uow_factory, pid, dt.date(2026, 3, 20), 2, 0)
    phq9(uow_factory, pid, dt.date(2026, 6, 12), 1, 0)
    page = _progress(client, world)
    words = _words(page)
    assert (
        "Low mood (PHQ-9): 16 (moderately severe) on 20 Mar 2026 → 8 (mild) on 12 Jun 2026, "
        "2 answers — lower is better." in words
    )
    assert "Across 12 sessions your mood after a session was on average 2.0 points higher" in words
    assert "weekly average over" in words
    assert 'id="progress-mood"' in page
    assert 'id="progress-scores"' in page
    _no_jargon(page)


def test_without_a_session_the_patient_is_asked_kindly_for_28_days(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    course(uow_factory, world, sessions=False)
    page = _progress(client, world)
    words = _outside_details(page)
    assert (
        "Keep filling in your diary: we need 28 days before your first session to compare." in words
    )
    assert "fewer headache days" not in words
    _no_jargon(page)


def test_a_short_baseline_is_said_kindly_and_not_compared(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    course(uow_factory, world, baseline_recorded=10)
    page = _progress(client, world)
    words = _outside_details(page)
    assert (
        "There are not enough diary days from the 4 weeks before your first treatment to "
        "compare with: 10 of 28 were filled in." in words
    )
    assert "4 weeks before treatment (" not in words
    _no_jargon(page)


def test_an_empty_diary_still_answers_kindly(client: TestClient, world: World) -> None:
    page = _progress(client, world, "p2")
    words = _words(page)
    assert "Keep filling in your diary" in words
    assert "No 4-week stretch of the diary has enough days filled in to count yet." in words
    _no_jargon(page)


def test_the_calendar_shows_each_day_and_links_it_to_the_diary_form(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    course(uow_factory, world)
    page = _progress(client, world)
    cell = re.search(rf'<td class="([^"]*)" data-date="{MISSING}"><a href="([^"]+)"', page)
    assert cell is not None
    assert cell.group(1).startswith("missing")
    assert cell.group(2) == f"/diary/{MISSING}"
    assert f'data-date="{TODAY}"><a href="/diary/{TODAY}"' in page
    assert "Diary: June 2026" in page
    earlier = client.get("/progress", params={"month": "2026-03"})
    assert earlier.status_code == 200
    assert "Diary: March 2026" in earlier.text
    assert client.get("/progress", params={"month": "March"}).status_code == 422
