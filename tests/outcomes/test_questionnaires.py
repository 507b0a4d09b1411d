"""Questionnaire scoring (clinical-facts §2): totals, band edges, alerts, subscores, change."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acurelief.domain.questionnaire import Instrument, QuestionnaireResponse
from acurelief.errors import InsufficientData, InvalidInput
from acurelief.outcomes.questionnaires import (
    BANDS,
    GAD7_MIC_FLOOR,
    HIT6_MIC,
    HIT6_MIC_CHRONIC_TTH,
    PHQ9_ITEM9_ALERT,
    PHQ9_MIC,
    Score,
    Verdict,
    band_of,
    change,
    latest_change,
    score,
    series,
)

DAY = dt.date(2026, 3, 2)
LATER = dt.date(2026, 6, 1)


def _response(
    instrument: Instrument,
    answers: Mapping[str, int],
    date: dt.date = DAY,
    patient_id: int = 1,
) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        patient_id=patient_id, instrument=instrument, date=date, answers=answers
    )


def _numbered(values: Sequence[int]) -> dict[str, int]:
    return {str(i): v for i, v in enumerate(values, start=1)}


def _spread(total: int, items: int) -> list[int]:
    """0–3 answers for ``items`` items adding up to ``total``, item 9 kept at 0 if possible."""
    answers = [0] * items
    left = total
    for i in range(items):
        answers[i] = min(3, left)
        left -= answers[i]
    assert left == 0
    return answers


def _phq9(total: int) -> QuestionnaireResponse:
    return _response(Instrument.PHQ9, _numbered(_spread(total, 9)))


def _gad7(total: int) -> QuestionnaireResponse:
    return _response(Instrument.GAD7, _numbered(_spread(total, 7)))


def _scored(instrument: Instrument, total: int, date: dt.date = DAY) -> Score:
    """A Score built directly, for change tests that need an exact total."""
    return Score(instrument=instrument, date=date, total=total, band=band_of(instrument, total))


# --- HIT-6 (§2.1) -------------------------------------------------------------------------

HIT6_CASES = [
    ((6, 6, 6, 6, 6, 6), 36, "little or no impact"),
    ((6, 8, 8, 8, 8, 11), 49, "little or no impact"),
    ((6, 8, 8, 8, 10, 10), 50, "some impact"),
    ((8, 8, 8, 10, 10, 11), 55, "some impact"),
    ((8, 8, 10, 10, 10, 10), 56, "substantial impact"),
    ((8, 10, 10, 10, 10, 11), 59, "substantial impact"),
    ((10, 10, 10, 10, 10, 10), 60, "severe impact"),
    ((13, 13, 13, 13, 13, 13), 78, "severe impact"),
]


@pytest.mark.parametrize(("answers", "total", "band"), HIT6_CASES)
def test_hit6_total_and_band_edges(answers: tuple[int, ...], total: int, band: str) -> None:
    result = score(_response(Instrument.HIT6, _numbered(answers)))
    assert (result.total, result.band) == (total, band)
    assert result.alerts == ()
    assert dict(result.subscores) == {}


# --- MIDAS (§2.2) -------------------------------------------------------------------------

MIDAS_CASES = [
    (0, "I (little or no disability)"),
    (5, "I (little or no disability)"),
    (6, "II (mild disability)"),
    (10, "II (mild disability)"),
    (11, "III (moderate disability)"),
    (20, "III (moderate disability)"),
    (21, "IV (severe disability)"),
    (90, "IV (severe disability)"),
]


@pytest.mark.parametrize(("total", "grade"), MIDAS_CASES)
def test_midas_grade_edges(total: int, grade: str) -> None:
    days = [total // 5 + (1 if i < total % 5 else 0) for i in range(5)]
    result = score(_response(Instrument.MIDAS, _numbered(days)))
    assert (result.total, result.band) == (total, grade)


def test_midas_a_and_b_are_context_not_score() -> None:
    answers = _numbered([1, 1, 1, 1, 1]) | {"A": 30, "B": 8}
    result = score(_response(Instrument.MIDAS, answers))
    assert result.total == 5
    assert result.band == "I (little or no disability)"
    assert dict(result.context) == {"A": 30, "B": 8}


def test_midas_without_a_and_b_has_no_context() -> None:
    assert dict(score(_response(Instrument.MIDAS, _numbered([0] * 5))).context) == {}


# --- PHQ-9 and its PHQ-2 (§2.3) -----------------------------------------------------------

PHQ9_CASES = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately severe"),
    (19, "moderately severe"),
    (20, "severe"),
    (27, "severe"),
]


@pytest.mark.parametrize(("total", "band"), PHQ9_CASES)
def test_phq9_band_edges(total: int, band: str) -> None:
    result = score(_phq9(total))
    assert (result.total, result.band) == (total, band)


def test_phq9_extremes() -> None:
    assert score(_response(Instrument.PHQ9, _numbered([0] * 9))).total == 0
    assert score(_response(Instrument.PHQ9, _numbered([3] * 9))).total == 27


def test_item9_zero_raises_no_alert() -> None:
    result = score(_response(Instrument.PHQ9, _numbered([1, 0, 0, 0, 0, 0, 0, 0, 0])))
    assert result.alerts == ()


def test_item9_one_alerts_even_with_a_minimal_total() -> None:
    result = score(_response(Instrument.PHQ9, _numbered([0, 0, 0, 0, 0, 0, 0, 0, 1])))
    assert (result.total, result.band) == (1, "minimal")
    assert result.alerts == (PHQ9_ITEM9_ALERT,)
    assert "whatever the total" in result.alerts[0]


def test_phq9_yields_its_phq2_from_items_1_and_2() -> None:
    result = score(_response(Instrument.PHQ9, _numbered([2, 1, 3, 3, 0, 0, 0, 0, 0])))
    phq2 = result.subscores[Instrument.PHQ2]
    assert (phq2.total, phq2.cut_off, phq2.positive, phq2.band) == (3, 3, True, "positive screen")
    assert set(result.subscores) == {Instrument.PHQ2}


def test_phq9_with_low_first_items_has_negative_phq2() -> None:
    result = score(_response(Instrument.PHQ9, _numbered([1, 1, 3, 3, 3, 3, 3, 3, 0])))
    assert result.band == "severe"
    phq2 = result.subscores[Instrument.PHQ2]
    assert (phq2.total, phq2.positive, phq2.band) == (2, False, "negative screen")


# --- GAD-7 and its GAD-2 (§2.4) -----------------------------------------------------------

GAD7_CASES = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "severe"),
    (21, "severe"),
]


@pytest.mark.parametrize(("total", "band"), GAD7_CASES)
def test_gad7_band_edges(total: int, band: str) -> None:
    result = score(_gad7(total))
    assert (result.total, result.band) == (total, band)
    assert result.alerts == ()


def test_gad7_yields_its_gad2() -> None:
    result = score(_response(Instrument.GAD7, _numbered([0, 2, 3, 3, 3, 3, 3])))
    gad2 = result.subscores[Instrument.GAD2]
    assert (gad2.total, gad2.positive) == (2, False)
    result = score(_response(Instrument.GAD7, _numbered([1, 2, 0, 0, 0, 0, 0])))
    gad2 = result.subscores[Instrument.GAD2]
    assert (gad2.total, gad2.positive) == (3, True)


# --- PHQ-2 and GAD-2 on their own ---------------------------------------------------------

SCREEN_CASES = [
    (Instrument.PHQ2, (0, 0), "negative screen"),
    (Instrument.PHQ2, (2, 0), "negative screen"),
    (Instrument.PHQ2, (2, 1), "positive screen"),
    (Instrument.PHQ2, (3, 3), "positive screen"),
    (Instrument.GAD2, (1, 1), "negative screen"),
    (Instrument.GAD2, (0, 3), "positive screen"),
]


@pytest.mark.parametrize(("instrument", "answers", "band"), SCREEN_CASES)
def test_two_item_screens_are_positive_from_3(
    instrument: Instrument, answers: tuple[int, int], band: str
) -> None:
    result = score(_response(instrument, _numbered(answers)))
    assert (result.total, result.band) == (sum(answers), band)


# --- bands as a whole ---------------------------------------------------------------------


@pytest.mark.parametrize("instrument", list(Instrument))
def test_bands_cover_each_range_without_gaps_or_overlaps(instrument: Instrument) -> None:
    bands = BANDS[instrument]
    for lower, upper in itertools.pairwise(bands):
        assert upper.lowest == lower.highest + 1
    assert all(b.lowest <= b.highest for b in bands)


def test_band_of_refuses_impossible_totals() -> None:
    with pytest.raises(InvalidInput, match="36 to 78"):
        band_of(Instrument.HIT6, 79)
    with pytest.raises(InvalidInput):
        band_of(Instrument.PHQ9, -1)


def test_every_instrument_scores() -> None:
    assert {r.instrument for r in map(score, _one_of_each())} == set(Instrument)


def _one_of_each() -> list[QuestionnaireResponse]:
    return [
        _response(Instrument.HIT6, _numbered([6] * 6)),
        _response(Instrument.MIDAS, _numbered([0] * 5)),
        _phq9(0),
        _response(Instrument.PHQ2, _numbered([0, 0])),
        _gad7(0),
        _response(Instrument.GAD2, _numbered([0, 0])),
    ]


# --- properties ---------------------------------------------------------------------------

phq9_answers = st.lists(st.integers(0, 3), min_size=9, max_size=9)


@given(phq9_answers)
def test_phq9_total_is_the_sum_of_its_items(answers: list[int]) -> None:
    result = score(_response(Instrument.PHQ9, _numbered(answers)))
    assert result.total == sum(answers)
    assert result.subscores[Instrument.PHQ2].total == answers[0] + answers[1]
    assert (PHQ9_ITEM9_ALERT in result.alerts) == (answers[8] > 0)


def _rank(result: Score) -> int:
    return [b.label for b in BANDS[result.instrument]].index(result.band)


@given(phq9_answers, phq9_answers)
def test_phq9_band_is_monotone_in_the_total(first: list[int], second: list[int]) -> None:
    a = score(_response(Instrument.PHQ9, _numbered(first)))
    b = score(_response(Instrument.PHQ9, _numbered(second)))
    if a.total <= b.total:
        assert _rank(a) <= _rank(b)
    else:
        assert _rank(a) >= _rank(b)


# --- minimal important change -------------------------------------------------------------


@pytest.mark.parametrize(
    ("follow_up", "verdict"),
    [
        (60 - 6, Verdict.IMPROVED),  # exactly −MIC counts
        (60 - 5, Verdict.NO_MEANINGFUL_CHANGE),
        (60, Verdict.NO_MEANINGFUL_CHANGE),
        (60 + 5, Verdict.NO_MEANINGFUL_CHANGE),
        (60 + 6, Verdict.WORSE),
    ],
)
def test_hit6_verdict_at_the_default_mic(follow_up: int, verdict: Verdict) -> None:
    result = change(_scored(Instrument.HIT6, 60), _scored(Instrument.HIT6, follow_up, LATER))
    assert HIT6_MIC == 6
    assert result.mic == HIT6_MIC
    assert result.difference == follow_up - 60
    assert result.verdict is verdict
    assert "§2.1" in result.mic_source


def test_hit6_mic_can_be_chosen() -> None:
    base, after = _scored(Instrument.HIT6, 66), _scored(Instrument.HIT6, 59, LATER)
    assert change(base, after).verdict is Verdict.IMPROVED
    tth = change(base, after, mic=HIT6_MIC_CHRONIC_TTH)
    assert (tth.verdict, tth.mic, tth.mic_source) == (
        Verdict.NO_MEANINGFUL_CHANGE,
        8.0,
        "given by the caller",
    )


@pytest.mark.parametrize(
    ("follow_up", "verdict"),
    [(10, Verdict.IMPROVED), (11, Verdict.NO_MEANINGFUL_CHANGE), (20, Verdict.WORSE)],
)
def test_phq9_verdict_at_5_points(follow_up: int, verdict: Verdict) -> None:
    result = change(score(_phq9(15)), score(_phq9(follow_up)))
    assert result.mic == PHQ9_MIC == 5
    assert result.verdict is verdict


@pytest.mark.parametrize(
    ("baseline", "follow_up", "mic", "verdict"),
    [
        (15, 12, 3.0, Verdict.IMPROVED),  # 20% of 15 = 3, exactly −3 counts
        (15, 13, 3.0, Verdict.NO_MEANINGFUL_CHANGE),
        (12, 10, 2.4, Verdict.NO_MEANINGFUL_CHANGE),  # −2 is short of 2.4
        (12, 9, 2.4, Verdict.IMPROVED),
        (2, 1, 1.0, Verdict.IMPROVED),  # 20% of 2 = 0.4, floored at 1 point
        (0, 1, 1.0, Verdict.WORSE),
    ],
)
def test_gad7_mic_is_20_percent_of_baseline_at_least_1(
    baseline: int, follow_up: int, mic: float, verdict: Verdict
) -> None:
    result = change(score(_gad7(baseline)), score(_gad7(follow_up)))
    assert result.mic == pytest.approx(mic)
    assert result.mic >= GAD7_MIC_FLOOR
    assert result.verdict is verdict


def test_gad7_fixed_mic_alternative() -> None:
    result = change(score(_gad7(10)), score(_gad7(8)), mic=1.5)
    assert (result.mic, result.verdict) == (1.5, Verdict.IMPROVED)


def test_midas_without_mic_is_insufficient_data() -> None:
    base = score(_response(Instrument.MIDAS, _numbered([5, 5, 5, 5, 5])))
    after = score(_response(Instrument.MIDAS, _numbered([1, 1, 1, 1, 1]), LATER))
    with pytest.raises(InsufficientData, match="mic="):
        change(base, after)
    result = change(base, after, mic=5)
    assert (result.difference, result.verdict) == (-20, Verdict.IMPROVED)


@pytest.mark.parametrize("instrument", [Instrument.PHQ2, Instrument.GAD2])
def test_two_item_screens_need_a_mic_too(instrument: Instrument) -> None:
    base = score(_response(instrument, _numbered([3, 3])))
    with pytest.raises(InsufficientData):
        change(base, base)


def test_changing_instrument_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        change(score(_phq9(10)), score(_gad7(5)))
    assert [p.field for p in caught.value.problems] == ["instrument"]


def test_follow_up_before_baseline_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"follow_up\.date"):
        change(_scored(Instrument.HIT6, 60, LATER), _scored(Instrument.HIT6, 50, DAY))


@pytest.mark.parametrize("mic", [0, -6, float("nan"), float("inf")])
def test_mic_must_be_a_positive_number(mic: float) -> None:
    with pytest.raises(InvalidInput, match="mic"):
        change(_scored(Instrument.HIT6, 60), _scored(Instrument.HIT6, 50), mic=mic)


# --- series and latest change -------------------------------------------------------------


def test_series_groups_by_instrument_and_sorts_by_date() -> None:
    responses = [
        _response(Instrument.PHQ9, _numbered(_spread(8, 9)), dt.date(2026, 5, 1)),
        _response(Instrument.HIT6, _numbered([10] * 6), dt.date(2026, 4, 1)),
        _response(Instrument.PHQ9, _numbered(_spread(16, 9)), dt.date(2026, 1, 1)),
        _response(Instrument.PHQ9, _numbered(_spread(12, 9)), dt.date(2026, 3, 1)),
    ]
    result = series(responses)
    assert set(result) == {Instrument.PHQ9, Instrument.HIT6}
    assert [s.total for s in result[Instrument.PHQ9]] == [16, 12, 8]
    assert [s.date.month for s in result[Instrument.PHQ9]] == [1, 3, 5]
    assert Instrument.PHQ2 not in result


def test_series_refuses_mixed_patients() -> None:
    with pytest.raises(InvalidInput, match="one patient"):
        series([_phq9(1), _response(Instrument.PHQ9, _numbered([0] * 9), patient_id=2)])


def test_latest_change_compares_first_and_last() -> None:
    responses = [
        _response(Instrument.PHQ9, _numbered(_spread(9, 9)), dt.date(2026, 5, 1)),
        _response(Instrument.PHQ9, _numbered(_spread(16, 9)), dt.date(2026, 1, 1)),
        _response(Instrument.PHQ9, _numbered(_spread(20, 9)), dt.date(2026, 3, 1)),
        _response(Instrument.HIT6, _numbered([13] * 6), dt.date(2026, 2, 1)),
    ]
    result = latest_change(responses, Instrument.PHQ9)
    assert result is not None
    assert (result.baseline.total, result.follow_up.total) == (16, 9)
    assert (result.difference, result.verdict) == (-7, Verdict.IMPROVED)


def test_latest_change_needs_two_responses() -> None:
    assert latest_change([], Instrument.PHQ9) is None
    assert latest_change([_phq9(10)], Instrument.PHQ9) is None
    assert latest_change([_phq9(10), _phq9(3)], Instrument.GAD7) is None


def test_latest_change_passes_a_mic_for_midas() -> None:
    responses = [
        _response(Instrument.MIDAS, _numbered([6, 6, 6, 6, 6]), DAY),
        _response(Instrument.MIDAS, _numbered([5, 5, 5, 5, 5]), LATER),
    ]
    with pytest.raises(InsufficientData):
        latest_change(responses, Instrument.MIDAS)
    result = latest_change(responses, Instrument.MIDAS, mic=5)
    assert result is not None
    assert result.verdict is Verdict.IMPROVED
