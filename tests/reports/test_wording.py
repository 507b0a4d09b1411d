"""The verdict on a rate ratio, at its boundaries, and the names of windows and dates."""

from __future__ import annotations

import datetime as dt
import inspect
import math

import pytest

from acurelief.analysis.prevention import CAVEAT_CAUSE, RateRatio, rate_ratio
from acurelief.reports.wording import (
    MIN_DAYS,
    Direction,
    date_span,
    days_span,
    patient_window_name,
    per_28,
    verdict,
    window_name,
)

WINDOW, PLAIN = "weeks 1–12", "your first 12 weeks of treatment"


def ratio(
    estimate: float,
    low: float,
    high: float,
    *,
    baseline: tuple[int, int] = (28, 9),
    window: tuple[int, int] = (84, 12),
) -> RateRatio:
    return RateRatio(estimate, low, high, *baseline, *window, "test", 1.0, (CAVEAT_CAUSE,))


def test_min_days_is_the_rate_ratios_own() -> None:
    assert inspect.signature(rate_ratio).parameters["min_days"].default == MIN_DAYS


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.31, 0.69, Direction.FEWER),  # the whole interval below 1
        (0.0, 0.4, Direction.FEWER),  # no headache day since: the exact interval starts at 0
        (0.5, 0.999, Direction.FEWER),  # just below 1
        (0.5, 1.0, Direction.UNCLEAR),  # reaching 1 exactly is not excluding it
        (0.6, 1.7, Direction.UNCLEAR),  # straddling 1
        (1.0, 2.0, Direction.UNCLEAR),
        (1.001, 2.0, Direction.MORE),  # just above 1
        (1.3, 2.9, Direction.MORE),  # the whole interval above 1
        (0.2, math.inf, Direction.UNCLEAR),  # unbounded above
    ],
)
def test_the_verdict_reads_the_interval_alone(low: float, high: float, expected: Direction) -> None:
    found = verdict(ratio((low + min(high, 5)) / 2, low, high), WINDOW, PLAIN)
    assert found.direction is expected
    assert found.evaluable


def test_each_verdict_says_its_window_and_interval_in_numbers() -> None:
    fewer = verdict(ratio(0.46, 0.31, 0.69), WINDOW, PLAIN)
    assert fewer.headline.startswith("Fewer headache days than before treatment")
    assert "weeks 1–12 against baseline, 95% CI 0.31–0.69: the interval excludes 1" in (
        fewer.headline
    )
    assert fewer.patient == (
        "In your first 12 weeks of treatment you had fewer headache days than in the 4 weeks "
        "before it."
    )
    unclear = verdict(ratio(0.9, 0.6, 1.4), WINDOW, PLAIN)
    assert unclear.headline.startswith("No clear change yet")
    assert "the interval includes 1" in unclear.headline
    more = verdict(ratio(1.8, 1.2, 2.6), WINDOW, PLAIN)
    assert more.headline.startswith("More headache days than before treatment")
    assert "talk to your practitioner" in more.patient


def test_every_verdict_names_regression_to_the_mean_and_placebo() -> None:
    for found in (
        verdict(ratio(0.46, 0.31, 0.69), WINDOW, PLAIN),
        verdict(ratio(1.0, 0.6, 1.6), WINDOW, PLAIN),
        verdict(None, WINDOW, PLAIN),
    ):
        assert "regression to the mean" in found.caveat
        assert "placebo" in found.caveat
        assert "ease by themselves after a bad spell" in found.patient_caveat
        assert "care and expectation around treatment" in found.patient_caveat
        assert "rate ratio" not in found.patient.lower()
        assert "CI" not in found.patient + found.patient_caveat


def test_too_few_baseline_days_is_not_evaluable_and_says_how_many() -> None:
    short = ratio(math.nan, math.nan, math.nan, baseline=(12, 4))
    found = verdict(short, WINDOW, PLAIN)
    assert found.direction is Direction.NOT_EVALUABLE
    assert not found.evaluable
    assert found.headline.startswith("Not enough diary yet: 12 of 28 baseline days")
    assert "12 of 28 were filled in" in found.patient


def test_too_few_days_since_treatment_began_asks_to_keep_the_diary() -> None:
    short = ratio(math.nan, math.nan, math.nan, window=(9, 2))
    found = verdict(short, "days 1–10", "the first 10 days of your treatment")
    assert found.direction is Direction.NOT_EVALUABLE
    assert "9 days recorded in days 1–10" in found.headline
    assert found.patient.startswith("Keep filling in your diary")


def test_no_headache_at_baseline_leaves_nothing_to_compare() -> None:
    found = verdict(ratio(math.nan, math.nan, math.nan, baseline=(28, 0)), WINDOW, PLAIN)
    assert found.direction is Direction.NOT_EVALUABLE
    assert "no headache day at baseline" in found.headline


def test_a_real_rate_ratio_gets_the_same_verdict_as_its_interval() -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    base = rng.random(28) < 0.5
    after = rng.random(84) < 0.1
    rr = rate_ratio(base, np.ones(28, bool), after, np.ones(84, bool))
    assert rr.high < 1
    assert verdict(rr, WINDOW, PLAIN).direction is Direction.FEWER


def test_without_a_session_the_patient_is_asked_for_28_days_first() -> None:
    found = verdict(None, WINDOW, PLAIN)
    assert found.direction is Direction.NO_TREATMENT
    assert found.patient == (
        "Keep filling in your diary: we need 28 days before your first session to compare."
    )


def test_windows_and_dates_in_words() -> None:
    assert window_name(-28, 0) == "baseline"
    assert window_name(0, 84) == "weeks 1–12"
    assert window_name(56, 84) == "weeks 9–12"
    assert window_name(0, 40) == "days 1–40"
    assert patient_window_name(0, 84) == "your first 12 weeks of treatment"
    assert patient_window_name(0, 7) == "your first week of treatment"
    assert patient_window_name(0, 40) == "the first 40 days of your treatment"
    assert date_span(dt.date(2026, 3, 1), dt.date(2026, 5, 23)) == "1 Mar – 23 May 2026"
    assert date_span(dt.date(2025, 12, 3), dt.date(2026, 1, 2)) == "3 Dec 2025 – 2 Jan 2026"
    assert days_span(dt.date(2026, 3, 1), -28, 0) == "1 Feb – 28 Feb 2026"
    assert per_28(9, 28) == 9
    assert per_28(12, 84) == 4
    assert math.isnan(per_28(0, 0))
