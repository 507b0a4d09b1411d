"""Migration 0005 on a database that already holds audit rows: filled in and chained."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from acurelief.storage.audit import verify_chain
from acurelief.storage.database import make_engine
from acurelief.storage.migrate import upgrade
from tests.conftest import PG_ADMIN_URL

KEY = b"migration-key"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own (not the shared, already migrated one)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    name = f"acurelief_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(PG_ADMIN_URL).set(database=name).render_as_string(False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_existing_rows_get_their_clinic_and_a_verifiable_chain(fresh: Engine) -> None:
    upgrade(fresh, "0004")
    with fresh.begin() as conn:
        conn.execute(text("INSERT INTO clinics (id, name) VALUES (7, 'Old clinic')"))
        conn.execute(
            text(
                "INSERT INTO users (id, clinic_id, email, display_name, role, password_hash,"
                " active) VALUES (3, 7, 'a@x.org', 'A', 'admin', 'x', true)"
            )
        )
        for n in range(1, 6):
            conn.execute(
                text(
                    "INSERT INTO audit_log (id, at, user_id, action, patient_id, detail) "
                    "VALUES (:id, :at, 3, 'read', NULL, :d)"
                ),
                {"id": n * 2, "at": f"2026-01-0{n} 10:00:00", "d": f"row {n}"},
            )
    upgrade(fresh, audit_key=KEY)
    report = verify_chain(fresh, KEY)
    assert report.ok, report.problem
    assert (report.rows, report.head_seq) == (5, 5)
    with fresh.connect() as conn:
        rows = conn.execute(
            text("SELECT id, seq, clinic_id, channel, outcome FROM audit_log ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [(n * 2, n, 7, "unknown", "ok") for n in range(1, 6)]
    assert not verify_chain(fresh, b"another key").ok
