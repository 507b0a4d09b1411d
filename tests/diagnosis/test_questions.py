"""Every intake field is asked as a question, in the same words wherever it is asked."""

from __future__ import annotations

from acurelief.diagnosis.intake import DrugClass, Intake
from acurelief.diagnosis.questions import PARTS, SECTIONS, question_of


def test_every_field_of_the_form_reads_as_a_question() -> None:
    names = [n for s in SECTIONS for n in s.fields()]
    assert len(names) == len(set(names)) > 40
    for name in names:
        asked = question_of(name)
        assert asked != name, name
        assert "_" not in asked, f"{name}: {asked}"


def test_every_part_of_the_intake_model_is_on_the_form() -> None:
    assert [s.key for s in SECTIONS] == list(Intake.model_fields)
    assert set(PARTS) == set(Intake.model_fields)


def test_a_range_upper_end_and_a_medication_row_are_asked_as_their_question() -> None:
    ranged = next(q for s in SECTIONS for q in s.questions if q.upto)
    assert question_of(ranged.upto or "") == ranged.question
    days = question_of(f"medication.{DrugClass.TRIPTAN.value}.days_per_month")
    months = question_of(f"medication.{DrugClass.TRIPTAN.value}.months")
    assert days.startswith("Triptans")
    assert "days a month" in days
    assert "how many months" in months


def test_a_whole_part_and_an_unknown_field() -> None:
    assert question_of("aura") == f"the part “{PARTS['aura'].title}”"
    assert question_of("no.such.field") == "no.such.field"
