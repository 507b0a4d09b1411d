"""Adding a patient, giving them a login by one-time link, and the public welcome page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from acurelief.services import invitations
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.forms import error_beside, login, post_form
from tests.conftest import NOW, PASSWORD, World

NEW = "/patients/new"
GOOD = {
    "name": "Ruth Example",
    "date_of_birth": "1980-04-09",
    "sex": "female",
    "time_zone": "Europe/Berlin",
}
LINK = re.compile(r">(http://testserver/welcome/([A-Za-z0-9_-]+))</textarea>")
NEW_PASSWORD = "a long new passphrase"


def _staff(client: TestClient, world: World, who: str = "practitioner_a") -> None:
    assert login(client, world.personas[who].email, PASSWORD).status_code == 303


def _names(uow_factory: SqlUnitOfWorkFactory, world: World) -> list[str]:
    with uow_factory() as uow:
        return [p.name for p in uow.patients.list_for_clinic(world.clinics["a"])]


def _login_of(uow_factory: SqlUnitOfWorkFactory, patient_id: int) -> str | None:
    with uow_factory() as uow:
        user = uow.users.for_patient(patient_id)
    return user.email if user is not None else None


def _patient_id(uow_factory: SqlUnitOfWorkFactory, world: World, name: str) -> int:
    with uow_factory() as uow:
        found = [p for p in uow.patients.list_for_clinic(world.clinics["a"]) if p.name == name]
    assert len(found) == 1
    assert found[0].id is not None
    return found[0].id


def _token(page: str) -> tuple[str, str]:
    match = LINK.search(page)
    assert match is not None, "no link on the page"
    return match.group(1), match.group(2)


# --- Add a patient -------------------------------------------------------------------------


def test_the_form_offers_the_clinics_staff_with_the_user_chosen(
    client: TestClient, world: World
) -> None:
    _staff(client, world)
    page = client.get(NEW)
    assert page.status_code == 200
    me = world.actor("practitioner_a").user_id
    assert re.search(rf'<option value="{me}" selected>[^<]+— you</option>', page.text)
    assert 'value="Europe/Berlin" selected' in page.text  # where most of clinic A lives
    assert "Patient P3" not in page.text
    assert "admin_b" not in page.text


def test_a_patient_cannot_add_patients(client: TestClient, world: World) -> None:
    assert login(client, world.personas["p1"].email, PASSWORD).status_code == 303
    assert client.get(NEW).status_code == 403
    assert post_form(client, NEW, GOOD, page="/today").status_code == 403


def test_a_patient_added_without_email_has_no_login(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _staff(client, world)
    response = post_form(client, NEW, GOOD, page=NEW)
    assert response.status_code == 303
    pid = _patient_id(uow_factory, world, "Ruth Example")
    assert response.headers["location"] == f"/patients/{pid}/invite"
    assert _login_of(uow_factory, pid) is None
    with uow_factory() as uow:
        stored = uow.patients.get(pid)
    assert stored is not None
    assert stored.time_zone == "Europe/Berlin"
    assert stored.practitioner_id is None  # none was posted; the form preselects one
    invite = client.get(response.headers["location"])
    assert "Ruth Example was added." in invite.text
    assert "has no login yet" in invite.text
    assert "was added" not in client.get(response.headers["location"]).text  # shown once


def test_a_patient_added_with_email_gets_a_login_and_a_link_shown_once(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _staff(client, world)
    me = world.actor("practitioner_a").user_id
    data = GOOD | {"email": " Ruth@Example.org ", "practitioner_id": str(me)}
    posted = post_form(client, NEW, data, page=NEW)
    assert posted.status_code == 303  # post, redirect, get: a reload cannot add Ruth twice
    response = client.get(posted.headers["location"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    link, token = _token(response.text)
    assert link == f"http://testserver/welcome/{token}"
    assert "No e-mail was sent." in response.text
    assert "in 7 days: Monday 22 June 2026 at 14:00 (Europe/Berlin time)" in response.text
    assert "shows the link only this once" in response.text
    pid = _patient_id(uow_factory, world, "Ruth Example")
    assert _login_of(uow_factory, pid) == "ruth@example.org"
    with uow_factory() as uow:
        assert invitations.invitation_status(uow, token, NOW).email == "ruth@example.org"
        patient = uow.patients.get(pid)
    assert patient is not None
    assert patient.practitioner_id == me
    assert token not in client.get(f"/patients/{pid}/invite").text
    again = client.get(posted.headers["location"])  # the reload: the link is not shown twice
    assert again.status_code == 303
    assert again.headers["location"] == f"/patients/{pid}/invite"
    assert _patient_id(uow_factory, world, "Ruth Example") == pid  # still exactly one Ruth


def test_another_time_zone_typed_in_wins_over_the_list(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _staff(client, world)
    data = GOOD | {"time_zone_other": "Asia/Kathmandu"}
    assert post_form(client, NEW, data, page=NEW).status_code == 303
    with uow_factory() as uow:
        pid = _patient_id(uow_factory, world, "Ruth Example")
        patient = uow.patients.get(pid)
    assert patient is not None
    assert patient.time_zone == "Asia/Kathmandu"


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"date_of_birth": "2026-06-16"}, "date_of_birth", "Must not be in the future."),
    ({"date_of_birth": "1899-12-31"}, "date_of_birth", "Must be on or after 1900-01-01."),
    ({"date_of_birth": "9 April 1980"}, "date_of_birth", "Must be a date (year-month-day)."),
    ({"date_of_birth": ""}, "date_of_birth", "Is required."),
    ({"name": "   "}, "name", "Is required."),
    ({"name": "x" * 201}, "name", "Must be at most 200 characters."),
    ({"sex": ""}, "sex", "Please choose one."),
    ({"sex": "robot"}, "sex", "Please choose one."),
    ({"time_zone": "Mars/Olympus"}, "time_zone", "Must be an IANA time zone such as"),
    ({"time_zone_other": "Europe/Atlantis"}, "time_zone_other", "Must be an IANA time zone"),
    ({"practitioner_id": "abc"}, "practitioner_id", "Must be a whole number."),
    ({"practitioner_id": "999999"}, "practitioner_id", "Must be a practitioner or admin"),
    ({"email": "ruth@"}, "email", "Must be an e-mail address"),
    ({"email": "p1@a.example"}, "email", "Is already the login of someone else"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_a_bad_field_is_shown_beside_it_and_nothing_is_stored(
    client: TestClient,
    world: World,
    uow_factory: SqlUnitOfWorkFactory,
    change: dict[str, Any],
    field: str,
    message: str,
) -> None:
    _staff(client, world)
    before = _names(uow_factory, world)
    if change.get("email") == "p1@a.example":
        change = {"email": world.personas["p1"].email.upper()}
    response = post_form(client, NEW, GOOD | change, page=NEW)
    assert response.status_code == 422
    assert error_beside(response.text, field).startswith(message)
    assert "Nothing was saved." in response.text
    assert _names(uow_factory, world) == before
    if field != "name":
        assert 'value="Ruth Example"' in response.text  # what was typed is kept


def test_a_bad_email_stores_no_patient_even_when_the_record_is_fine(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _staff(client, world)
    response = post_form(client, NEW, GOOD | {"email": "not an address"}, page=NEW)
    assert response.status_code == 422
    assert "Ruth Example" not in _names(uow_factory, world)
    assert 'value="not an address"' in response.text


def test_every_problem_shows_at_once(client: TestClient, world: World) -> None:
    _staff(client, world)
    data = {"name": "", "date_of_birth": "", "sex": "", "email": "nope"}
    page = post_form(client, NEW, data, page=NEW).text
    for field in ("name", "date_of_birth", "sex", "email"):
        error_beside(page, field)


# --- Give them a login ---------------------------------------------------------------------


def test_the_invite_form_is_prefilled_with_the_login(client: TestClient, world: World) -> None:
    _staff(client, world)
    page = client.get(f"/patients/{world.patients['p1']}/invite")
    assert page.status_code == 200
    assert f'value="{world.personas["p1"].email}"' in page.text
    assert "has a login" in page.text


def test_a_patient_without_login_needs_an_email_for_a_link(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    _staff(client, world)
    post_form(client, NEW, GOOD, page=NEW)
    url = f"/patients/{_patient_id(uow_factory, world, 'Ruth Example')}/invite"
    response = post_form(client, url, {"email": ""}, page=url)
    assert response.status_code == 422
    assert error_beside(response.text, "email").startswith("Is required")
    bad = post_form(client, url, {"email": "ruth at example"}, page=url)
    assert error_beside(bad.text, "email").startswith("Must be an e-mail address")
    assert 'value="ruth at example"' in bad.text
    taken = post_form(client, url, {"email": world.personas["p2"].email}, page=url)
    assert taken.status_code == 422
    assert "already exists" in error_beside(taken.text, "email")


def test_a_new_link_makes_the_old_one_stop_working(client: TestClient, world: World) -> None:
    _staff(client, world)
    url = f"/patients/{world.patients['p1']}/invite"
    first = _shown(client, post_form(client, url, {"email": ""}, page=url))
    assert first.headers["cache-control"] == "no-store"
    _, old = _token(first.text)
    _, new = _token(_shown(client, post_form(client, url, {"email": ""}, page=url)).text)
    assert old != new
    client.cookies.clear()
    assert client.get(f"/welcome/{old}").status_code == 410
    assert client.get(f"/welcome/{new}").status_code == 200


def test_staff_of_another_clinic_cannot_invite(client: TestClient, world: World) -> None:
    _staff(client, world, "practitioner_b")
    url = f"/patients/{world.patients['p1']}/invite"
    assert client.get(url).status_code == 404
    assert post_form(client, url, {"email": "x@example.org"}, page="/patients").status_code == 404


# --- Welcome: the patient sets a password ----------------------------------------------------


def _shown(client: TestClient, posted: httpx.Response) -> httpx.Response:
    """The page a successful POST redirects to, which shows the new link once."""
    assert posted.status_code == 303
    assert posted.headers["location"].endswith("/invite/link")
    shown = client.get(posted.headers["location"])
    assert shown.status_code == 200
    return shown


def _link_for_new_patient(client: TestClient, world: World) -> str:
    _staff(client, world)
    response = _shown(
        client, post_form(client, NEW, GOOD | {"email": "ruth@example.org"}, page=NEW)
    )
    _, token = _token(response.text)
    client.cookies.clear()  # the patient's own browser
    return token


def test_login_is_impossible_before_the_link_is_used(client: TestClient, world: World) -> None:
    _link_for_new_patient(client, world)
    assert login(client, "ruth@example.org", "anything at all").status_code == 401
    assert login(client, "ruth@example.org", NEW_PASSWORD).status_code == 401


def test_the_welcome_page_shows_the_email_and_sends_no_path_as_referrer(
    client: TestClient, world: World
) -> None:
    token = _link_for_new_patient(client, world)
    page = client.get(f"/welcome/{token}")
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "strict-origin"  # origin only; see welcome.py
    assert page.headers["cache-control"] == "no-store"
    assert 'value="ruth@example.org"' in page.text
    assert "At least 12 characters" in page.text
    assert 'name="csrf_token"' in page.text


def test_the_link_sets_the_password_once_and_logs_the_patient_in(
    client: TestClient, world: World
) -> None:
    token = _link_for_new_patient(client, world)
    url = f"/welcome/{token}"
    done = post_form(client, url, {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD}, page=url)
    assert done.status_code == 303
    assert done.headers["location"] == "/today"
    assert done.headers["referrer-policy"] == "no-referrer"
    me = client.get("/api/v1/me").json()
    assert me["role"] == "patient"
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.text
    assert "ruth@example.org" not in again.text
    client.cookies.clear()
    assert login(client, "ruth@example.org", NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("password", "repeat", "field", "message"),
    [
        ("a long new passphrase", "a long new passphrasE", "repeat", "The two passwords are not"),
        ("short", "short", "password", "Your password must be at least 12 characters"),
        ("", "", "password", "Please choose a password."),
    ],
)
def test_a_refused_password_keeps_the_link_usable(
    client: TestClient, world: World, password: str, repeat: str, field: str, message: str
) -> None:
    token = _link_for_new_patient(client, world)
    url = f"/welcome/{token}"
    response = post_form(client, url, {"password": password, "repeat": repeat}, page=url)
    assert response.status_code == 422
    assert error_beside(response.text, field).startswith(message)
    assert password not in re.findall(r'value="([^"]*)"', response.text) or not password
    assert response.headers["referrer-policy"] == "strict-origin"
    assert client.get(url).status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_the_welcome_form_needs_its_csrf_token(client: TestClient, world: World) -> None:
    token = _link_for_new_patient(client, world)
    client.get(f"/welcome/{token}")
    data = {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    refused = client.post(f"/welcome/{token}", data=data, headers={"Origin": "http://testserver"})
    assert refused.status_code == 403
    assert client.get(f"/welcome/{token}").status_code == 200


def test_an_expired_link_gets_a_plain_page(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    with uow_factory() as uow:
        made = invitations.invite_patient(
            uow, world.actor("admin_a"), world.patients["p2"], None, NOW - dt.timedelta(days=8)
        )
    page = client.get(f"/welcome/{made.token}")
    assert page.status_code == 410
    assert "This link has expired" in page.text
    assert world.personas["p2"].email not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    data = {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    posted = post_form(client, f"/welcome/{made.token}", data)
    assert posted.status_code == 410
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500])
def test_an_unknown_link_is_not_found(client: TestClient, token: str) -> None:
    page = client.get(f"/welcome/{token}")
    assert page.status_code == 404
    assert "This link does not work" in page.text
