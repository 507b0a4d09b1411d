"""Mood after sessions and against headache burden, checked against scipy."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scipy import stats

from acurelief.analysis.mood import burden_correlation, mood_summary
from acurelief.domain import (
    DiaryDay,
    Instrument,
    QuestionnaireResponse,
    SessionReading,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)

START = dt.date(2026, 1, 5)


def _session(before: int, after: int, k: int) -> TreatmentSession:
    return TreatmentSession(
        patient_id=1,
        practitioner_id=None,
        started_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC) + dt.timedelta(days=7 * k),
        stimulation=Stimulation(kind=StimulationKind.MANUAL),
        before=SessionReading(mood=before, minutes_after_needling=0),
        after=SessionReading(mood=after, minutes_after_needling=30),
    )


def test_session_lift_matches_a_paired_t_interval() -> None:
    pairs = [(4, 6), (5, 7), (6, 6), (3, 6), (5, 5)]
    summary = mood_summary([_session(b, a, k) for k, (b, a) in enumerate(pairs)], [], [])
    ci = stats.ttest_rel([a for _, a in pairs], [b for b, _ in pairs]).confidence_interval()
    assert summary.session_lift.estimate == pytest.approx(1.4)
    assert summary.session_lift.low == pytest.approx(ci.low, abs=1e-6)
    assert summary.n_sessions == 5


def test_mood_falls_with_headache_burden_by_spearman() -> None:
    days = []
    burdens = [0, 1, 2, 3, 4, 5, 2, 1, 0, 3]
    for week, burden in enumerate(burdens):
        for d in range(7):
            headache = d < burden
            days.append(
                DiaryDay(
                    patient_id=1,
                    date=START + dt.timedelta(days=7 * week + d),
                    headache=headache,
                    mood=7 - burden if d % 2 else 8 - burden,
                )
            )
    rho, p, weeks = burden_correlation(days)
    weekly_mood = [((7 - b) * 3 + (8 - b) * 4) / 7 for b in burdens]
    ref = stats.spearmanr(burdens, weekly_mood)
    assert weeks == 10
    assert rho == pytest.approx(ref.statistic, abs=1e-6)
    assert p == pytest.approx(ref.pvalue, abs=1e-6)
    assert rho < -0.9


def test_too_few_weeks_give_no_correlation_and_questionnaire_changes_are_reported() -> None:
    days = [
        DiaryDay(patient_id=1, date=START + dt.timedelta(days=d), headache=False, mood=6)
        for d in range(10)
    ]
    phq = [
        QuestionnaireResponse(
            patient_id=1,
            instrument=Instrument.PHQ9,
            date=START + dt.timedelta(days=k),
            answers={str(i): v for i in range(1, 10)},
        )
        for k, v in ((0, 2), (60, 1))
    ]
    summary = mood_summary([], days, phq)
    assert math.isnan(summary.burden_correlation)
    assert summary.changes[Instrument.PHQ9].difference == -9
    assert any("rests on" in c for c in summary.caveats)
