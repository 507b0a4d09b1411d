"""Use cases on both databases: access, audit, all-or-nothing writes, accounts, demo."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, text

from acurelief.domain import (
    DiaryDay,
    Instrument,
    Patient,
    Role,
    Sex,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from acurelief.services import accounts, demo, diary, overview, patients, sessions
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, PASSWORD, World

TODAY_BERLIN = dt.date(2026, 6, 15)


def _day(pid: int, date: dt.date, **kw: Any) -> DiaryDay:
    return DiaryDay(patient_id=pid, date=date, headache=bool(kw.pop("headache", False)), **kw)


def _session(pid: int) -> TreatmentSession:
    return TreatmentSession(
        patient_id=pid,
        practitioner_id=None,
        started_at=NOW - dt.timedelta(hours=2),
        stimulation=Stimulation(kind=StimulationKind.MANUAL),
    )


def test_a_batch_with_one_bad_row_stores_nothing_and_keeps_what_was_there(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid, actor = world.patients["p1"], world.actor("p1")
    earlier = _day(pid, TODAY_BERLIN - dt.timedelta(days=10), headache=True, peak_pain=5)
    with uow_factory() as uow:
        diary.record_days(uow, actor, pid, [earlier], NOW)
    batch = [
        _day(pid, TODAY_BERLIN - dt.timedelta(days=10)),  # would overwrite the stored day
        _day(pid, TODAY_BERLIN - dt.timedelta(days=2)),
        _day(pid, TODAY_BERLIN + dt.timedelta(days=1)),  # tomorrow in Berlin: refused
        _day(pid, TODAY_BERLIN - dt.timedelta(days=2)),  # the same date twice: refused
    ]
    with pytest.raises(InvalidInput) as caught, uow_factory() as uow:
        diary.record_days(uow, actor, pid, batch, NOW)
    assert {p.field for p in caught.value.problems} == {"days.2.date", "days.3.date"}
    with uow_factory() as uow:
        stored = diary.diary_between(
            uow, actor, pid, TODAY_BERLIN - dt.timedelta(days=30), TODAY_BERLIN, NOW
        )
    assert stored == [earlier]


def test_today_is_judged_in_the_patients_time_zone(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid, actor = world.patients["p1"], world.actor("p1")  # Europe/Berlin, UTC+2 in June
    late_evening_utc = dt.datetime(2026, 6, 15, 22, 30, tzinfo=dt.UTC)  # 00:30 on the 16th there
    with uow_factory() as uow:
        diary.record_day(uow, actor, _day(pid, dt.date(2026, 6, 16)), late_evening_utc)
    with pytest.raises(InvalidInput) as caught, uow_factory() as uow:
        diary.record_day(uow, actor, _day(pid, dt.date(2026, 6, 17)), late_evening_utc)
    assert [p.field for p in caught.value.problems] == ["date"]


def test_every_read_and_write_of_a_patient_is_audited_without_health_data(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = world.patients["p1"]
    practitioner = world.actor("practitioner_a")
    with uow_factory() as uow:
        diary.record_day(
            uow,
            practitioner,
            _day(pid, TODAY_BERLIN, headache=True, peak_pain=9, notes="secret note"),
            NOW,
        )
    with uow_factory() as uow:
        patients.get_patient(uow, practitioner, pid, NOW)
    with uow_factory() as uow:
        sessions.list_sessions(uow, practitioner, pid, NOW)
    with uow_factory() as uow:
        entries = uow.audit.for_patient(pid)
    assert [(e.user_id, e.action) for e in entries] == [
        (practitioner.user_id, "write_diary"),
        (practitioner.user_id, "read"),
        (practitioner.user_id, "read"),
    ]
    with engine.connect() as conn:
        dumped = " ".join(str(r) for r in conn.execute(text("SELECT * FROM audit_log")))
    assert "secret" not in dumped
    assert "Patient P1" not in dumped


def test_outside_the_clinic_a_patient_does_not_exist(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    for who, target in (("practitioner_b", "p1"), ("admin_b", "p2"), ("p1", "p2"), ("p3", "p1")):
        with pytest.raises(NotFound), uow_factory() as uow:
            patients.get_patient(uow, world.actor(who), world.patients[target], NOW)
    with pytest.raises(NotFound), uow_factory() as uow:
        patients.get_patient(uow, world.actor("admin_a"), 99999, NOW)


def test_a_patient_may_not_record_a_session_even_for_themself(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = world.patients["p1"]
    with pytest.raises(Forbidden), uow_factory() as uow:
        sessions.record_session(uow, world.actor("p1"), _session(pid), NOW)
    with uow_factory() as uow:
        stored = sessions.record_session(uow, world.actor("practitioner_a"), _session(pid), NOW)
    assert stored.practitioner_id == world.actor("practitioner_a").user_id


def test_a_session_cannot_name_a_practitioner_of_another_clinic(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    other = world.actor("practitioner_b").user_id
    session = dataclasses.replace(_session(world.patients["p1"]), practitioner_id=other)
    with pytest.raises(InvalidInput, match="practitioner_id"), uow_factory() as uow:
        sessions.record_session(uow, world.actor("admin_a"), session, NOW)


def test_a_session_in_the_future_is_refused(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    future = dataclasses.replace(
        _session(world.patients["p1"]), started_at=NOW + dt.timedelta(minutes=5)
    )
    with pytest.raises(InvalidInput, match="started_at"), uow_factory() as uow:
        sessions.record_session(uow, world.actor("practitioner_a"), future, NOW)


def test_new_patients_land_in_the_actors_clinic(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    draft = Patient(
        clinic_id=world.clinics["b"],
        practitioner_id=None,
        name="New",
        date_of_birth=dt.date(1990, 1, 1),
        sex=Sex.OTHER,
        time_zone="UTC",
    )
    with uow_factory() as uow:
        created = patients.create_patient(uow, world.actor("practitioner_a"), draft, NOW)
    assert created.clinic_id == world.clinics["a"]
    with pytest.raises(Forbidden), uow_factory() as uow:
        patients.create_patient(uow, world.actor("p1"), draft, NOW)
    foreign = dataclasses.replace(draft, practitioner_id=world.actor("practitioner_b").user_id)
    with pytest.raises(InvalidInput, match="practitioner_id"), uow_factory() as uow:
        patients.create_patient(uow, world.actor("admin_a"), foreign, NOW)


def test_lists_hold_only_what_the_actor_may_see(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    def names(who: str) -> set[str]:
        with uow_factory() as uow:
            return {p.name for p in patients.list_patients(uow, world.actor(who), NOW)}

    assert names("practitioner_a") == names("admin_a") == {"Patient P1", "Patient P2"}
    assert names("admin_b") == {"Patient P3"}
    assert names("p2") == {"Patient P2"}


def test_login_with_password_and_with_token(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    persona = world.personas["practitioner_a"]
    with uow_factory() as uow:
        assert accounts.authenticate(uow, persona.email.upper(), PASSWORD) == persona.actor
    for email, password in ((persona.email, PASSWORD + "x"), ("nobody@example.org", PASSWORD)):
        with pytest.raises(NotAuthenticated), uow_factory() as uow:
            accounts.authenticate(uow, email, password)
    with uow_factory() as uow:
        token = accounts.issue_token(uow, persona.actor.user_id, "cli", NOW)
        uow.commit()
    with uow_factory() as uow:
        assert accounts.actor_for_token(uow, token, NOW) == persona.actor
        assert accounts.actor_for_token(uow, token + "x", NOW) is None
        creds = uow.users.credentials(persona.email)
    assert creds is not None
    assert creds.password_hash.startswith("$argon2id$")
    assert token not in creds.password_hash


def test_duplicate_logins_and_weak_passwords_are_refused(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    clinic = world.clinics["a"]
    with pytest.raises(Conflict), uow_factory() as uow:
        accounts.create_user(
            uow,
            clinic_id=clinic,
            email="ADMIN.a@example.org",
            display_name="x",
            role=Role.ADMIN,
            password=PASSWORD,
        )
    with pytest.raises(InvalidInput, match="password"), uow_factory() as uow:
        accounts.create_user(
            uow,
            clinic_id=clinic,
            email="new@example.org",
            display_name="x",
            role=Role.ADMIN,
            password="short",
        )
    with pytest.raises(InvalidInput, match="patient_id"), uow_factory() as uow:
        accounts.create_user(
            uow,
            clinic_id=clinic,
            email="new@example.org",
            display_name="x",
            role=Role.PATIENT,
            password=PASSWORD,
            patient_id=world.patients["p3"],
        )


def test_the_overview_lays_the_last_90_days_out_with_sessions(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid, staff = world.patients["p1"], world.actor("practitioner_a")
    with uow_factory() as uow:
        diary.record_days(
            uow,
            staff,
            pid,
            [
                _day(pid, TODAY_BERLIN, headache=True),
                _day(pid, TODAY_BERLIN - dt.timedelta(days=89)),
                _day(pid, TODAY_BERLIN - dt.timedelta(days=90)),
            ],
            NOW,
        )
    with uow_factory() as uow:
        sessions.record_session(uow, staff, _session(pid), NOW)
    with uow_factory() as uow:
        view = overview.patient_overview(uow, staff, pid, NOW)
    assert len(view.days) == 90
    assert view.days[0].date == TODAY_BERLIN - dt.timedelta(days=89)
    assert view.days[-1].date == TODAY_BERLIN
    assert (view.recorded, view.headache_days) == (2, 1)
    assert [d.date for d in view.days if d.sessions] == [TODAY_BERLIN]


def test_the_demo_practice_has_baselines_courses_and_gaps(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        summary = demo.seed_demo(uow, NOW, seed=7)
    assert summary.patients >= 12
    missing = 0
    with uow_factory() as uow:
        actor = accounts.authenticate(uow, demo.STAFF[0].email, demo.DEMO_PASSWORD)
        roster = uow.patients.list_for_clinic(summary.clinic_id)
        staff = uow.users.list_for_clinic(summary.clinic_id)
        for patient in roster:
            assert patient.id is not None
            course = uow.sessions.list_for_patient(patient.id)
            first = course[0].started_at.date()
            days = uow.diary.between(patient.id, first - dt.timedelta(days=60), NOW.date())
            baseline = [d for d in days if first - dt.timedelta(days=28) <= d.date < first]
            assert len(course) >= 3
            assert 18 <= len(baseline) <= 28  # a 28-day baseline, some days missing
            assert all(s.before is not None and s.after is not None for s in course)
            missing += (days[-1].date - days[0].date).days + 1 - len(days)
            forms = {q.instrument for q in uow.questionnaires.list_for_patient(patient.id)}
            assert forms == {Instrument.HIT6, Instrument.PHQ9, Instrument.GAD7}
        types = {p.name for p in roster}
    assert missing > 0
    assert len(types) == len(roster)
    assert actor.role is Role.ADMIN
    assert sorted(u.role.value for u in staff).count("practitioner") == 2
    with pytest.raises(Conflict), uow_factory() as uow:
        demo.seed_demo(uow, NOW)


def test_days_before_the_diary_began_are_not_counted_missing(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid, staff = world.patients["p1"], world.actor("practitioner_a")
    days = [_day(pid, TODAY_BERLIN - dt.timedelta(days=k)) for k in (0, 1, 3, 9)]
    with uow_factory() as uow:
        diary.record_days(uow, staff, pid, days, NOW)
    with uow_factory() as uow:
        view = overview.patient_overview(uow, staff, pid, NOW)
    assert view.diary_start == TODAY_BERLIN - dt.timedelta(days=9)
    assert (view.recorded, view.missing) == (4, 6)
