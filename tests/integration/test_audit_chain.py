"""The audit log's hash chain, on both databases: appends, refusals, tampering, concurrency."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import Engine, text

from acurelief.domain.access import Action, Channel
from acurelief.domain.audit import AuditQuery, Outcome
from acurelief.errors import Forbidden, NotFound
from acurelief.services import access
from acurelief.storage.audit import verify_chain
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World

KEY = b"k" * 32


@pytest.fixture
def keyed(engine: Engine) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(engine, audit_key=KEY)


def _read(factory: SqlUnitOfWorkFactory, world: World, who: str, patient: str) -> None:
    with factory() as uow:
        access.reach_patient(uow, world.actor(who), world.patients[patient], Action.READ, NOW)
        uow.commit()


def test_reads_are_chained_and_verify(keyed: SqlUnitOfWorkFactory, world: World) -> None:
    for _ in range(3):
        _read(keyed, world, "practitioner_a", "p1")
    report = verify_chain(keyed.engine, KEY)
    assert report.ok, report.problem
    assert report.rows == 3
    assert not verify_chain(keyed.engine, b"another key").ok  # the chain is keyed


def test_channel_token_and_impersonation_are_recorded(
    keyed: SqlUnitOfWorkFactory, world: World
) -> None:
    api = replace(world.actor("practitioner_a"), channel=Channel.API, token_id=7)
    operator = replace(
        world.actor("admin_a"), channel=Channel.CLI, os_user="ops", impersonated=True
    )
    with keyed() as uow:
        access.reach_patient(uow, api, world.patients["p1"], Action.READ, NOW)
        access.reach_patient(uow, operator, world.patients["p1"], Action.READ, NOW)
        uow.commit()
    with keyed() as uow:
        found = uow.audit.search(AuditQuery(patient_id=world.patients["p1"]), offset=0, limit=10)
    operator_row, api_row = (s.entry for s in found)  # newest first
    assert (api_row.channel, api_row.token_id, api_row.user_id) == (
        "api",
        7,
        world.actor("practitioner_a").user_id,
    )
    assert api_row.clinic_id == world.clinics["a"]
    assert (operator_row.channel, operator_row.os_user, operator_row.user_id) == (
        "cli",
        "ops",
        None,
    )
    assert operator_row.on_behalf_of == world.actor("admin_a").user_id
    with keyed() as uow:  # the user filter finds what was done on their behalf
        mine = uow.audit.count(AuditQuery(user_id=world.actor("admin_a").user_id))
    assert mine == 1


def test_refused_access_is_recorded_although_rolled_back(
    keyed: SqlUnitOfWorkFactory, world: World
) -> None:
    outsider = world.actor("practitioner_b")
    with pytest.raises(NotFound), keyed() as uow:
        access.reach_patient(uow, outsider, world.patients["p1"], Action.READ, NOW)
    patient = world.actor("p1")
    with pytest.raises(Forbidden), keyed() as uow:
        access.reach_patient(uow, patient, world.patients["p1"], Action.RECORD_SESSION, NOW)
    with keyed() as uow:
        refused = uow.audit.search(AuditQuery(outcome=Outcome.REFUSED), offset=0, limit=10)
        ok = uow.audit.count(AuditQuery(outcome=Outcome.OK))
    assert [(r.entry.user_id, r.entry.action) for r in refused] == [
        (patient.user_id, "record_session"),
        (outsider.user_id, "read"),
    ]
    assert ok == 0  # the refused work itself left nothing
    assert verify_chain(keyed.engine, KEY).ok


def test_a_failed_login_is_recorded_without_an_actor(
    keyed: SqlUnitOfWorkFactory, world: World
) -> None:
    with keyed() as uow:
        access.audit(
            uow, None, NOW, "login", None, outcome=Outcome.FAILED, channel=Channel.WEB
        )  # not committed: failures are kept anyway
    with keyed() as uow:
        (row,) = uow.audit.search(AuditQuery(), offset=0, limit=10)
    assert (row.entry.user_id, row.entry.outcome, row.entry.channel) == (
        None,
        Outcome.FAILED,
        "web",
    )


def test_an_update_names_the_altered_row(keyed: SqlUnitOfWorkFactory, world: World) -> None:
    for _ in range(5):
        _read(keyed, world, "admin_a", "p2")
    with keyed.engine.begin() as conn:
        target = conn.execute(text("SELECT id FROM audit_log WHERE seq = 3")).scalar_one()
        conn.execute(text("UPDATE audit_log SET detail = 'nothing' WHERE id = :i"), {"i": target})
    report = verify_chain(keyed.engine, KEY)
    assert not report.ok
    assert report.row_id == target
    assert f"row id {target}: its fields do not match" in (report.problem or "")
    assert report.rows == 2


def test_a_delete_names_the_gap(keyed: SqlUnitOfWorkFactory, world: World) -> None:
    for _ in range(5):
        _read(keyed, world, "admin_a", "p2")
    with keyed.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
        after = conn.execute(text("SELECT id FROM audit_log WHERE seq = 3")).scalar_one()
    report = verify_chain(keyed.engine, KEY)
    assert report.row_id == after
    assert "seq 2 missing" in (report.problem or "")


def test_deleting_the_newest_rows_is_noticed(keyed: SqlUnitOfWorkFactory, world: World) -> None:
    for _ in range(4):
        _read(keyed, world, "admin_a", "p2")
    with keyed.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    report = verify_chain(keyed.engine, KEY)
    assert "head records seq 4" in (report.problem or "")


def test_concurrent_writers_never_fork_the_chain(keyed: SqlUnitOfWorkFactory, world: World) -> None:
    threads, per_thread = 6, 8
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                _read(keyed, world, "practitioner_a", "p1" if n % 2 else "p2")
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    report = verify_chain(keyed.engine, KEY)
    assert report.ok, report.problem
    assert report.rows == threads * per_thread
    with keyed.engine.connect() as conn:
        forks = conn.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT prev_hash FROM audit_log GROUP BY prev_hash "
                "HAVING COUNT(*) > 1) AS dup"
            )
        ).scalar_one()
    assert forks == 0
