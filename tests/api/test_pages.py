"""The server-rendered pages and the cookie login, on both databases."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.forms import login, post_form
from tests.conftest import PASSWORD, World

Headers = dict[str, dict[str, str]]


def _login(client: TestClient, email: str, password: str, target: str = "/patients") -> int:
    return login(client, email, password, target).status_code


def test_pages_need_a_login_and_come_back_after_it(client: TestClient, world: World) -> None:
    page = f"/patients/{world.patients['p1']}"
    first = client.get(page)
    assert first.status_code == 303
    assert first.headers["location"] == f"/login?next={page}"
    assert _login(client, world.personas["practitioner_a"].email, PASSWORD, page) == 303
    assert client.get(page).status_code == 200


def test_a_wrong_password_shows_the_form_again(client: TestClient, world: World) -> None:
    response = login(client, world.personas["admin_a"].email, "wrong-password")
    assert response.status_code == 401
    assert "wrong e-mail or password" in response.text
    assert client.get("/api/v1/me").status_code == 401


def test_the_login_never_redirects_off_site(client: TestClient, world: World) -> None:
    response = login(client, world.personas["admin_a"].email, PASSWORD, "//evil.example/")
    assert response.headers["location"] == "/patients"


def test_the_session_cookie_also_opens_the_api_until_logout(
    client: TestClient, world: World
) -> None:
    _login(client, world.personas["p2"].email, PASSWORD)
    assert client.get("/api/v1/me").json()["patient_id"] == world.patients["p2"]
    assert post_form(client, "/logout", page="/progress").status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_the_patient_list_shows_the_clinics_patients_only(client: TestClient, world: World) -> None:
    _login(client, world.personas["admin_a"].email, PASSWORD)
    page = client.get("/patients").text
    assert "Patient P1" in page
    assert "Patient P2" in page
    assert "Patient P3" not in page


def test_health_and_openapi(client: TestClient) -> None:
    health = client.get("/health")
    assert health.json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert "/api/v1/patients/{patient_id}/diary/{date}" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_the_patient_page_shows_the_diagnosis_and_red_flags(
    client: TestClient, world: World, tokens: Headers
) -> None:
    pid = world.patients["p1"]
    _login(client, world.personas["practitioner_a"].email, PASSWORD)
    page = re.sub(r"\s+", " ", client.get(f"/patients/{pid}").text)
    assert "1.1 Migraine without aura" in page
    assert "Refer before treating" not in page
    client.put(
        f"/api/v1/patients/{pid}/intake",
        json={"red_flags": {"papilloedema": True}},
        headers=tokens["practitioner_a"],
    )
    flagged = client.get(f"/patients/{pid}").text
    assert "Refer before treating: Papilloedema." in flagged


def test_the_patient_page_shows_outcomes(client: TestClient, world: World) -> None:
    _login(client, world.personas["practitioner_a"].email, PASSWORD)
    page = re.sub(r"\s+", " ", client.get(f"/patients/{world.patients['p2']}").text)
    assert 'id="verdict">No treatment session yet' in page  # tests/api/test_dashboard_pages.py
