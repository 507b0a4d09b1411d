"""The practitioner's worklist on both databases: who sees whom, search, filters, sorting, and
figures worked by hand and checked against the patient's own pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy import Engine, select

from acurelief.diagnosis.intake import parse_intake
from acurelief.domain import (
    DiaryDay,
    Instrument,
    MedicationClass,
    QuestionnaireResponse,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.domain.access import Actor
from acurelief.errors import Forbidden, InvalidInput
from acurelief.outcomes.questionnaires import PHQ9_ITEM9_ALERT
from acurelief.services import diagnosis, diary, outcomes, sessions
from acurelief.services.worklist import (
    Sort,
    Worklist,
    WorklistFilters,
    WorklistRow,
    parse_filters,
    worklist,
)
from acurelief.services.worklist_figures import OveruseFlag
from acurelief.storage.tables import AuditRow
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World
from tests.diagnosis.histories import migraine_without_aura

TODAY = dt.date(2026, 6, 15)  # NOW in Europe/Berlin, every patient's zone


def _date(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


def _days(pid: int, dates: Sequence[dt.date], ache: set[dt.date]) -> list[DiaryDay]:
    return [
        DiaryDay(patient_id=pid, date=d, headache=d in ache, peak_pain=5 if d in ache else None)
        for d in dates
    ]


def _record(factory: SqlUnitOfWorkFactory, world: World, days: list[DiaryDay]) -> None:
    with factory() as uow:
        diary.record_days(uow, world.actor("practitioner_a"), days[0].patient_id, days, NOW)


def _session(factory: SqlUnitOfWorkFactory, world: World, pid: int, at: dt.datetime) -> None:
    session = TreatmentSession(
        patient_id=pid,
        practitioner_id=None,
        started_at=at,
        stimulation=Stimulation(kind=StimulationKind.MANUAL),
    )
    with factory() as uow:
        sessions.record_session(uow, world.actor("practitioner_a"), session, NOW)


def _phq9(factory: SqlUnitOfWorkFactory, pid: int, date: dt.date, item_9: int) -> None:
    answers = {str(i): 1 for i in range(1, 9)} | {"9": item_9}
    response = QuestionnaireResponse(
        patient_id=pid, instrument=Instrument.PHQ9, date=date, answers=answers
    )
    with factory() as uow:
        uow.questionnaires.add(response)
        uow.commit()


def _list(factory: SqlUnitOfWorkFactory, actor: Actor, **kw: object) -> Worklist:
    with factory() as uow:
        return worklist(uow, actor, NOW, **kw)  # type: ignore[arg-type]


def _row(result: Worklist, name: str) -> WorklistRow:
    return next(r for r in result.rows if r.name == name)


def _names(result: Worklist) -> list[str]:
    return [r.name for r in result.rows]


def test_staff_see_their_own_clinics_patients_only(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    for persona in ("admin_a", "practitioner_a"):
        result = _list(uow_factory, world.actor(persona))
        assert _names(result) == ["Patient P1", "Patient P2"]
        assert result.total == 2
    p1 = _row(_list(uow_factory, world.actor("admin_a")), "Patient P1")
    assert (p1.age, p1.practitioner) == (46, "practitioner.a@example.org")
    assert _names(_list(uow_factory, world.actor("practitioner_b"))) == ["Patient P3"]


def test_a_patient_may_not_see_the_worklist(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    with pytest.raises(Forbidden):
        _list(uow_factory, world.actor("p1"))


def test_search_is_a_case_insensitive_substring_of_the_name(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    result = _list(uow_factory, world.actor("practitioner_a"), query="p1")
    assert _names(result) == ["Patient P1"]
    assert (result.total, result.query) == (2, "p1")
    assert _list(uow_factory, world.actor("practitioner_a"), query="P3").rows == ()


def test_one_audit_entry_with_the_count_and_no_health_data(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    _list(uow_factory, world.actor("practitioner_a"))
    with engine.connect() as conn:
        entries = conn.execute(
            select(AuditRow.user_id, AuditRow.patient_id, AuditRow.detail).where(
                AuditRow.action == "worklist"
            )
        ).all()
    assert entries == [(world.actor("practitioner_a").user_id, None, "2 patients")]


def test_twenty_of_the_last_28_days_recorded(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = world.patients["p1"]
    _record(uow_factory, world, _days(pid, [_date(n) for n in range(20)], set()))
    row = _row(_list(uow_factory, world.actor("practitioner_a")), "Patient P1")
    assert (row.recorded_28, row.completeness_percent) == (20, 71)
    assert row.completeness == pytest.approx(20 / 28)
    assert row.headache_days_now.value is None  # 20 < 23 (80% of 28)
    assert row.headache_days_now.not_evaluable == (
        "last 28 days: 20 of 28 days recorded, 23 needed"
    )
    assert (row.diagnosis_source, row.codes) == (None, ())
    assert row.diagnosis_note.startswith("no diagnosis yet")


def test_headache_days_now_against_baseline_by_hand(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = world.patients["p2"]
    first = dt.date(2026, 5, 1)
    # Baseline 3–30 April: all 28 days recorded, 7 with headache -> 7.0 per 28.
    baseline = [first - dt.timedelta(days=n) for n in range(1, 29)]
    # Last 28 days (19 May – 15 June): 25 recorded, 5 with headache -> 5 / 25 × 28 = 5.6.
    recent = [_date(n) for n in range(28) if n not in (3, 4, 5)]
    _record(uow_factory, world, _days(pid, baseline, set(baseline[::4])))
    _record(uow_factory, world, _days(pid, recent, set(recent[:5])))
    _session(uow_factory, world, pid, dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC))
    # 23:30 UTC on 10 June is 01:30 on 11 June in Berlin: the patient's date counts.
    _session(uow_factory, world, pid, dt.datetime(2026, 6, 10, 23, 30, tzinfo=dt.UTC))
    row = _row(_list(uow_factory, world.actor("practitioner_a")), "Patient P2")
    assert row.headache_days_baseline.value == pytest.approx(7.0)
    assert row.headache_days_baseline.recorded_days == 28
    assert row.headache_days_now.value == pytest.approx(5.6)
    assert row.headache_days_now.recorded_days == row.recorded_28 == 25
    assert row.headache_days_change == pytest.approx(-1.4)
    assert (row.last_session, row.sessions, row.days_since_session) == (
        dt.date(2026, 6, 11),
        2,
        4,
    )
    with uow_factory() as uow:
        page = outcomes.patient_outcomes(uow, world.actor("practitioner_a"), pid, NOW)
    assert page.windows[0].headache_days == pytest.approx(row.headache_days_baseline.value)


def test_a_phq9_item_9_answer_raises_the_alert_and_sorts_first(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    p1, p2 = world.patients["p1"], world.patients["p2"]
    _phq9(uow_factory, p2, _date(3), item_9=2)
    _phq9(uow_factory, p1, _date(30), item_9=1)
    _phq9(uow_factory, p1, _date(2), item_9=0)  # the latest PHQ-9 decides
    actor = world.actor("practitioner_a")
    result = _list(uow_factory, actor, sort="alerts")
    assert _names(result) == ["Patient P2", "Patient P1"]
    assert result.rows[0].alerts == (PHQ9_ITEM9_ALERT,)
    assert result.rows[1].alerts == ()
    only = _list(uow_factory, actor, filters=WorklistFilters(alert=True))
    assert _names(only) == ["Patient P2"]
    assert _names(_list(uow_factory, actor)) == ["Patient P1", "Patient P2"]


def test_triptans_on_12_days_a_month_for_6_months_are_an_overuse_risk(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = world.patients["p1"]
    first = dt.date(2026, 1, 10)
    start = first - dt.timedelta(days=28)
    dates = [start + dt.timedelta(days=n) for n in range((TODAY - start).days + 1)]
    days = [
        DiaryDay(
            patient_id=pid,
            date=d,
            headache=True,
            peak_pain=6,
            headache_hours=8.0,
            medications={MedicationClass.TRIPTAN: 1},
        )
        if n % 30 < 12
        else DiaryDay(patient_id=pid, date=d, headache=False)
        for n, d in enumerate(dates)
    ]
    _record(uow_factory, world, days)
    _session(uow_factory, world, pid, dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    actor = world.actor("practitioner_a")
    row = _row(_list(uow_factory, actor), "Patient P1")
    assert row.overuse == (OveruseFlag("triptan", (12,) * 6, True),)
    assert str(row.overuse[0]) == "triptan 12 d/month, for more than 3 months"
    assert _names(_list(uow_factory, actor, filters=WorklistFilters(overuse=True))) == [
        "Patient P1"
    ]
    with uow_factory() as uow:
        page = outcomes.patient_outcomes(uow, actor, pid, NOW)
    assert page.overuse == (("triptan", (12,) * 6, True),)
    # No intake, but more than 3 months of diary: diagnosed from the diary, as on the page.
    assessment, source = diagnosis.current_assessment(uow_factory, actor, pid, NOW)
    assert assessment is not None
    assert (row.diagnosis_source, row.codes) == (source, assessment.codes) == ("diary", row.codes)


def test_the_intake_gives_the_codes_and_red_flags_say_refer(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    p1, p2, actor = world.patients["p1"], world.patients["p2"], world.actor("practitioner_a")
    flagged = migraine_without_aura() | {"red_flags": {"sudden_onset": True}}
    with uow_factory() as uow:
        diagnosis.record_intake(uow, actor, p1, parse_intake(migraine_without_aura()), NOW)
        diagnosis.record_intake(uow, actor, p2, parse_intake(flagged), NOW)
    result = _list(uow_factory, actor)
    for pid, name in ((p1, "Patient P1"), (p2, "Patient P2")):
        assessment, source = diagnosis.current_assessment(uow_factory, actor, pid, NOW)
        assert assessment is not None
        row = _row(result, name)
        assert (row.diagnosis_source, row.codes, row.refer) == (
            source,
            assessment.codes,
            assessment.refer,
        )
    assert (_row(result, "Patient P1").codes, _row(result, "Patient P1").refer) == (("1.1",), False)
    assert _row(result, "Patient P2").refer
    only = _list(uow_factory, actor, filters=WorklistFilters(red_flags=True))
    assert _names(only) == ["Patient P2"]


def test_sessions_practitioner_filters_and_the_other_sorts(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    p1, p2, actor = world.patients["p1"], world.patients["p2"], world.actor("practitioner_a")
    _session(uow_factory, world, p1, NOW - dt.timedelta(days=20))
    _session(uow_factory, world, p2, NOW - dt.timedelta(days=2))
    _record(uow_factory, world, _days(p1, [_date(n) for n in range(28)], set()))
    _record(uow_factory, world, _days(p2, [_date(n) for n in range(10)], set()))
    recent = _list(uow_factory, actor, filters=WorklistFilters(sessions_within_days=7))
    assert _names(recent) == ["Patient P2"]
    assert _names(_list(uow_factory, actor, sort="last_session")) == ["Patient P2", "Patient P1"]
    assert _names(_list(uow_factory, actor, sort="completeness")) == ["Patient P2", "Patient P1"]
    mine = _list(uow_factory, actor, filters=WorklistFilters(practitioner_id=actor.user_id))
    assert _names(mine) == ["Patient P1", "Patient P2"]
    other = WorklistFilters(practitioner_id=world.actor("admin_a").user_id)
    assert _list(uow_factory, actor, filters=other).rows == ()
    assert _list(uow_factory, actor, sort="headache_days_change").sort is Sort.HEADACHE_DAYS_CHANGE


def test_an_unknown_sort_or_filter_names_the_field(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _list(uow_factory, world.actor("practitioner_a"), sort="age")
    assert [p.field for p in caught.value.problems] == ["sort"]
    with pytest.raises(InvalidInput) as bad:
        parse_filters({"colour": "red", "alert": "maybe", "sessions_within_days": "x"})
    assert [p.field for p in bad.value.problems] == [
        "filters.colour",
        "filters.alert",
        "filters.sessions_within_days",
    ]
    assert parse_filters({"alert": "true", "sessions_within_days": "14"}) == WorklistFilters(
        alert=True, sessions_within_days=14
    )
    with pytest.raises(InvalidInput, match=r"filters\.sessions_within_days"):
        WorklistFilters(sessions_within_days=0)
