"""Diary-derived and intake-derived ICHD-3 diagnoses agree on virtual patients of known type."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from acurelief.diagnosis.classify import classify
from acurelief.diagnosis.from_diary import intake_from_diary
from acurelief.mechanism import export
from acurelief.mechanism.cohort import simulate_cohort
from acurelief.mechanism.profiles import HeadacheType
from acurelief.services.demo import intake_history

FIRST = dt.date(2026, 1, 1)
EXPECTED = {
    HeadacheType.MIGRAINE_WITHOUT_AURA: "1.1",
    HeadacheType.MENSTRUAL_MIGRAINE: "1.1",
    HeadacheType.TENSION_TYPE: "2.2",
    HeadacheType.CHRONIC_MIGRAINE: "1.3",
}


@pytest.mark.parametrize("kind", list(HeadacheType))
def test_diary_and_intake_agree_with_the_known_type(kind: HeadacheType) -> None:
    n = 25
    rng = np.random.default_rng(list(HeadacheType).index(kind))
    cohort = simulate_cohort(
        n, rng=rng, schedule=None, baseline_days=28, follow_days=152, types=kind
    )
    from_diary, from_intake = [], []
    for i in range(n):
        days = export.diary_days(cohort, i, patient_id=1, first_session=FIRST)
        from_diary.append(classify(intake_from_diary(days)).codes)
        from_intake.append(classify(intake_history(kind, cohort.take(np.array([i])), rng)).codes)
    expected = EXPECTED[kind]
    diary_hits = sum(expected in codes for codes in from_diary)
    intake_hits = sum(expected in codes for codes in from_intake)
    agree = sum(bool(set(a) & set(b)) for a, b in zip(from_diary, from_intake, strict=True))
    assert diary_hits >= 0.8 * n, from_diary
    assert intake_hits >= 0.8 * n, from_intake
    assert agree >= 0.8 * n
    if kind is HeadacheType.MENSTRUAL_MIGRAINE:
        menstrual = sum(bool({"A1.1.1", "A1.1.2"} & set(c)) for c in from_diary)
        assert menstrual >= 0.6 * n, from_diary
