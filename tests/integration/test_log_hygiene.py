"""No patient value reaches the logs when the database refuses or fails a statement.

Each test plants marker values (a diary note, a patient's name, a date of birth), forces one
kind of storage error, captures every logger at DEBUG (root, sqlalchemy, uvicorn, acurelief)
and also formats the exception the way uvicorn logs an unhandled one. PostgreSQL quotes the
refused row in its messages ("Failing row contains (…)", "Key (email)=(…)"), so this fails
on PostgreSQL unless the unit of work tells its errors value-free.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from acurelief.domain import Clinic, DiaryDay, Patient, Role, Sex, User
from acurelief.errors import InvalidInput
from acurelief.storage.database import make_engine
from acurelief.storage.errors import StorageError
from acurelief.storage.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory
from tests.conftest import PG_ADMIN_URL

NOTE = "zebra-note-7f3a"
NAME = "Quentin Markername"
BIRTH = dt.date(1931, 2, 3)
EMAIL = "quentin.markername@example.org"
MARKERS = (NOTE, NAME, "Markername", BIRTH.isoformat(), "1931", EMAIL)
LOGGERS = ("", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "uvicorn", "acurelief")


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger that could see the error, at DEBUG (set before any connection opens)."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _assert_clean(caplog: pytest.LogCaptureFixture, error: BaseException | None) -> None:
    if error is not None:  # what uvicorn prints for an exception that escapes the app
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=error)
        printed = "".join(traceback.format_exception(error))
        assert not [m for m in MARKERS if m in printed], printed
    assert caplog.records, "nothing was logged: the capture is not working"
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    leaked = [m for m in MARKERS if m in logged]
    assert leaked == [], logged[-3000:]


def _storage_error(
    work: Callable[[SqlUnitOfWork], object], factory: SqlUnitOfWorkFactory
) -> StorageError:
    try:
        with factory() as uow:
            work(uow)
            uow.commit()
    except StorageError as error:
        return error
    raise AssertionError("the database accepted what it should refuse")


def _clinic(factory: SqlUnitOfWorkFactory) -> int:
    with factory() as uow:
        clinic = uow.clinics.add(Clinic(name="Hygiene clinic"))
        uow.commit()
    assert clinic.id is not None
    return clinic.id


def _patient(clinic_id: int) -> Patient:
    return Patient(
        clinic_id=clinic_id,
        practitioner_id=None,
        name=NAME,
        date_of_birth=BIRTH,
        sex=Sex.FEMALE,
        time_zone="Europe/Berlin",
    )


def test_a_refused_row_is_not_logged(
    uow_factory: SqlUnitOfWorkFactory, all_logs: pytest.LogCaptureFixture
) -> None:
    """Not-null violation: PostgreSQL's message would quote the whole row (name, birth)."""
    patient = _patient(_clinic(uow_factory))
    object.__setattr__(patient, "clinic_id", None)  # slip past the domain's own checks
    error = _storage_error(lambda uow: uow.patients.add(patient), uow_factory)
    assert error.kind == "integrity"
    _assert_clean(all_logs, error)


def test_a_duplicate_unique_value_is_not_logged(
    uow_factory: SqlUnitOfWorkFactory, all_logs: pytest.LogCaptureFixture
) -> None:
    clinic_id = _clinic(uow_factory)
    user = User(clinic_id=clinic_id, email=EMAIL, display_name=NAME, role=Role.PRACTITIONER)
    with uow_factory() as uow:
        uow.users.add(user, "hash")
        uow.commit()
    error = _storage_error(lambda uow: uow.users.add(user, "hash"), uow_factory)
    assert error.kind == "integrity"
    assert "email" in str(error) or "users" in str(error)  # says where, not what
    _assert_clean(all_logs, error)


def test_an_unstorable_value_is_not_logged(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, all_logs: pytest.LogCaptureFixture
) -> None:
    """NUL in a note (refused by PostgreSQL) and a name longer than its column."""
    with uow_factory() as uow:
        pid = uow.patients.add(_patient(_clinic(uow_factory))).id
        uow.commit()
    assert pid is not None
    day = DiaryDay(patient_id=pid, date=dt.date(2026, 6, 1), headache=False, notes=NOTE)
    object.__setattr__(day, "notes", NOTE + "\x00" + NAME)  # past the domain's text rule
    long_name = _patient(_clinic_named(uow_factory))
    object.__setattr__(long_name, "name", NAME * 20)  # 380 characters for a 200 column
    errors: list[BaseException | None] = []
    works: list[Callable[[SqlUnitOfWork], object]] = [
        lambda uow: uow.diary.upsert(day),
        lambda uow: uow.patients.add(long_name),
    ]
    for work in works:
        try:
            with uow_factory() as uow:
                work(uow)
                uow.commit()
            errors.append(None)  # SQLite stores both: no error, and nothing logged either
        except StorageError as exc:
            errors.append(exc)
        except InvalidInput:  # SQLite stored the long name; reading it back refuses it
            errors.append(None)
    if engine.dialect.name == "postgresql":
        assert all(isinstance(e, StorageError) for e in errors)
    for error in errors:
        _assert_clean(all_logs, error)


def _clinic_named(factory: SqlUnitOfWorkFactory) -> int:
    with factory() as uow:
        clinic = uow.clinics.add(Clinic(name=f"Other {uuid.uuid4().hex[:6]}"))
        uow.commit()
    assert clinic.id is not None
    return clinic.id


@pytest.fixture
def schemaless(engine: Engine, tmp_path: Path) -> Iterator[SqlUnitOfWorkFactory]:
    """A database of the same kind without any table, so every statement fails."""
    if engine.dialect.name == "sqlite":
        bare = make_engine(f"sqlite:///{tmp_path / 'empty' / 'bare.db'}")
        yield SqlUnitOfWorkFactory(bare)
        bare.dispose()
        return
    name = f"acurelief_bare_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    bare = make_engine(make_url(PG_ADMIN_URL).set(database=name).render_as_string(False))
    try:
        yield SqlUnitOfWorkFactory(bare)
    finally:
        bare.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_statement_on_a_missing_table_is_not_logged(
    schemaless: SqlUnitOfWorkFactory, all_logs: pytest.LogCaptureFixture
) -> None:
    day = DiaryDay(patient_id=1, date=dt.date(2026, 6, 1), headache=False, notes=NOTE)
    error = _storage_error(lambda uow: uow.diary.upsert(day), schemaless)
    assert error.kind in ("operational", "programming")
    # Says what is wrong without values: SQLite names the table, PostgreSQL gives the code.
    assert "no such table: diary_days" in str(error) or error.code == "42P01"
    _assert_clean(all_logs, error)


def test_result_rows_are_not_logged_even_at_debug(
    uow_factory: SqlUnitOfWorkFactory, all_logs: pytest.LogCaptureFixture
) -> None:
    """SQLAlchemy logs each fetched row at DEBUG; a row is health data, so it is dropped."""
    with uow_factory() as uow:
        pid = uow.patients.add(_patient(_clinic(uow_factory))).id
        uow.commit()
    assert pid is not None
    with uow_factory() as uow:
        assert uow.patients.get(pid) is not None
    assert any("SELECT" in r.getMessage() for r in all_logs.records)  # statements were logged
    _assert_clean(all_logs, None)
