"""Backups: a demo practice survives backup and restore with zero differences, on both
databases and across them; restore refuses what it must; a backup taken while a writer
writes holds every row committed before it began."""

from __future__ import annotations

import gzip
import json
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from acurelief.domain import Clinic, Role
from acurelief.domain.access import Action
from acurelief.errors import Conflict, InvalidInput
from acurelief.services.access import reach_patient
from acurelief.services.accounts import actor_of
from acurelief.services.demo import seed_demo
from acurelief.storage.audit import verify_chain
from acurelief.storage.backup import read_summary, restore_backup, stored_tables, write_backup
from acurelief.storage.database import make_engine
from acurelief.storage.migrate import upgrade
from acurelief.storage.tables import ClinicRow
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, PG_ADMIN_URL


class FreshDatabases:
    """Empty, migrated databases made on demand; PostgreSQL ones are dropped afterwards."""

    def __init__(self, tmp: Path) -> None:
        self._tmp = tmp
        self._engines: list[Engine] = []
        self._pg_names: list[str] = []

    def new(self, backend: str) -> Engine:
        if backend == "sqlite":
            engine = make_engine(f"sqlite:///{self._tmp / f'{uuid.uuid4().hex[:8]}.db'}")
        else:
            name = f"acurelief_backup_{uuid.uuid4().hex[:10]}"
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            self._pg_names.append(name)
            url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(False)
            engine = make_engine(url)
        upgrade(engine)
        self._engines.append(engine)
        return engine

    def close(self) -> None:
        for engine in self._engines:
            engine.dispose()
        if self._pg_names:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for name in self._pg_names:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[FreshDatabases]:
    databases = FreshDatabases(tmp_path)
    yield databases
    databases.close()


AUDIT_KEY = b"backup-test-audit-key-32-bytes!!"


def _seed(engine: Engine) -> None:
    """The demo practice, and an audit chain: its admin read every patient's record."""
    factory = SqlUnitOfWorkFactory(engine, audit_key=AUDIT_KEY)
    with factory() as work:
        summary = seed_demo(work, NOW, seed=7)
    with factory() as work:
        admin = next(x for x in summary.logins if x.role is Role.ADMIN)
        found = work.users.credentials(admin.email)
        assert found is not None
        actor = actor_of(found.user)
        for patient in work.patients.list_for_clinic(summary.clinic_id):
            assert patient.id is not None
            reach_patient(work, actor, patient.id, Action.READ, NOW)
        work.commit()


def _contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as Python values."""
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t.clause).order_by(*t.key))]
            for t in stored_tables(conn)
        }


def _differences(a: dict[str, list[tuple[Any, ...]]], b: dict[str, list[tuple[Any, ...]]]) -> int:
    count = 0
    for name in a.keys() | b.keys():
        left, right = a.get(name, []), b.get(name, [])
        count += abs(len(left) - len(right))
        count += sum(x != y for x, y in zip(left, right, strict=False))
    return count


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("sqlite", "sqlite"),
        pytest.param("postgresql", "postgresql", marks=pytest.mark.postgres),
        pytest.param("sqlite", "postgresql", marks=pytest.mark.postgres),
        pytest.param("postgresql", "sqlite", marks=pytest.mark.postgres),
    ],
)
def test_a_demo_practice_round_trips_with_zero_differences(
    fresh: FreshDatabases,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    source: str,
    target: str,
) -> None:
    monkeypatch.setattr("acurelief.storage.backup.BATCH_ROWS", 97)  # many partial batches
    origin, copy = fresh.new(source), fresh.new(target)
    _seed(origin)
    file = tmp_path / "practice.backup"

    written = write_backup(origin, file)
    restored = restore_backup(copy, file)

    before, after = _contents(origin), _contents(copy)
    assert written.rows["diary_days"] > 500  # the demo's diaries, not an empty shell
    assert written.rows["treatment_sessions"] > 0
    assert written.rows["audit_log"] > 0
    assert restored.rows == written.rows == {n: len(r) for n, r in before.items()}
    assert _differences(before, after) == 0
    assert before == after
    report = verify_chain(copy, AUDIT_KEY)  # the hash chain, copied verbatim, still holds
    assert report.ok, report.problem
    assert report.rows == written.rows["audit_log"]
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    # New rows get fresh ids after a restore (PostgreSQL's sequences were moved past them).
    with SqlUnitOfWorkFactory(copy)() as work:
        added = work.clinics.add(Clinic(name="Opened after the restore"))
        work.commit()
    assert added.id == max(r[0] for r in before["clinics"]) + 1


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_restore_refuses_a_database_with_rows_unless_forced(
    fresh: FreshDatabases, tmp_path: Path, backend: str
) -> None:
    origin, other = fresh.new(backend), fresh.new(backend)
    _seed(origin)
    file = tmp_path / "practice.backup"
    write_backup(origin, file)
    with other.begin() as conn:
        conn.execute(insert(ClinicRow), [{"id": 999, "name": "Already here"}])

    with pytest.raises(Conflict, match="--force"):
        restore_backup(other, file)
    assert [r[1] for r in _contents(other)["clinics"]] == ["Already here"]

    restore_backup(other, file, replace=True)

    assert _differences(_contents(origin), _contents(other)) == 0  # the old clinic is gone


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_failing_restore_leaves_the_database_as_it_was(
    fresh: FreshDatabases, tmp_path: Path, backend: str
) -> None:
    origin, other = fresh.new(backend), fresh.new(backend)
    _seed(origin)
    file = tmp_path / "practice.backup"
    write_backup(origin, file)
    with other.begin() as conn:
        conn.execute(insert(ClinicRow), [{"id": 5, "name": "Kept"}])
    before = _contents(other)

    def refuse(_conn: object) -> None:
        raise InvalidInput.single("--as", "not an admin of the backup")

    with pytest.raises(InvalidInput, match="not an admin"):
        restore_backup(other, file, replace=True, after=refuse)

    assert _contents(other) == before
    assert before["clinics"] == [(5, "Kept")]


def _rewrite(source: Path, target: Path, change: Any) -> None:
    with gzip.open(source, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    lines = change(lines)
    with gzip.open(target, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def test_restore_refuses_another_schema_revision_and_a_truncated_file(
    fresh: FreshDatabases, tmp_path: Path
) -> None:
    origin, copy = fresh.new("sqlite"), fresh.new("sqlite")
    _seed(origin)
    file = tmp_path / "practice.backup"
    summary = write_backup(origin, file)
    empty = _contents(copy)
    older, cut = tmp_path / "older.backup", tmp_path / "cut.backup"

    def downgrade(lines: list[str]) -> list[str]:
        header = json.loads(lines[0])
        header["revision"] = "0001"
        return [json.dumps(header), *lines[1:]]

    _rewrite(file, older, downgrade)
    _rewrite(file, cut, lambda lines: lines[: len(lines) // 2])

    with pytest.raises(InvalidInput, match=r"schema revision 0001 but this database is at"):
        restore_backup(copy, older)
    with pytest.raises(InvalidInput, match="truncated"):
        restore_backup(copy, cut)
    with pytest.raises(Conflict, match="already exists"):
        write_backup(origin, file)
    assert read_summary(file).revision == summary.revision
    assert _contents(copy) == empty  # nothing of the refused files went in
    assert empty["clinics"] == []


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_backup_taken_while_writing_holds_every_committed_row(
    fresh: FreshDatabases, tmp_path: Path, backend: str
) -> None:
    origin, copy = fresh.new(backend), fresh.new(backend)
    _seed(origin)
    committed: list[str] = []
    stop = threading.Event()
    enough = threading.Event()

    def writer() -> None:
        number = 0
        while not stop.is_set():
            name = f"Clinic {number:05d}"
            with origin.begin() as conn:
                conn.execute(insert(ClinicRow), [{"name": name}])
            committed.append(name)  # only once the commit returned
            number += 1
            if number >= 20:
                enough.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert enough.wait(timeout=120)
        before = list(committed)
        write_backup(origin, tmp_path / "live.backup")
    finally:
        stop.set()
        thread.join()
    restore_backup(copy, tmp_path / "live.backup")

    names = [r[1] for r in _contents(copy)["clinics"] if r[1].startswith("Clinic ")]
    assert set(before) <= set(names)  # nothing committed before the backup began is missing
    assert names == committed[: len(names)]  # a consistent snapshot: a prefix of the writes
