"""Immediate relief against independent computations and known truth."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from acurelief.analysis.relief import (
    MIN_START_PAIN,
    by_stimulation,
    hodges_lehmann,
    meaningful,
    patient_relief,
    practice_relief,
    signed_rank_p,
)
from acurelief.domain import SessionReading, Stimulation, StimulationKind, TreatmentSession
from acurelief.errors import InvalidInput
from acurelief.outcomes.endpoints import EndpointRules

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


def sessions_of(pairs: list[tuple[int, int]]) -> list[TreatmentSession]:
    return [session(b, a, k) for k, (b, a) in enumerate(pairs)]


PAIRS = [(6, 3), (5, 4), (7, 2), (4, 4), (8, 5), (3, 1), (6, 6), (5, 2)]
# A course as it happens: most sessions on headache-free days, a few during a headache.
MIXED = [(0, 0), (1, 0), (6, 3), (2, 2), (5, 4), (0, 1), (7, 2), (1, 1), (4, 4), (8, 5), (3, 1)]


def test_the_default_threshold_is_moderate_pain_and_configured_with_the_endpoint_rules() -> None:
    assert MIN_START_PAIN == 4
    assert EndpointRules().min_start_pain == MIN_START_PAIN
    assert EndpointRules(min_start_pain=7).min_start_pain == 7


def test_mean_drop_matches_scipy_to_1e_6() -> None:
    r = patient_relief(sessions_of(PAIRS)).all_sessions
    drop = np.array([b - a for b, a in PAIRS], dtype=float)
    ci = stats.ttest_rel([b for b, _ in PAIRS], [a for _, a in PAIRS]).confidence_interval()
    assert r.mean_drop.estimate == pytest.approx(drop.mean(), abs=1e-6)
    assert r.mean_drop.low == pytest.approx(ci.low, abs=1e-6)
    assert r.mean_drop.high == pytest.approx(ci.high, abs=1e-6)
    assert r.wilcoxon_p == pytest.approx(stats.wilcoxon(drop[drop != 0]).pvalue, abs=1e-6)
    assert r.n_sessions == 8


def test_relief_in_sessions_that_started_with_a_headache_matches_scipy_to_1e_6() -> None:
    report = patient_relief(sessions_of(MIXED))
    ache = [(b, a) for b, a in MIXED if b >= 4]  # (6,3) (5,4) (7,2) (4,4) (8,5)
    before = np.array([b for b, _ in ache], dtype=float)
    after = np.array([a for _, a in ache], dtype=float)
    drop = before - after
    r = report.with_headache
    assert r is not None
    assert r.n_sessions == 5
    # scipy.stats.ttest_rel(before, after).confidence_interval(): the paired t interval.
    ci = stats.ttest_rel(before, after).confidence_interval()
    assert r.mean_drop.estimate == pytest.approx(drop.mean(), abs=1e-6)
    assert (r.mean_drop.low, r.mean_drop.high) == pytest.approx((ci.low, ci.high), abs=1e-6)
    # scipy.stats.wilcoxon on the non-zero drops (zero drops dropped, as Wilcoxon did).
    assert r.wilcoxon_p == pytest.approx(stats.wilcoxon(drop[drop != 0]).pvalue, abs=1e-6)
    # Hodges–Lehmann: the median of every pairwise (Walsh) average, i ≤ j.
    walsh = [(x + y) / 2 for x, y in itertools.combinations_with_replacement(drop, 2)]
    assert r.median_drop.estimate == pytest.approx(float(np.median(walsh)), abs=1e-6)
    # Meaningful (≥2 points and ≥30%): 6→3, 7→2, 8→5 of 5; statsmodels' Wilson interval.
    low, high = proportion_confint(3, 5, method="wilson")
    assert r.meaningful_count == 3
    assert (r.meaningful.low, r.meaningful.high) == pytest.approx((low, high), abs=1e-6)
    assert any("regression to the mean" in c for c in r.caveats)
    # All sessions are still reported beside, and the rest said plainly.
    assert report.n_sessions == len(MIXED)
    assert report.started_below == 6
    assert report.below_note() == (
        "6 of 11 sessions started with pain below 4: too little pain to show relief"
    )
    assert report.headache_note() == "5 of 11 sessions started with a headache (pain 4 or more)"


def test_a_session_that_starts_at_the_threshold_counts_and_one_below_does_not() -> None:
    at_3, at_4 = session(3, 0, 0), session(4, 1, 1)
    report = patient_relief([at_3, at_4])
    assert report.with_headache is not None
    assert report.with_headache.n_sessions == 1
    assert report.with_headache.mean_drop.estimate == 3.0
    assert report.started_below == 1
    lower = patient_relief([at_3, at_4], min_start_pain=3)
    assert lower.with_headache is not None
    assert lower.with_headache.n_sessions == 2
    assert lower.started_below == 0
    higher = patient_relief([at_3, at_4], min_start_pain=5)
    assert higher.with_headache is None
    assert higher.started_below == 2


def test_no_session_with_a_headache_is_said_not_computed() -> None:
    report = patient_relief(sessions_of([(0, 0), (1, 0), (2, 0), (3, 1), (0, 1)]))
    assert report.with_headache is None
    assert report.n_with_headache == 0
    assert report.headache_note() == (
        "no session started with pain 4 or more: relief during a headache cannot be measured yet"
    )
    assert report.below_note().startswith("5 of 5 sessions started with pain below 4")
    assert report.all_sessions.n_sessions == 5  # all sessions are still reported


def test_a_session_without_both_readings_counts_nowhere() -> None:
    half = TreatmentSession(
        patient_id=1,
        practitioner_id=None,
        started_at=T0,
        stimulation=Stimulation(kind=StimulationKind.MANUAL),
        before=SessionReading(pain=7, minutes_after_needling=0),
    )
    report = patient_relief([half, session(6, 2, 1)])
    assert report.n_sessions == 1
    assert report.with_headache is not None
    assert report.with_headache.n_sessions == 1


@pytest.mark.parametrize("value", [0, 11, -1, 4.5, True])
def test_a_threshold_outside_1_to_10_is_refused_naming_it(value: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        patient_relief(sessions_of(PAIRS), min_start_pain=value)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == "min_start_pain"
    assert "1 to 10" in caught.value.problems[0].message


def test_meaningful_drop_needs_two_points_and_thirty_percent() -> None:
    before = np.array([6.0, 6.0, 10.0, 2.0, 3.0])
    after = np.array([4.0, 5.0, 8.0, 0.0, 1.0])
    # 6→4: 2 points, 33% ✓; 6→5: 1 point ✗; 10→8: 2 points but 20% ✗; 2→0 ✓; 3→1 ✓
    assert meaningful(before, after).tolist() == [True, False, False, True, True]
    r = patient_relief(
        [session(int(b), int(a), k) for k, (b, a) in enumerate(zip(before, after, strict=True))]
    ).all_sessions
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
    pooled = practice_relief({1: many, **few}).all_sessions
    assert pooled.n_patients == 3
    assert pooled.mean_drop.estimate == pytest.approx(2.0)  # (6 + 0 + 0) / 3, not 120/23
    assert pooled.n_sessions == 23


def test_pooled_relief_with_a_headache_leaves_out_patients_who_never_had_one() -> None:
    by_patient = {
        1: sessions_of([(6, 2), (7, 4), (1, 1), (0, 0)]),  # drops 4, 3 with a headache
        2: sessions_of([(5, 5), (2, 0)]),  # drop 0 with a headache
        3: sessions_of([(8, 3), (4, 1), (9, 5)]),  # drops 5, 3, 4
        4: sessions_of([(1, 0), (2, 2), (0, 0)]),  # never started with a headache
    }
    report = practice_relief(by_patient)
    r = report.with_headache
    assert r is not None
    assert (r.n_patients, r.n_sessions) == (3, 6)
    means = np.array([3.5, 0.0, 4.0])
    ci = stats.ttest_1samp(means, 0.0).confidence_interval()  # t over patients' mean drops
    assert r.mean_drop.estimate == pytest.approx(means.mean(), abs=1e-6)
    assert (r.mean_drop.low, r.mean_drop.high) == pytest.approx((ci.low, ci.high), abs=1e-6)
    assert any("only 3 patients" in c for c in r.caveats)
    assert report.n_patients == 4
    assert report.started_below == 6
    assert report.below_note().startswith("6 of 12 sessions started with pain below 4")
    nobody = practice_relief({4: by_patient[4]})
    assert nobody.with_headache is None
    assert nobody.all_sessions.n_patients == 1


def test_relief_by_kind_of_stimulation() -> None:
    sessions = [
        session(6, 2, 0, StimulationKind.ELECTRO),
        session(6, 5, 1, StimulationKind.SHAM_MINIMAL),
        session(6, 3, 2),
        session(5, 2, 3, StimulationKind.ELECTRO),
        session(2, 1, 4, StimulationKind.ELECTRO),
    ]
    kinds = by_stimulation(sessions)
    electro = kinds[StimulationKind.ELECTRO]
    assert electro.all_sessions.mean_drop.estimate == pytest.approx(8 / 3)
    assert electro.with_headache is not None
    assert electro.with_headache.mean_drop.estimate == pytest.approx(3.5)
    assert electro.started_below == 1
    sham = kinds[StimulationKind.SHAM_MINIMAL]
    assert sham.n_sessions == 1
    assert "only 1 sessions" in sham.all_sessions.caveats[-1]


def test_equal_drops_give_no_interval_rather_than_a_zero_width_one() -> None:
    report = patient_relief(sessions_of([(6, 3), (5, 2), (1, 1)]))
    ache = report.with_headache
    assert ache is not None
    assert ache.mean_drop.estimate == 3.0
    assert np.isnan(ache.mean_drop.low)
    assert np.isnan(ache.mean_drop.high)
    assert "the drop is 3 points in all 2 sessions: no spread, so no interval" in ache.caveats
    pooled = practice_relief({1: sessions_of([(6, 4)]), 2: sessions_of([(7, 5), (5, 3)])})
    assert pooled.all_sessions.mean_drop.estimate == 2.0
    assert np.isnan(pooled.all_sessions.mean_drop.low)
    assert any("in all 2 patients" in c for c in pooled.all_sessions.caveats)


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 2, 2, 3, -1, 4, 2, 2, 1, 3, 5, 2, 3],  # ties, n = 13: every sign flip enumerated
        [1.0, 2, 2, -2],  # ties, tiny
        [0.5, 1.5, -2.5, 3.5, 4.5, 5.5, -6.5],  # no ties: scipy's exact distribution
        [1.0, 2, 2, 3, -1, 4, 2, 2, 1, 3, 5, 2, 3, -4],  # ties, n = 14: normal approximation
        [float(v) for v in range(-20, 41) if v != 0],  # n > 50
    ],
)
def test_signed_rank_p_is_scipys_wilcoxon(values: list[float]) -> None:
    """The same p as scipy.stats.wilcoxon in each of its regimes (our tied small case is
    enumerated with a vectorised statistic, scipy's own is too slow for a page)."""
    x = np.array(values)
    assert signed_rank_p(x) == pytest.approx(stats.wilcoxon(x).pvalue, abs=1e-12)
