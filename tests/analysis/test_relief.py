"""Immediate relief against independent computations and known truth."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from acurelief.analysis.relief import (
    by_stimulation,
    hodges_lehmann,
    meaningful,
    patient_relief,
    practice_relief,
)
from acurelief.domain import SessionReading, Stimulation, StimulationKind, TreatmentSession

T0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)


def session(
    before: int, after: int, k: int = 0, kind: StimulationKind = StimulationKind.MANUAL
) -> TreatmentSession:
    stim = (
        Stimulation(kind=kind, frequencies_hz=(2.0,))
        if kind is StimulationKind.ELECTRO
        else Stimulation(kind=kind)
    )
    return TreatmentSession(
        patient_id=1,
        practitioner_id=None,
        started_at=T0 + dt.timedelta(days=7 * k),
        stimulation=stim,
        before=SessionReading(pain=before, minutes_after_needling=0),
        after=SessionReading(pain=after, minutes_after_needling=30),
    )


PAIRS = [(6, 3), (5, 4), (7, 2), (4, 4), (8, 5), (3, 1), (6, 6), (5, 2)]


def test_mean_drop_matches_scipy_to_1e_6() -> None:
    r = patient_relief([session(b, a, k) for k, (b, a) in enumerate(PAIRS)])
    drop = np.array([b - a for b, a in PAIRS], dtype=float)
    ci = stats.ttest_rel([b for b, _ in PAIRS], [a for _, a in PAIRS]).confidence_interval()
    assert r.mean_drop.estimate == pytest.approx(drop.mean(), abs=1e-6)
    assert r.mean_drop.low == pytest.approx(ci.low, abs=1e-6)
    assert r.mean_drop.high == pytest.approx(ci.high, abs=1e-6)
    assert r.wilcoxon_p == pytest.approx(stats.wilcoxon(drop[drop != 0]).pvalue, abs=1e-6)
    assert r.n_sessions == 8


def test_meaningful_drop_needs_two_points_and_thirty_percent() -> None:
    before = np.array([6.0, 6.0, 10.0, 2.0, 3.0])
    after = np.array([4.0, 5.0, 8.0, 0.0, 1.0])
    # 6→4: 2 points, 33% ✓; 6→5: 1 point ✗; 10→8: 2 points but 20% ✗; 2→0 ✓; 3→1 ✓
    assert meaningful(before, after).tolist() == [True, False, False, True, True]
    r = patient_relief(
        [session(int(b), int(a), k) for k, (b, a) in enumerate(zip(before, after, strict=True))]
    )
    low, high = proportion_confint(3, 5, method="wilson")
    assert r.meaningful_count == 3
    assert r.meaningful.low == pytest.approx(low, abs=1e-6)
    assert r.meaningful.high == pytest.approx(high, abs=1e-6)


def test_hodges_lehmann_recovers_a_known_shift() -> None:
    rng = np.random.default_rng(4)
    covered = 0
    for _ in range(300):
        values = 1.5 + rng.standard_t(3, size=30)
        interval, _ = hodges_lehmann(values)
        covered += interval.low <= 1.5 <= interval.high
    assert 0.91 <= covered / 300 <= 0.99


def test_practice_pools_patients_not_sessions() -> None:
    many = [session(8, 2, k) for k in range(20)]  # one patient, 20 big drops
    few = {2: [session(5, 5, 0), session(5, 5, 1)], 3: [session(4, 4, 0)]}
    pooled = practice_relief({1: many, **few})
    assert pooled.n_patients == 3
    assert pooled.mean_drop.estimate == pytest.approx(2.0)  # (6 + 0 + 0) / 3, not 120/23
    assert pooled.n_sessions == 23


def test_relief_by_kind_of_stimulation() -> None:
    sessions = [
        session(6, 2, 0, StimulationKind.ELECTRO),
        session(6, 5, 1, StimulationKind.SHAM_MINIMAL),
        session(6, 3, 2),
        session(5, 2, 3, StimulationKind.ELECTRO),
    ]
    kinds = by_stimulation(sessions)
    assert kinds[StimulationKind.ELECTRO].mean_drop.estimate == pytest.approx(3.5)
    assert kinds[StimulationKind.SHAM_MINIMAL].n_sessions == 1
    assert "only 1 sessions" in kinds[StimulationKind.SHAM_MINIMAL].caveats[-1]
