"""The patient's diary pages over HTTP: Today, one day's form, Earlier days (both databases).

Each test posts the form as a browser does and then reads what got stored."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from acurelief.domain import Clinic, DiaryDay, HeadacheFeatures, MedicationClass, Patient, Role, Sex
from acurelief.services import accounts
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.forms import error_beside, login, post_form
from tests.conftest import PASSWORD, World

TODAY = dt.date(2026, 6, 15)  # NOW in Europe/Berlin
YESTERDAY = TODAY - dt.timedelta(days=1)
MEDICINES = [c.value for c in MedicationClass]


def as_patient(client: TestClient, world: World, who: str = "p1") -> int:
    assert login(client, world.personas[who].email, PASSWORD).status_code == 303
    return world.patients[who]


def blank_form(**fields: str) -> dict[str, Any]:
    """What the untouched form sends (every dose at 0, empty boxes), plus ``fields``."""
    form: dict[str, Any] = {f"medications.{m}": "0" for m in MEDICINES}
    form |= {"headache_hours": "", "sleep_hours": "", "notes": "", "back": "/today"}
    return form | fields


def save(client: TestClient, day: dt.date, **fields: Any) -> Any:
    return post_form(client, f"/diary/{day.isoformat()}", blank_form(**fields), page="/today")


def stored(factory: SqlUnitOfWorkFactory, patient_id: int, day: dt.date) -> DiaryDay | None:
    with factory() as uow:
        return uow.diary.get(patient_id, day)


def rows(factory: SqlUnitOfWorkFactory, patient_id: int) -> list[DiaryDay]:
    with factory() as uow:
        return list(uow.diary.between(patient_id, TODAY - dt.timedelta(days=4000), TODAY))


def put(factory: SqlUnitOfWorkFactory, day: DiaryDay) -> None:
    with factory() as uow:
        uow.diary.upsert(day)
        uow.commit()


# --- Today and the one-tap headache-free day ---------------------------------------------------


def test_a_patient_lands_on_today_which_asks_about_headache_first(
    client: TestClient, world: World
) -> None:
    response = login(client, world.personas["p1"].email, PASSWORD)
    assert response.headers["location"] == "/today"
    page = client.get("/today")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Today</h1>" in html
    assert "Monday 15 June" in html
    assert html.index("Headache today?") < html.index("How bad was it")
    assert re.search(r'<button type="submit" name="headache" value="no"[^>]*>', html)
    assert 'type="radio" name="headache" value="yes"' in html
    assert 'data-show-when="headache=yes"' in html  # the details wait for "Yes" (with JS)


def test_one_tap_on_no_headache_saves_the_day_and_says_so(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    response = save(client, TODAY, headache="no")
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    assert stored(uow_factory, pid, TODAY) == DiaryDay(patient_id=pid, date=TODAY, headache=False)
    page = client.get("/today").text
    assert "Saved: no headache on Monday 15 June." in page
    assert "Saved: no headache on" not in client.get("/today").text  # said once


def test_the_no_headache_button_wins_over_a_yes_chosen_before(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    fields = {**blank_form(), "csrf_token": _token(client), "headache": ["yes", "no"]}
    response = client.post(f"/diary/{TODAY}", data=fields, headers=_ORIGIN)
    assert response.status_code == 303
    day = stored(uow_factory, pid, TODAY)
    assert day is not None
    assert day.headache is False


def test_a_headache_day_with_pain_and_one_triptan_stores_exactly_that(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    fields = {"headache": "yes", "peak_pain": "6", "medications.triptan": "1", "back": "/diary"}
    response = save(client, YESTERDAY, **fields)
    assert response.status_code == 303
    assert response.headers["location"] == "/diary"
    expected = DiaryDay(
        patient_id=pid,
        date=YESTERDAY,
        headache=True,
        peak_pain=6,
        medications={MedicationClass.TRIPTAN: 1},
    )
    assert stored(uow_factory, pid, YESTERDAY) == expected
    assert "Saved: headache (pain 6) on Sunday 14 June." in client.get("/diary").text


def test_every_field_of_the_form_reaches_the_diary(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    fields = {
        "headache": "yes",
        "peak_pain": "8",
        "headache_hours": "5,5",
        "features.side": "unilateral",
        "features.quality": "pulsating",
        "features.aggravated_by_activity": "yes",
        "features.nausea": "no",
        "features.vomiting": "unknown",
        "features.photophobia": "yes",
        "medications.simple_analgesic": "2",
        "medications.opioid": "1",
        "menstruation": "yes",
        "mood": "3",
        "sleep_hours": "6.5",
        "stress": "7",
        "notes": "  Long day at work.  ",
    }
    assert save(client, YESTERDAY, **fields).status_code == 303
    assert stored(uow_factory, pid, YESTERDAY) == DiaryDay(
        patient_id=pid,
        date=YESTERDAY,
        headache=True,
        peak_pain=8,
        headache_hours=5.5,
        features=HeadacheFeatures(
            side="unilateral",  # type: ignore[arg-type]
            quality="pulsating",  # type: ignore[arg-type]
            aggravated_by_activity=True,
            nausea=False,
            photophobia=True,
        ),
        medications={MedicationClass.SIMPLE_ANALGESIC: 2, MedicationClass.OPIOID: 1},
        menstruation=True,
        mood=3,
        sleep_hours=6.5,
        stress=7,
        notes="Long day at work.",
    )


def test_an_unanswered_question_stays_not_recorded_never_no(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    save(client, YESTERDAY, headache="yes", peak_pain="4", **{"features.nausea": "unknown"})
    day = stored(uow_factory, pid, YESTERDAY)
    assert day is not None
    assert day.features == HeadacheFeatures()
    assert day.menstruation is None
    assert day.mood is None


def test_saving_again_replaces_the_day(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    save(client, YESTERDAY, headache="yes", peak_pain="6", **{"medications.triptan": "1"})
    save(client, YESTERDAY, headache="yes", peak_pain="3", mood="8")
    assert rows(uow_factory, pid) == [
        DiaryDay(patient_id=pid, date=YESTERDAY, headache=True, peak_pain=3, mood=8)
    ]
    save(client, YESTERDAY, headache="no")
    assert rows(uow_factory, pid) == [DiaryDay(patient_id=pid, date=YESTERDAY, headache=False)]


def test_an_earlier_day_opens_filled_in_with_what_was_recorded(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    put(
        uow_factory,
        DiaryDay(
            patient_id=pid,
            date=YESTERDAY,
            headache=True,
            peak_pain=6,
            headache_hours=2.5,
            features=HeadacheFeatures(nausea=True),
            medications={MedicationClass.TRIPTAN: 2},
            mood=4,
            notes="After the flight",
        ),
    )
    html = client.get(f"/diary/{YESTERDAY}").text
    assert "<h1>Yesterday</h1>" in html
    assert "Saved:\n      headache, pain 6." in html
    assert 'name="headache" value="yes" checked' in html
    assert 'name="peak_pain" value="6" checked' in html
    assert 'name="features.nausea" value="yes" checked' in html
    assert (
        'name="medications.triptan" type="text" inputmode="numeric" autocomplete="off" value="2"'
        in html
    )
    assert 'value="2.5"' in html
    assert 'name="mood" value="4" checked' in html
    assert "After the flight</textarea>" in html
    assert f'action="/diary/{YESTERDAY}"' in html
    assert 'name="back" value="/diary"' in html


# --- Bad input: 422, the error beside its field, what was typed kept, nothing stored -------------

BAD = [
    ({"headache": "yes", "peak_pain": "11"}, "peak_pain", "from 0 to 10"),
    ({"headache": "yes", "peak_pain": "abc"}, "peak_pain", "whole number"),
    ({"headache": "yes", "headache_hours": "25"}, "headache_hours", "0 to 24"),
    ({"headache": "yes", "medications.triptan": "-1"}, "medications.triptan", "0 to 24"),
    ({"headache": "yes", "medications.ergot": "two"}, "medications.ergot", "whole number"),
    ({"headache": "yes", "notes": "x" * 2001}, "notes", "2000 characters"),
    ({"headache": "no", "peak_pain": "6"}, "peak_pain", "without headache"),
    ({"headache": "no", "headache_hours": "3"}, "headache_hours", "without headache"),
    ({"headache": "no", "features.nausea": "yes"}, "features", "without headache"),
    ({"headache": "yes", "mood": "12"}, "mood", "from 0 to 10"),
    ({"headache": "yes", "sleep_hours": "-2"}, "sleep_hours", "0 to 24"),
    ({"headache": "yes", "features.side": "left"}, "features.side", "one of the answers"),
    ({"headache": "yes", "features.aura": "perhaps"}, "features.aura", "one of the answers"),
    ({"headache": "maybe"}, "headache", "No headache"),
    ({}, "headache", "No headache"),
]


@pytest.mark.parametrize(("fields", "field", "words"), BAD)
def test_a_bad_form_is_shown_again_with_the_error_beside_its_field_and_nothing_stored(
    client: TestClient,
    world: World,
    uow_factory: SqlUnitOfWorkFactory,
    fields: dict[str, str],
    field: str,
    words: str,
) -> None:
    pid = as_patient(client, world)
    before = DiaryDay(patient_id=pid, date=YESTERDAY, headache=False, mood=5)
    put(uow_factory, before)
    typed = {"sleep_hours": "7", "notes": "I typed this"} | fields
    response = save(client, YESTERDAY, **typed)
    assert response.status_code == 422
    html = response.text
    assert "Nothing was saved." in html
    assert words in error_beside(html, field)
    assert ("I typed this</textarea>" in html) or ("x" * 2001 + "</textarea>" in html)
    assert 'id="f-sleep_hours" name="sleep_hours" type="text" value="7"' in html or field == (
        "sleep_hours"
    )
    assert rows(uow_factory, pid) == [before]


def test_a_no_headache_day_with_pain_explains_the_choice_at_the_question(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    response = save(client, YESTERDAY, headache="no", peak_pain="6")
    assert response.status_code == 422
    assert "also described a headache" in error_beside(response.text, "headache")
    assert 'name="peak_pain" value="6" checked' in response.text
    assert 'class="headache-details" data-show-when' not in response.text  # errors stay visible
    assert rows(uow_factory, pid) == []


# --- Dates the diary refuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "words"),
    [
        ("2026-06-16", "has not happened yet"),
        ("2027-01-01", "has not happened yet"),
        ("1980-04-30", "before your date of birth"),
        ("2016-06-14", "goes back 10 years"),
    ],
)
def test_days_that_cannot_be_filled_in_are_refused_in_plain_words(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory, day: str, words: str
) -> None:
    pid = as_patient(client, world)
    page = client.get(f"/diary/{day}")
    assert page.status_code == 422
    assert words in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    posted = save(client, dt.date.fromisoformat(day), headache="no")
    assert posted.status_code == 422
    assert words in posted.text
    assert rows(uow_factory, pid) == []


def test_ten_years_back_is_still_allowed(client: TestClient, world: World) -> None:
    as_patient(client, world)
    assert client.get("/diary/2016-06-15").status_code == 200


@pytest.mark.parametrize("day", ["2026-13-45", "yesterday", "2026-6-1x"])
def test_a_malformed_date_is_the_styled_not_found_page(
    client: TestClient, world: World, day: str
) -> None:
    as_patient(client, world)
    page = client.get(f"/diary/{day}")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert page.headers["content-type"].startswith("text/html")


# --- Who may write what ---------------------------------------------------------------------------

_ORIGIN = {"Origin": "http://testserver"}


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/today").text)
    assert match is not None
    return match.group(1)


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    response = client.post(f"/diary/{TODAY}", data={"headache": "no"}, headers=_ORIGIN)
    assert response.status_code == 403
    wrong = {"headache": "no", "csrf_token": "not-the-token"}
    assert client.post(f"/diary/{TODAY}", data=wrong, headers=_ORIGIN).status_code == 403
    foreign = {"headache": "no", "csrf_token": _token(client)}
    other_site = {"Origin": "https://evil.example"}
    assert client.post(f"/diary/{TODAY}", data=foreign, headers=other_site).status_code == 403
    assert rows(uow_factory, pid) == []


def test_the_address_cannot_name_another_patient(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    own = as_patient(client, world, "p1")
    other = world.patients["p2"]
    fields = {"headache": "yes", "peak_pain": "9", "patient_id": str(other)}
    response = post_form(
        client, f"/diary/{YESTERDAY}?patient_id={other}", blank_form(**fields), page="/today"
    )
    assert response.status_code == 303
    assert rows(uow_factory, other) == []
    assert [d.peak_pain for d in rows(uow_factory, own)] == [9]
    assert client.get(f"/patients/{other}/diary/{YESTERDAY}").status_code == 404
    foreign = post_form(client, f"/patients/{other}/diary/{YESTERDAY}", {"headache": "no"})
    assert foreign.status_code in (404, 405)
    assert rows(uow_factory, other) == []


def test_staff_are_sent_to_their_worklist_and_store_nothing(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    for path in ("/today", "/diary", f"/diary/{YESTERDAY}"):
        response = client.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/patients")
    posted = post_form(client, f"/diary/{YESTERDAY}", {"headache": "no"}, page="/patients")
    assert (posted.status_code, posted.headers["location"]) == (303, "/patients")
    assert all(rows(uow_factory, pid) == [] for pid in world.patients.values())


def test_anonymous_visitors_are_sent_to_log_in(client: TestClient, world: World) -> None:
    response = client.get("/today")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/today")


# --- Period question --------------------------------------------------------------------------


def _male_patient(factory: SqlUnitOfWorkFactory, world: World) -> tuple[str, int]:
    with factory() as uow:
        clinic = uow.clinics.get(world.clinics["a"])
        assert isinstance(clinic, Clinic)
        patient = uow.patients.add(
            Patient(
                clinic_id=world.clinics["a"],
                practitioner_id=None,
                name="Patient M",
                date_of_birth=dt.date(1975, 1, 1),
                sex=Sex.MALE,
                time_zone="Europe/Berlin",
            )
        )
        assert patient.id is not None
        accounts.create_user(
            uow,
            clinic_id=world.clinics["a"],
            email="m@example.org",
            display_name="m",
            role=Role.PATIENT,
            password=PASSWORD,
            patient_id=patient.id,
        )
        uow.commit()
    return "m@example.org", patient.id


def test_the_period_question_is_not_asked_of_a_male_patient(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    email, pid = _male_patient(uow_factory, world)
    login(client, email, PASSWORD)
    html = client.get("/today").text
    assert "Period today?" not in html
    assert 'name="menstruation"' not in html
    save(client, TODAY, headache="no", menstruation="yes")
    day = stored(uow_factory, pid, TODAY)
    assert day is not None
    assert day.menstruation is None


def test_the_period_question_is_asked_of_a_female_patient(client: TestClient, world: World) -> None:
    as_patient(client, world)
    html = client.get("/today").text
    assert "Period today?" in html
    assert 'name="menstruation" value="yes"' in html


# --- Earlier days -----------------------------------------------------------------------------


def test_earlier_days_lists_30_days_newest_first_with_the_missing_ones_marked(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    put(uow_factory, DiaryDay(patient_id=pid, date=TODAY, headache=False))
    put(
        uow_factory,
        DiaryDay(
            patient_id=pid,
            date=YESTERDAY,
            headache=True,
            peak_pain=6,
            medications={MedicationClass.TRIPTAN: 1},
        ),
    )
    put(uow_factory, DiaryDay(patient_id=pid, date=TODAY - dt.timedelta(days=29), headache=True))
    put(uow_factory, DiaryDay(patient_id=pid, date=TODAY - dt.timedelta(days=30), headache=True))
    html = client.get("/diary").text
    links = re.findall(r'<a class="day-row k-(\w+)" href="([^"]+)">', html)
    assert len(links) == 30
    assert links[0] == ("none", "/today")
    assert links[1] == ("ache", f"/diary/{YESTERDAY}")
    assert links[2] == ("missing", f"/diary/{TODAY - dt.timedelta(days=2)}")
    assert links[-1] == ("ache", f"/diary/{TODAY - dt.timedelta(days=29)}")
    assert html.count("Missing — tap to fill in") == 27
    assert "Headache, pain 6" in html
    assert "1 dose of medicine" in html
    assert "No headache" in html
    assert "Saturday 13 June" in html
    assert "<b>2</b> with headache" in html
    assert "<b>27</b> missing" in html
    older = client.get(f"/diary?until={TODAY - dt.timedelta(days=30)}").text
    first = re.findall(r'<a class="day-row k-(\w+)" href="([^"]+)">', older)[0]
    assert first == ("ache", f"/diary/{TODAY - dt.timedelta(days=30)}")
    assert "Newer days" in older


def test_the_date_field_opens_another_day(client: TestClient, world: World) -> None:
    as_patient(client, world)
    response = client.get("/diary?day=2026-03-02")
    assert (response.status_code, response.headers["location"]) == (303, "/diary/2026-03-02")
    assert client.get("/diary?day=").status_code == 200
    assert client.get("/diary?until=2030-01-01").status_code == 200  # capped at today


def test_medicine_on_a_day_without_headache_stays_in_view(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = as_patient(client, world)
    day = DiaryDay(
        patient_id=pid,
        date=YESTERDAY,
        headache=False,
        medications={MedicationClass.SIMPLE_ANALGESIC: 1},
    )
    put(uow_factory, day)
    html = client.get(f"/diary/{YESTERDAY}").text
    assert '<div class="headache-details">' in html  # not hidden until "Yes"
    assert 'name="medications.simple_analgesic" type="text" inputmode="numeric"' in html
    assert (
        save(client, YESTERDAY, headache="no", **{"medications.simple_analgesic": "1"}).status_code
        == 303
    )
    assert rows(uow_factory, pid) == [day]
