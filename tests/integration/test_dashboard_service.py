"""The dashboard use case on both databases: one audited read, figures on the outcome grid."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from acurelief.errors import InvalidInput, NotFound
from acurelief.services import outcomes, overview
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.dashboard_data import BASELINE_START, FIRST, MISSING, TODAY, course
from tests.conftest import NOW, World


def test_one_read_one_audit_entry_and_no_reach_beyond_the_clinic(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    with uow_factory() as uow:
        before = len(uow.audit.for_patient(pid))
    with uow_factory() as uow:
        overview.patient_dashboard(uow, world.actor("practitioner_a"), pid, NOW)
    with uow_factory() as uow:
        assert len(uow.audit.for_patient(pid)) == before + 1
    with uow_factory() as uow, pytest.raises(NotFound):
        overview.patient_dashboard(uow, world.actor("practitioner_b"), pid, NOW)


def test_the_windows_over_time_are_the_outcome_windows(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    actor = world.actor("practitioner_a")
    with uow_factory() as uow:
        board = overview.patient_dashboard(uow, actor, pid, NOW)
    with uow_factory() as uow:
        alone = outcomes.patient_outcomes(uow, actor, pid, NOW)
    assert board.outcomes.rate_ratio == alone.rate_ratio
    assert board.outcomes.windows == alone.windows
    by_start = {b.start: b for b in board.blocks}
    for w in alone.windows:
        if not math.isnan(w.headache_days):
            assert by_start[w.start].headache_days == pytest.approx(w.headache_days)
            assert by_start[w.start].recorded == w.recorded_days
    assert board.blocks[0].first == BASELINE_START
    assert board.blocks[-1].last == TODAY
    assert board.outcomes.rate_ratio_days == (0, 84)
    # The rolling figure of today is the last 28 days: 4 headache days of 27 recorded.
    assert board.rolling[-1].date == TODAY
    assert board.rolling[-1].headache_days == pytest.approx(4 / 27 * 28)
    assert board.recorded_last_28 == 27
    assert board.diary_start == BASELINE_START
    assert board.sessions[0].started_at.date() == FIRST


def test_the_month_stays_within_the_diary(uow_factory: SqlUnitOfWorkFactory, world: World) -> None:
    pid = course(uow_factory, world)
    actor = world.actor("practitioner_a")

    def month(wanted: dt.date | None) -> overview.MonthCalendar:
        with uow_factory() as uow:
            return overview.patient_dashboard(uow, actor, pid, NOW, wanted).calendar

    june = month(None)
    assert june.month == dt.date(2026, 6, 1)
    assert (june.previous, june.next) == (dt.date(2026, 5, 1), None)
    day = {d.date: d for d in june.days}
    assert day[MISSING].status is overview.DayStatus.MISSING
    assert day[dt.date(2026, 6, 16)].status is overview.DayStatus.FUTURE
    assert len(day[dt.date(2026, 6, 9)].sessions) == 1
    assert month(dt.date(2020, 1, 1)).month == dt.date(2026, 2, 1)
    february = month(dt.date(2026, 2, 10))
    assert february.previous is None
    assert {d.status for d in february.days if d.date < BASELINE_START} == {
        overview.DayStatus.BEFORE
    }
    assert month(dt.date(2030, 1, 1)).month == dt.date(2026, 6, 1)


def test_month_of_reads_a_year_and_month_or_nothing() -> None:
    assert overview.month_of("2026-03") == dt.date(2026, 3, 1)
    assert overview.month_of("") is None
    assert overview.month_of(None) is None


@pytest.mark.parametrize("text", ["2026-13", "march", "2026-03-01", "-", "2026-0x"])
def test_month_of_refuses_anything_else_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        overview.month_of(text)
    assert raised.value.problems[0].field == "month"
