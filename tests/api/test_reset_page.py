"""The one-time link's page says what the link is for: a patient's first password is a
welcome to their diary; a login that already has a password (an administrator's reset link,
or a patient's new link after a lost password) is asked for a new password, with no diary
wording."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from acurelief.domain import Patient, Sex
from acurelief.services import invitations
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.forms import error_beside, login, post_form
from tests.conftest import NOW, PASSWORD, World

NEW_PASSWORD = "a brand new passphrase"
HEADING = re.compile(r"<h1>(.*?)</h1>", re.S)


def _heading(html: str) -> str:
    found = HEADING.search(html)
    assert found is not None, "no heading on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def _assert_new_password_page(html: str, email: str) -> None:
    assert _heading(html) == f"Set a new password for {email}"
    assert "<title>Set a new password · acurelief</title>" in html
    assert "Set my new password" in html
    assert "Welcome" not in html
    assert "diary" not in html


def test_a_reset_link_asks_staff_for_a_new_password_without_diary_wording(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    email = world.personas["practitioner_a"].email
    with uow_factory() as uow:
        link = invitations.issue_reset_link(uow, email, NOW)

    page = client.get(f"/welcome/{link.token}")

    assert page.status_code == 200
    _assert_new_password_page(page.text, email)


def test_a_refused_new_password_keeps_the_reset_wording_and_names_the_field(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    email = world.personas["admin_a"].email
    with uow_factory() as uow:
        link = invitations.issue_reset_link(uow, email, NOW)
    url = f"/welcome/{link.token}"

    refused = post_form(
        client, url, {"password": "password1234", "repeat": "password1234"}, page=url
    )

    assert refused.status_code == 422
    _assert_new_password_page(refused.text, email)
    assert "most commonly used passwords" in error_beside(refused.text, "password")
    done = post_form(client, url, {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD}, page=url)
    assert done.status_code == 303
    client.cookies.clear()
    assert login(client, email, PASSWORD).status_code == 401
    assert login(client, email, NEW_PASSWORD).status_code == 303


def test_a_patient_who_had_a_password_gets_the_new_password_page(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    with uow_factory() as uow:
        made = invitations.invite_patient(
            uow, world.actor("practitioner_a"), world.patients["p1"], None, NOW
        )

    page = client.get(f"/welcome/{made.token}")

    assert page.status_code == 200
    _assert_new_password_page(page.text, world.personas["p1"].email)


def test_a_new_patients_first_link_is_a_welcome_to_the_diary(
    client: TestClient, world: World, uow_factory: SqlUnitOfWorkFactory
) -> None:
    with uow_factory() as uow:
        patient = uow.patients.add(
            Patient(
                clinic_id=world.clinics["a"],
                practitioner_id=world.actor("practitioner_a").user_id,
                name="Ruth Example",
                date_of_birth=dt.date(1980, 4, 9),
                sex=Sex.FEMALE,
                time_zone="Europe/Berlin",
            )
        )
        made = invitations.issue_invitation(
            uow, world.actor("practitioner_a"), patient, "ruth@example.org", NOW
        )
        uow.commit()

    page = client.get(f"/welcome/{made.token}")

    assert page.status_code == 200
    assert _heading(page.text) == "Welcome to acurelief"
    assert "start your headache diary" in page.text
    assert "Set my password and start" in page.text
    assert "Set a new password" not in page.text
