"""An app on each database with the test world's personas, each holding a bearer token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.diagnosis.intake import parse_intake
from acurelief.domain import DiaryDay
from acurelief.services import accounts, diagnosis, diary
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from tests.api.login_clock import clock, timed_client  # noqa: F401 - fixtures for login tests
from tests.conftest import NOW, World

SEEDED_DATE = dt.date(2026, 6, 1)
INTAKE = parse_intake(
    {
        "migraine_like": {
            "lifetime_attacks": 30,
            "duration_hours_min": 6,
            "duration_hours_max": 30,
            "location": "unilateral",
            "quality": "pulsating",
            "intensities": ["moderate", "severe"],
            "aggravated_by_activity": True,
            "nausea": True,
            "photophobia": True,
            "phonophobia": True,
        },
        "frequency": {
            "headache_days_per_month": 5,
            "migraine_like_days_per_month": 5,
            "months": 12,
        },
    }
)


@pytest.fixture
def app(uow_factory: SqlUnitOfWorkFactory, tmp_path: Path) -> FastAPI:
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("s" * 40)
    )
    return create_app(settings, uow_factory=uow_factory, clock=lambda: NOW)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def tokens(uow_factory: SqlUnitOfWorkFactory, world: World) -> dict[str, dict[str, str]]:
    """Authorization headers per persona name; "anonymous" sends none."""
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    with uow_factory() as uow:
        for name, persona in world.personas.items():
            token = accounts.issue_token(uow, persona.actor.user_id, "test", NOW)
            headers[name] = {"Authorization": f"Bearer {token}"}
        pid = world.patients["p1"]
        diagnosis.record_intake(uow, world.actor("practitioner_a"), pid, INTAKE, NOW)
        diary.record_day(
            uow, world.actor("p1"), DiaryDay(patient_id=pid, date=SEEDED_DATE, headache=False), NOW
        )
    return headers
