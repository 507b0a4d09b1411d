"""CSRF: every cookie-authenticated request that changes state must prove it came from us."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import SEEDED_DATE
from tests.api.forms import csrf_token, login, post_form
from tests.conftest import PASSWORD, World

Headers = dict[str, dict[str, str]]
OWN = {"Origin": "http://testserver"}


def test_a_login_without_the_token_is_refused_and_logs_nobody_in(
    client: TestClient, world: World
) -> None:
    email = world.personas["practitioner_a"].email
    response = client.post("/login", data={"email": email, "password": PASSWORD}, headers=OWN)
    assert response.status_code == 403
    assert "reload the page" in response.text
    assert "<html" in response.text  # a page, not JSON
    assert client.get("/api/v1/me").status_code == 401


def test_a_login_from_another_site_is_refused_even_with_the_token(
    client: TestClient, world: World
) -> None:
    fields = {
        "email": world.personas["practitioner_a"].email,
        "password": PASSWORD,
        "csrf_token": csrf_token(client),
    }
    refused = client.post("/login", data=fields, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    referer = {"Referer": "https://evil.example/page"}
    assert client.post("/login", data=fields, headers=referer).status_code == 403
    assert client.post("/login", data=fields, headers=OWN).status_code == 303


def test_a_wrong_token_is_refused(client: TestClient, world: World) -> None:
    fields = {"email": world.personas["p1"].email, "password": PASSWORD, "csrf_token": "x" * 43}
    csrf_token(client)
    assert client.post("/login", data=fields, headers=OWN).status_code == 403


def test_logout_needs_the_token(client: TestClient, world: World) -> None:
    login(client, world.personas["p1"].email, PASSWORD)
    assert client.post("/logout", headers=OWN).status_code == 403
    assert client.get("/api/v1/me").status_code == 200
    assert post_form(client, "/logout", page="/progress").status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_the_api_with_the_cookie_needs_the_header_but_not_with_a_bearer_token(
    client: TestClient, world: World, tokens: Headers
) -> None:
    url = f"/api/v1/patients/{world.patients['p1']}/diary/{SEEDED_DATE}"
    body = {"headache": True, "peak_pain": 3}
    login(client, world.personas["p1"].email, PASSWORD)
    token = csrf_token(client, "/progress")
    refused = client.put(url, json=body, headers=OWN)
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    assert client.get(url).json()["headache"] is False  # nothing was stored
    assert client.put(url, json=body, headers={**OWN, "X-CSRF-Token": token}).status_code == 200
    client.cookies.clear()
    assert client.put(url, json=body, headers=tokens["p1"]).status_code == 200
