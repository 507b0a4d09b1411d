"""Questionnaire answers: allowed values per item, required items, unknown items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest

from acurelief.domain.questionnaire import Instrument, QuestionnaireResponse
from acurelief.errors import InvalidInput

PHQ9_OK = {str(i): 1 for i in range(1, 10)}
MIDAS_OK = {str(i): 2 for i in range(1, 6)}


def _response(instrument: Instrument, answers: Mapping[str, object]) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        patient_id=1,
        instrument=instrument,
        date=dt.date(2026, 6, 14),
        answers=answers,  # type: ignore[arg-type]
    )


def _refused(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        _response(instrument, answers)
    return {p.field: p.message for p in caught.value.problems}


HIT6_TABLE = [(v, True) for v in (6, 8, 10, 11, 13)] + [(v, False) for v in (0, 7, 9, 12, 14)]


@pytest.mark.parametrize(("value", "ok"), HIT6_TABLE)
def test_hit6_answers_are_one_of_the_five_scores(value: int, ok: bool) -> None:
    answers = {str(i): 6 for i in range(1, 7)} | {"3": value}
    if ok:
        assert _response(Instrument.HIT6, answers).answers["3"] == value
    else:
        assert _refused(Instrument.HIT6, answers) == {
            "answers.3": "must be one of 6, 8, 10, 11, 13"
        }


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (3, True), (4, False)])
def test_phq9_items_from_0_to_3(value: int, ok: bool) -> None:
    answers = PHQ9_OK | {"9": value}
    if ok:
        assert _response(Instrument.PHQ9, answers).answers["9"] == value
    else:
        assert _refused(Instrument.PHQ9, answers) == {"answers.9": "must be from 0 to 3"}


def test_phq9_names_every_missing_item() -> None:
    answers = {k: v for k, v in PHQ9_OK.items() if k not in ("2", "7")}
    assert _refused(Instrument.PHQ9, answers) == {
        "answers.2": "is required",
        "answers.7": "is required",
    }


def test_unknown_item_is_refused_by_name() -> None:
    assert set(_refused(Instrument.PHQ9, PHQ9_OK | {"10": 1})) == {"answers.10"}


@pytest.mark.parametrize("value", [True, 1.0])
def test_answers_must_be_whole_numbers_not_bools_or_floats(value: object) -> None:
    # Like pain and mood ratings, True and 1.0 must not pass as the answer 1.
    assert set(_refused(Instrument.PHQ9, PHQ9_OK | {"4": value})) == {"answers.4"}


def test_midas_a_and_b_are_optional() -> None:
    assert dict(_response(Instrument.MIDAS, MIDAS_OK).answers) == MIDAS_OK


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (10, True), (11, False)])
def test_midas_b_from_0_to_10(value: int, ok: bool) -> None:
    answers = MIDAS_OK | {"A": 30, "B": value}
    if ok:
        assert _response(Instrument.MIDAS, answers).answers["B"] == value
    else:
        assert set(_refused(Instrument.MIDAS, answers)) == {"answers.B"}


@pytest.mark.parametrize(("value", "ok"), [(92, True), (93, False)])
def test_midas_days_at_most_92(value: int, ok: bool) -> None:
    answers = MIDAS_OK | {"1": value}
    if ok:
        assert _response(Instrument.MIDAS, answers).answers["1"] == value
    else:
        assert set(_refused(Instrument.MIDAS, answers)) == {"answers.1"}


def test_answers_are_a_read_only_copy() -> None:
    answers = dict(PHQ9_OK)
    response = _response(Instrument.PHQ9, answers)
    answers["1"] = 3
    assert response.answers["1"] == 1
    with pytest.raises(TypeError):
        response.answers["1"] = 2  # type: ignore[index]
