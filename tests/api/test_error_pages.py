"""Every error on a page route is a styled page; only /api answers in JSON."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.services.ports import UnitOfWork
from acurelief.web import create_app
from tests.api.forms import login
from tests.conftest import NOW, PASSWORD, World


def _is_page(text: str) -> bool:
    return text.lstrip().startswith("<!doctype html>") and '<header class="top">' in text


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page", 404, "Page not found"),
        ("/patients/not-a-number", 404, "Page not found"),
        ("/patients/999999", 404, "Not found"),
    ],
)
def test_page_errors_are_pages(
    client: TestClient, world: World, path: str, status: int, heading: str
) -> None:
    login(client, world.personas["practitioner_a"].email, PASSWORD)
    response = client.get(path)
    assert response.status_code == status
    assert _is_page(response.text)
    assert f"<h1>{heading}</h1>" in response.text


def test_a_wrong_method_on_a_page_is_a_page(client: TestClient) -> None:
    response = client.delete("/login")
    assert response.status_code == 405
    assert _is_page(response.text)


def test_the_api_still_answers_json(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def _broken(*, read_only: bool = False) -> UnitOfWork:
    raise RuntimeError("database exploded with patient Jane Doe born 1970-01-01")


def test_an_unexpected_failure_is_a_page_and_logs_no_details(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("s" * 40)
    )
    app = create_app(settings, uow_factory=_broken, clock=lambda: NOW)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.INFO):
        page = client.get("/", follow_redirects=False)
        client.cookies.set("acurelief_session", "x")
        api = client.get("/health")
    assert page.status_code == 303  # no session: the front door needs no database
    assert api.status_code == 500
    assert api.json()["title"] == "Server error"
    assert "Jane Doe" not in caplog.text


def test_an_unexpected_failure_on_a_page_is_a_styled_page(tmp_path: Path) -> None:
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("s" * 40)
    )
    app = create_app(settings, uow_factory=_broken, clock=lambda: NOW)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        response = client.get("/patients", headers={"Authorization": "Bearer acr_x"})
    assert response.status_code == 500
    assert _is_page(response.text)
    assert "nothing was changed" in response.text
    assert "Jane Doe" not in response.text
