"""An app whose clock a test moves by hand, for timeouts and back-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from tests.conftest import NOW


@dataclass
class Clock:
    now: dt.datetime = field(default=NOW)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_client(
    uow_factory: SqlUnitOfWorkFactory, tmp_path: Path, clock: Clock
) -> Iterator[TestClient]:
    """A client of an app with the default login policy and the test's own clock."""
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("s" * 40)
    )
    app = create_app(settings, uow_factory=uow_factory, clock=clock)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def second_client(client: TestClient) -> TestClient:
    """Another browser on the same app (its own cookies)."""
    return TestClient(client.app, follow_redirects=False)
