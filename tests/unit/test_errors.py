"""The exception family: how problems are collected, nested and reported."""

from __future__ import annotations

import pytest

from acurelief.errors import AcureliefError, FieldProblem, InvalidInput, NotFound, Problems


def _build(value: int) -> int:
    if value < 0:
        raise InvalidInput([FieldProblem("value", "must be 0 or more"), FieldProblem("x", "bad")])
    return value * 2


def test_invalid_input_needs_at_least_one_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        InvalidInput([])


def test_invalid_input_message_names_every_problem_after_where() -> None:
    exc = InvalidInput([FieldProblem("a", "too big"), FieldProblem("b", "missing")], where="diary")
    assert str(exc) == "diary: a: too big; b: missing"
    assert isinstance(exc, AcureliefError)


def test_single_builds_one_problem() -> None:
    assert InvalidInput.single("mood", "bad").problems == (FieldProblem("mood", "bad"),)


def test_nested_prefixes_every_field_and_keeps_messages_and_where() -> None:
    exc = InvalidInput([FieldProblem("pain", "p"), FieldProblem("mood", "m")], where="session")
    nested = exc.nested("before")
    assert nested.problems == (FieldProblem("before.pain", "p"), FieldProblem("before.mood", "m"))
    assert nested.where == "session"
    assert exc.problems[0].field == "pain"  # the original is unchanged


def test_raise_if_any_is_silent_without_problems() -> None:
    Problems().raise_if_any()


def test_raise_if_any_reports_all_problems_in_order() -> None:
    problems = Problems()
    problems.add("a", "one")
    problems.extend([FieldProblem("b", "two"), FieldProblem("c", "three")])
    with pytest.raises(InvalidInput) as caught:
        problems.raise_if_any(where="form")
    assert [p.field for p in caught.value.problems] == ["a", "b", "c"]
    assert caught.value.where == "form"


def test_attempt_returns_the_built_value_and_records_nothing() -> None:
    problems = Problems()
    assert problems.attempt("item", _build, value=4) == 8
    problems.raise_if_any()


def test_attempt_returns_none_and_records_nested_problems() -> None:
    problems = Problems()
    assert problems.attempt("items.2", _build, value=-1) is None
    with pytest.raises(InvalidInput) as caught:
        problems.raise_if_any()
    assert [p.field for p in caught.value.problems] == ["items.2.value", "items.2.x"]


def test_attempt_lets_other_errors_through() -> None:
    with pytest.raises(TypeError):
        Problems().attempt("item", _build, wrong=1)


def test_not_found_keeps_what_and_key() -> None:
    exc = NotFound("patient", 7)
    assert (exc.what, exc.key, str(exc)) == ("patient", 7, "patient 7 not found")
