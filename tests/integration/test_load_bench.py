"""bench/load.py: its quick run against the real server has no errors and no lost writes on
both databases (PostgreSQL with several workers too), and its lost-write check catches a
lost write. Timing is reported by the bench, never asserted here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import PG_ADMIN_URL

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("acurelief_bench_load", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


load = _load_bench()
DAY = dt.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("backend", "workers"),
    [
        ("sqlite", 1),
        pytest.param("postgresql", 1, marks=pytest.mark.postgres),
        pytest.param("postgresql", 3, marks=pytest.mark.postgres),
    ],
)
def test_the_quick_load_run_has_no_errors_and_no_lost_writes(backend: str, workers: int) -> None:
    outcome = load.run_configuration(backend, workers, 10, 20, pg_admin_url=PG_ADMIN_URL)

    assert outcome.requests == 200
    assert outcome.errors == 0, outcome.error_statuses
    assert outcome.lost == 0
    assert outcome.days == 20
    assert outcome.p50_ms <= outcome.p99_ms <= outcome.max_ms


def _write(note: str, sent: float, answered: float, status: int = 200) -> object:
    return load.Write(DAY, note, sent, answered, status)


def test_a_write_followed_by_a_later_acknowledged_write_is_lost() -> None:
    first, second = _write("first", 0.0, 1.0), _write("second", 2.0, 3.0)  # in sequence

    assert load.lost_writes([first, second], {DAY: "second"}) == 0
    assert load.lost_writes([first, second], {DAY: "first"}) == 1  # the later one vanished
    assert load.lost_writes([first, second], {DAY: None}) == 1  # the day vanished
    assert load.lost_writes([first, second], {DAY: "never sent"}) == 1


def test_overlapping_writes_may_land_in_either_order_and_failed_ones_never() -> None:
    one, two = _write("one", 0.0, 2.0), _write("two", 1.0, 3.0)  # overlapping in time
    refused = _write("refused", 4.0, 5.0, status=500)
    unanswered = _write("unanswered", 4.0, 9.0, status=0)

    assert load.lost_writes([one, two, refused], {DAY: "one"}) == 0
    assert load.lost_writes([one, two, refused], {DAY: "two"}) == 0
    assert load.lost_writes([one, two, refused], {DAY: "refused"}) == 1
    assert load.lost_writes([one, two, unanswered], {DAY: "unanswered"}) == 0  # may have landed


def test_clients_of_the_same_group_share_a_day_and_days_are_revisited() -> None:
    days = 20
    assert load.day_of(0, 5, days) == load.day_of(10, 5, days)  # the same moment
    assert load.day_of(0, 5, days) != load.day_of(1, 5, days)
    assert load.day_of(0, 6, days) == load.day_of(1, 5, days)  # later, by another client
    assert {load.day_of(c, s, days) for c in range(10) for s in range(20)} == {
        DAY + dt.timedelta(days=i) for i in range(days)
    }
