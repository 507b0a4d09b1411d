"""The small version of ``make validate``: rate-ratio intervals against known truth."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from acurelief.analysis.prevention import rate_ratio
from acurelief.mechanism.profiles import HeadacheType


def _script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "validation" / "known_truth.py"
    spec = importlib.util.spec_from_file_location("known_truth", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "kind",
    [HeadacheType.MIGRAINE_WITHOUT_AURA, HeadacheType.TENSION_TYPE, HeadacheType.CHRONIC_MIGRAINE],
)
def test_rate_ratio_intervals_cover_the_truth_at_the_nominal_rate(kind: HeadacheType) -> None:
    result = _script().rate_ratio_coverage(kind, 1500, seed=11)
    assert result["evaluable"] >= 1000
    assert 0.925 <= result["coverage"] <= 0.975
    assert abs(result["bias_log_rr"]) < 0.05


def test_not_evaluable_says_why() -> None:
    days = np.ones(28, dtype=bool)
    none = np.zeros(28, dtype=bool)
    assert "no headache day at baseline" in rate_ratio(none, days, days, days).caveats[0]
    short = rate_ratio(days, np.arange(28) < 10, days, days)
    assert "too few recorded days" in short.caveats[0]
    everyday = rate_ratio(days, days, days, days)
    assert not everyday.evaluable


def test_no_headache_in_the_window_gives_zero_with_an_exact_upper_bound() -> None:
    baseline = np.arange(28) % 4 == 0  # 7 headache days
    window = np.zeros(28, dtype=bool)
    rr = rate_ratio(baseline, np.ones(28, dtype=bool), window, np.ones(28, dtype=bool))
    assert rr.estimate == 0.0
    assert rr.method.startswith("exact conditional")
    assert 0 < rr.high < 1
    assert math.isclose(rr.low, 0.0)


def test_the_estimate_is_the_ratio_of_proportions_with_a_known_interval() -> None:
    # Independent computation: log RR ± 1.96·sqrt((1−p_b)/e_b + (1−p_w)/e_w) when the days
    # show no serial correlation (alternating pattern gives negative, clipped correlation).
    rec = np.ones(56, dtype=bool)
    baseline = np.zeros(56, dtype=bool)
    baseline[[0, 9, 18, 27, 36, 45, 54, 5, 14, 23, 32, 41, 50, 3]] = True  # 14 of 56
    window = np.zeros(56, dtype=bool)
    window[[2, 13, 24, 35, 46, 55, 30]] = True  # 7 of 56
    rr = rate_ratio(baseline, rec, window, rec)
    assert rr.estimate == pytest.approx(0.5)
    assert rr.window_events == 7
    assert rr.baseline_events == 14
    se = math.sqrt((1 - 0.25) / 14 + (1 - 0.125) / 7)
    factor = math.sqrt(rr.dispersion)
    assert rr.high == pytest.approx(0.5 * math.exp(1.959963984540054 * se * factor), rel=1e-9)


def _half_life_script() -> ModuleType:
    folder = Path(__file__).resolve().parents[2] / "validation"
    spec = importlib.util.spec_from_file_location("half_life", folder / "half_life.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its cells run in worker processes, which find it here
    spec.loader.exec_module(module)
    return module


def test_the_half_life_scenarios_run_the_booster_course_on_its_own_size() -> None:
    script = _half_life_script()
    record = script.half_life_scenarios(60, seed=3, booster_n=90)
    boosted = record[script.BOOSTED]
    even = record["12 sessions over 8 weeks"]
    assert {cell["patients"] for cell in boosted.values()} == {90}
    assert {cell["patients"] for cell in even.values()} == {60}
    assert set(boosted) == {"no_effect", "h=10", "h=21", "h=40"}
    for cell in boosted.values():
        assert cell["fitted"] <= cell["patients"]
        assert cell["identified"] <= cell["fitted"]
    assert boosted["no_effect"]["coverage_95ci"] == "n/a"
    assert record["tolerance_no_effect_boosters"] < record["tolerance_no_effect"]
