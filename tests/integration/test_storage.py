"""Storage behaviour, run on SQLite and on PostgreSQL (the ``engine`` fixture)."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from acurelief.domain import (
    AdverseEvent,
    AdverseEventKind,
    Attack,
    Clinic,
    DiaryDay,
    HeadacheFeatures,
    Instrument,
    MedicationClass,
    NeedlePoint,
    Patient,
    QuestionnaireResponse,
    SessionReading,
    Sex,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.storage.errors import StorageError
from acurelief.storage.migrate import current_revision, head_revision, upgrade
from acurelief.storage.tables import DiaryDayRow
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

DAY = dt.date(2026, 5, 4)


def _patient(factory: SqlUnitOfWorkFactory) -> int:
    with factory() as uow:
        clinic = uow.clinics.add(Clinic(name="Clinic"))
        assert clinic.id is not None
        patient = uow.patients.add(
            Patient(
                clinic_id=clinic.id,
                practitioner_id=None,
                name="P",
                sex=Sex.MALE,
                date_of_birth=dt.date(1970, 1, 1),
                time_zone="Europe/Paris",
            )
        )
        uow.commit()
    assert patient.id is not None
    return patient.id


def _rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(DiaryDayRow)) or 0


def test_schema_is_at_the_newest_migration_and_upgrade_is_repeatable(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_a_diary_day_round_trips_with_every_field(uow_factory: SqlUnitOfWorkFactory) -> None:
    pid = _patient(uow_factory)
    day = DiaryDay(
        patient_id=pid,
        date=DAY,
        headache=True,
        peak_pain=7,
        headache_hours=5.5,
        features=HeadacheFeatures(
            side=HeadacheSide.UNILATERAL,
            quality=PainQuality.PULSATING,
            aggravated_by_activity=True,
            nausea=True,
            vomiting=False,
            photophobia=True,
            phonophobia=None,
            aura=False,
        ),
        medications={MedicationClass.TRIPTAN: 1, MedicationClass.SIMPLE_ANALGESIC: 2},
        menstruation=True,
        mood=3,
        sleep_hours=6.5,
        stress=8,
        notes="noisy office",
    )
    with uow_factory() as uow:
        uow.diary.upsert(day)
        uow.commit()
    with uow_factory() as uow:
        assert uow.diary.get(pid, DAY) == day


def test_a_recorded_no_headache_day_is_not_a_missing_day(uow_factory: SqlUnitOfWorkFactory) -> None:
    pid = _patient(uow_factory)
    with uow_factory() as uow:
        uow.diary.upsert(DiaryDay(patient_id=pid, date=DAY, headache=False))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.diary.get(pid, DAY)
        missing = uow.diary.get(pid, DAY + dt.timedelta(days=1))
    assert stored is not None
    assert stored.headache is False
    assert missing is None


def test_upserting_the_same_day_again_replaces_it(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _patient(uow_factory)
    first = DiaryDay(
        patient_id=pid,
        date=DAY,
        headache=True,
        peak_pain=8,
        medications={MedicationClass.TRIPTAN: 1},
    )
    second = DiaryDay(patient_id=pid, date=DAY, headache=False, mood=7)
    for day in (first, first, second):
        with uow_factory() as uow:
            uow.diary.upsert(day)
            uow.commit()
    assert _rows(engine) == 1
    with uow_factory() as uow:
        assert uow.diary.get(pid, DAY) == second


def test_between_is_inclusive_and_ordered(uow_factory: SqlUnitOfWorkFactory) -> None:
    pid = _patient(uow_factory)
    with uow_factory() as uow:
        for offset in (5, 0, 3, 9):
            uow.diary.upsert(
                DiaryDay(patient_id=pid, date=DAY + dt.timedelta(days=offset), headache=False)
            )
        uow.commit()
    with uow_factory() as uow:
        found = uow.diary.between(pid, DAY, DAY + dt.timedelta(days=5))
    assert [d.date for d in found] == [DAY + dt.timedelta(days=o) for o in (0, 3, 5)]


def test_leaving_a_unit_of_work_without_commit_stores_nothing(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _patient(uow_factory)
    with uow_factory() as uow:
        uow.diary.upsert(DiaryDay(patient_id=pid, date=DAY, headache=False))
    assert _rows(engine) == 0


def test_a_write_failing_part_way_leaves_the_database_as_it_was(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _patient(uow_factory)
    kept = DiaryDay(patient_id=pid, date=DAY, headache=True, peak_pain=4)
    with uow_factory() as uow:
        uow.diary.upsert(kept)
        uow.commit()
    with uow_factory() as uow:
        uow.diary.upsert(DiaryDay(patient_id=pid, date=DAY, headache=False))  # overwrite…
        uow.diary.upsert(DiaryDay(patient_id=pid, date=DAY + dt.timedelta(1), headache=False))
        with pytest.raises(IntegrityError):  # …then fail
            uow.diary.upsert(DiaryDay(patient_id=pid + 999, date=DAY, headache=False))
    assert _rows(engine) == 1
    with uow_factory() as uow:
        assert uow.diary.get(pid, DAY) == kept


def test_foreign_keys_are_enforced(uow_factory: SqlUnitOfWorkFactory) -> None:
    with pytest.raises(StorageError, match=r"^integrity error"), uow_factory() as uow:
        uow.diary.upsert(DiaryDay(patient_id=12345, date=DAY, headache=False))


def test_concurrent_writers_of_the_same_day_leave_one_row(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory
) -> None:
    pid = _patient(uow_factory)
    versions = [DiaryDay(patient_id=pid, date=DAY, headache=True, peak_pain=p) for p in (2, 9)]
    barrier = threading.Barrier(len(versions))
    failures: list[BaseException] = []

    def write(day: DiaryDay) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                with uow_factory() as uow:
                    uow.diary.upsert(day)
                    uow.commit()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(v,)) for v in versions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert _rows(engine) == 1
    with uow_factory() as uow:
        assert uow.diary.get(pid, DAY) in versions


def test_a_session_round_trips_with_points_readings_and_events(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    pid = _patient(uow_factory)
    started = dt.datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Paris"))
    session = TreatmentSession(
        patient_id=pid,
        practitioner_id=None,
        started_at=started,
        points=[
            NeedlePoint(code="GB20", side=Side.BILATERAL),
            NeedlePoint(code="GV20"),
            NeedlePoint(code="LR3", side=Side.LEFT),
        ],
        stimulation=Stimulation(
            kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0), intensity_ma=0.5
        ),
        retention_minutes=30,
        de_qi=True,
        before=SessionReading(pain=6, mood=4, minutes_after_needling=0),
        after=SessionReading(pain=2, mood=7, minutes_after_needling=35),
        adverse_events=[
            AdverseEvent(kind=AdverseEventKind.HAEMATOMA),
            AdverseEvent(kind=AdverseEventKind.OTHER, notes="dizzy"),
        ],
        notes="first session",
    )
    with uow_factory() as uow:
        stored = uow.sessions.add(session)
        uow.commit()
    with uow_factory() as uow:
        (loaded,) = uow.sessions.list_for_patient(pid)
    assert loaded == stored
    assert loaded.started_at == started  # the same instant, whatever zone it was given in
    assert [p.code for p in loaded.points] == ["GB20", "GV20", "LR3"]
    assert loaded.pain_change() == -4


def test_sessions_are_listed_in_time_order_within_a_range(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    pid = _patient(uow_factory)
    base = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    with uow_factory() as uow:
        for days in (14, 0, 7):
            uow.sessions.add(
                TreatmentSession(
                    patient_id=pid,
                    practitioner_id=None,
                    started_at=base + dt.timedelta(days=days),
                    stimulation=Stimulation(kind=StimulationKind.MANUAL),
                )
            )
        uow.commit()
    with uow_factory() as uow:
        everything = uow.sessions.list_for_patient(pid)
        later = uow.sessions.list_for_patient(pid, start=base + dt.timedelta(days=1))
    assert [s.started_at for s in everything] == [base + dt.timedelta(days=d) for d in (0, 7, 14)]
    assert len(later) == 2


def test_attacks_and_questionnaires_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    pid = _patient(uow_factory)
    start = dt.datetime(2026, 2, 1, 22, tzinfo=dt.UTC)
    attack = Attack(
        patient_id=pid,
        start=start,
        end=start + dt.timedelta(hours=7),
        peak_pain=8,
        features=HeadacheFeatures(nausea=True),
        medications={MedicationClass.TRIPTAN: 2},
    )
    answers = {str(i): i % 4 for i in range(1, 10)}
    response = QuestionnaireResponse(
        patient_id=pid, instrument=Instrument.PHQ9, date=DAY, answers=answers
    )
    with uow_factory() as uow:
        stored_attack = uow.attacks.add(attack)
        stored_response = uow.questionnaires.add(response)
        uow.commit()
    with uow_factory() as uow:
        assert uow.attacks.list_for_patient(pid) == [stored_attack]
        assert uow.questionnaires.list_for_patient(pid) == [stored_response]
    assert stored_attack.duration_hours() == 7
    assert dict(stored_response.answers) == answers
