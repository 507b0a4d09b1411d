"""Shared fixtures: both databases, a fixed clock, and the personas of two clinics.

Every test that takes ``engine`` (directly or through ``uow_factory``, ``world`` or
``client``) runs twice: on SQLite and on PostgreSQL. In CI a PostgreSQL server that cannot
be reached fails the run; on a developer machine without one, those runs are skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from acurelief.domain import Clinic, Patient, Role, Sex
from acurelief.domain.access import Actor
from acurelief.services import accounts
from acurelief.storage.database import make_engine
from acurelief.storage.migrate import upgrade
from acurelief.storage.tables import Base
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
PG_ADMIN_URL = os.environ.get(
    "ACURELIEF_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

accounts.use_cheap_hashing_for_tests()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class _Databases:
    """Creates each database once per test run, migrated with Alembic; drops PostgreSQL's."""

    def __init__(self, tmp: Path) -> None:
        self._tmp = tmp
        self._engines: dict[str, Engine] = {}
        self._pg_name: str | None = None
        self._pg_error: str | None = None

    def get(self, backend: str) -> Engine:
        if backend not in self._engines:
            self._engines[backend] = self._sqlite() if backend == "sqlite" else self._postgres()
        return self._engines[backend]

    def _sqlite(self) -> Engine:
        engine = make_engine(f"sqlite:///{self._tmp / 'test.db'}")
        upgrade(engine)
        return engine

    def _postgres(self) -> Engine:
        if self._pg_error is not None:
            _no_postgres(self._pg_error)
        name = f"acurelief_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:
            self._pg_error = f"PostgreSQL at {PG_ADMIN_URL} is not usable: {exc}".splitlines()[0]
            _no_postgres(self._pg_error)
        finally:
            admin.dispose()
        self._pg_name = name
        engine = make_engine(make_url(PG_ADMIN_URL).set(database=name).render_as_string(False))
        upgrade(engine)
        return engine

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        if self._pg_name is not None:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)'))
            admin.dispose()


def _no_postgres(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI must run the PostgreSQL tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Databases]:
    dbs = _Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.close()


def empty_tables(engine: Engine) -> None:
    """Remove every row so the next test starts from an empty, migrated schema."""
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, databases: _Databases) -> Iterator[Engine]:
    eng = databases.get(request.param)
    empty_tables(eng)
    yield eng
    empty_tables(eng)


@pytest.fixture
def uow_factory(engine: Engine) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(engine)


@dataclass(frozen=True)
class Persona:
    """A login of the test world, with the actor it becomes."""

    email: str
    actor: Actor


@dataclass(frozen=True)
class World:
    """Two clinics. Clinic A: admin, practitioner, patients P1 and P2 (both with logins).
    Clinic B: admin, practitioner, patient P3 (with login)."""

    personas: dict[str, Persona]
    patients: dict[str, int]
    clinics: dict[str, int]

    def actor(self, name: str) -> Actor:
        return self.personas[name].actor


def build_world(factory: SqlUnitOfWorkFactory) -> World:
    personas: dict[str, Persona] = {}
    patients: dict[str, int] = {}
    clinics: dict[str, int] = {}
    with factory() as uow:
        for label, pats in (("a", ("p1", "p2")), ("b", ("p3",))):
            clinic = uow.clinics.add(Clinic(name=f"Clinic {label.upper()}"))
            assert clinic.id is not None
            clinics[label] = clinic.id
            staff: dict[str, int] = {}
            for role in (Role.ADMIN, Role.PRACTITIONER):
                email = f"{role.value}.{label}@example.org"
                user = accounts.create_user(
                    uow,
                    clinic_id=clinic.id,
                    email=email,
                    display_name=email,
                    role=role,
                    password=PASSWORD,
                )
                assert user.id is not None
                staff[role.value] = user.id
                personas[f"{role.value}_{label}"] = Persona(email, accounts.actor_of(user))
            for name in pats:
                patient = uow.patients.add(
                    Patient(
                        clinic_id=clinic.id,
                        practitioner_id=staff["practitioner"],
                        name=f"Patient {name.upper()}",
                        date_of_birth=dt.date(1980, 5, 1),
                        sex=Sex.FEMALE,
                        time_zone="Europe/Berlin",
                    )
                )
                assert patient.id is not None
                patients[name] = patient.id
                email = f"{name}@example.org"
                user = accounts.create_user(
                    uow,
                    clinic_id=clinic.id,
                    email=email,
                    display_name=name,
                    role=Role.PATIENT,
                    password=PASSWORD,
                    patient_id=patient.id,
                )
                personas[name] = Persona(email, accounts.actor_of(user))
        uow.commit()
    return World(personas, patients, clinics)


@pytest.fixture
def world(uow_factory: SqlUnitOfWorkFactory) -> World:
    return build_world(uow_factory)
