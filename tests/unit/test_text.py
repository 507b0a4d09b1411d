"""The free-text rule of the domain: what a database can store, and only that."""

from __future__ import annotations

import datetime as dt

import pytest

from acurelief.domain import DiaryDay, Patient, Sex
from acurelief.domain.text import text_problem
from acurelief.errors import InvalidInput


@pytest.mark.parametrize("good", [None, "", "plain", "tab\there", "lines\r\nand\n", "Zoë ☂ 头痛"])
def test_ordinary_text_passes(good: str | None) -> None:
    assert text_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "where"),
    [("a\x00b", "U+0000 at position 2"), ("\x1f", "U+001F"), ("x\ud800", "U+D800")],
)
def test_controls_and_lone_surrogates_are_named_with_their_position(bad: str, where: str) -> None:
    message = text_problem(bad)
    assert message is not None
    assert where in message


def test_domain_objects_refuse_unstorable_text_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as diary:
        DiaryDay(patient_id=1, date=dt.date(2026, 1, 1), headache=False, notes="x\x00")
    assert [p.field for p in diary.value.problems] == ["notes"]
    with pytest.raises(InvalidInput) as patient:
        Patient(
            clinic_id=1,
            practitioner_id=None,
            name="A\x0bB",
            date_of_birth=dt.date(1980, 1, 1),
            sex=Sex.OTHER,
            time_zone="Europe/Berlin",
        )
    assert [p.field for p in patient.value.problems] == ["name"]
