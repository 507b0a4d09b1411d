"""Concurrent work through the API: long imports never make other requests fail.

Three ten-year diary imports run at once while another client keeps asking ``GET /me``.
On SQLite the imports queue for the one write lock; checking a token only reads, so it never
waits for them. Every request must succeed and every acknowledged day must be stored.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, func, select

from acurelief.config import Environment, Settings
from acurelief.domain import Clinic
from acurelief.domain.access import Action
from acurelief.domain.audit import Outcome
from acurelief.services import accounts
from acurelief.services.access import reach_patient
from acurelief.storage.audit import verify_chain
from acurelief.storage.errors import StorageError
from acurelief.storage.tables import DiaryDayRow
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from tests.conftest import NOW, World

IMPORT_DAYS = 3660
IMPORTERS = ("p1", "p2", "p3")


def _ten_years(patient: str) -> dict[str, object]:
    last = NOW.date() - dt.timedelta(days=1)
    days = []
    for back in range(IMPORT_DAYS):
        ache = back % 3 == 0
        days.append(
            {
                "date": (last - dt.timedelta(days=back)).isoformat(),
                "headache": ache,
                "peak_pain": 6 if ache else None,
                "mood": back % 11,
                "notes": f"{patient} day {back}",
            }
        )
    return {"days": days}


def _token(factory: SqlUnitOfWorkFactory, user_id: int) -> dict[str, str]:
    with factory() as uow:
        token = accounts.issue_token(uow, user_id, "concurrency", NOW)
        uow.commit()
    return {"Authorization": f"Bearer {token}"}


def test_three_long_imports_and_token_checks_all_succeed(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, world: World, tmp_path: Path
) -> None:
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("s" * 40)
    )
    app = create_app(settings, uow_factory=uow_factory, clock=lambda: NOW)
    headers = {name: _token(uow_factory, world.actor(name).user_id) for name in IMPORTERS}
    bodies = {name: _ten_years(name) for name in IMPORTERS}
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    imports_done = threading.Event()
    start = threading.Barrier(len(IMPORTERS) + 1)

    def note(kind: str, status: int, body: str) -> None:
        with lock:
            statuses[f"{kind} {status}"] += 1
            if status != 200:
                failures.append(f"{kind}: {status} {body[:200]}")

    with TestClient(app) as client:

        def import_diary(name: str) -> None:
            start.wait()
            pid = world.patients[name]
            answer = client.post(
                f"/api/v1/patients/{pid}/diary/batch", json=bodies[name], headers=headers[name]
            )
            note("import", answer.status_code, answer.text)

        def ask_me() -> None:
            start.wait()
            asked = 0
            while not imports_done.is_set() or asked < 5:
                answer = client.get("/api/v1/me", headers=headers["p1"])
                note("me", answer.status_code, answer.text)
                asked += 1

        importers = [threading.Thread(target=import_diary, args=(n,)) for n in IMPORTERS]
        reader = threading.Thread(target=ask_me)
        for thread in [*importers, reader]:
            thread.start()
        for thread in importers:
            thread.join()
        imports_done.set()
        reader.join()

    assert failures == []
    assert statuses["import 200"] == len(IMPORTERS)
    assert statuses["me 200"] >= 5
    with engine.connect() as conn:
        for name in IMPORTERS:
            stored = conn.scalar(
                select(func.count())
                .select_from(DiaryDayRow)
                .where(DiaryDayRow.patient_id == world.patients[name])
            )
            assert stored == IMPORT_DAYS, name


def test_a_read_only_unit_of_work_cannot_write(uow_factory: SqlUnitOfWorkFactory) -> None:
    """The promise is kept by the database, not by convention (SQLite and PostgreSQL)."""
    with pytest.raises(StorageError), uow_factory(read_only=True) as uow:
        uow.clinics.add(Clinic(name="Written while reading"))
    with uow_factory(read_only=True) as uow:
        assert uow.clinics.by_name("Written while reading") is None


def test_a_read_only_unit_of_work_reads_while_a_writer_holds_the_lock(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    """A reader is answered while a write transaction is open (SQLite: no write lock)."""
    with uow_factory() as writer:
        writer.clinics.count()  # the writer's transaction has begun (SQLite: write lock held)
        with uow_factory(read_only=True) as reader:
            assert reader.users.get(world.actor("p1").user_id) is not None


def test_an_audited_read_reads_while_a_writer_holds_the_lock(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    """A patient read runs beside an open write; only its audit entry waits for the writer.

    On SQLite a read that took the write lock would wait here for a writer that cannot
    finish until it returns (the same thread), and fail after the busy timeout.
    """
    reader_actor = world.actor("practitioner_a")
    patient_id = world.patients["p1"]
    with uow_factory(read_only=True) as reader:
        with uow_factory() as writer:
            writer.clinics.add(Clinic(name="Written meanwhile"))  # the write lock is held
            patient = reach_patient(reader, reader_actor, patient_id, Action.READ, NOW)
            assert patient.id == patient_id
            writer.commit()
        reader.commit()  # the entry is chained after the read, in its own transaction
    with uow_factory(read_only=True) as check:
        reads = [e for e in check.audit.for_patient(patient_id) if e.action == Action.READ.value]
        assert [(e.user_id, e.outcome) for e in reads] == [(reader_actor.user_id, Outcome.OK)]
        assert check.clinics.by_name("Written meanwhile") is not None
    assert verify_chain(engine, b"").ok
