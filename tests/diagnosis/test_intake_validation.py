"""Malformed or contradictory histories are refused, and every problem names its field.

``parse_intake`` raises ``InvalidInput``; each problem's ``field`` is the dotted path of the
answer to fix, so a form can point at it.
"""

from __future__ import annotations

import pytest

from acurelief.diagnosis.intake import Intake, parse_intake
from acurelief.errors import FieldProblem, InvalidInput
from tests.diagnosis.histories import (
    History,
    chronic_migraine,
    edit,
    frequent_tth,
    menstrual_migraine,
    migraine_with_aura,
    migraine_without_aura,
)


def problems(history: History) -> list[FieldProblem]:
    with pytest.raises(InvalidInput) as caught:
        parse_intake(history)
    assert caught.value.problems
    return list(caught.value.problems)


def refused(history: History) -> list[str]:
    return [problem.field for problem in problems(history)]


def names(problem: FieldProblem, path: str) -> bool:
    """Whether the problem points at ``path``: its field is the path or lies below it (a list
    index, an unknown key), or — for a rule across fields — its field is the parent and its
    message names the answer."""
    if problem.field == path or problem.field.startswith(f"{path}."):
        return True
    parent, _, leaf = path.rpartition(".")
    return problem.field == parent and leaf in problem.message


@pytest.mark.parametrize(
    "history",
    [
        pytest.param(migraine_without_aura(), id="migraine"),
        pytest.param(migraine_with_aura(), id="aura"),
        pytest.param(chronic_migraine(), id="chronic-migraine"),
        pytest.param(frequent_tth(), id="tension-type"),
        pytest.param(menstrual_migraine(), id="menstrual"),
        pytest.param({}, id="empty"),
    ],
)
def test_well_formed_histories_are_accepted(history: History) -> None:
    assert isinstance(parse_intake(history), Intake)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # wrong types
        pytest.param({"migraine_like.nausea": "yes"}, "migraine_like.nausea", id="yes-for-bool"),
        pytest.param({"migraine_like.nausea": 1}, "migraine_like.nausea", id="1-for-bool"),
        pytest.param(
            {"migraine_like.lifetime_attacks": 3.5},
            "migraine_like.lifetime_attacks",
            id="3.5-attacks",
        ),
        pytest.param(
            {"migraine_like.lifetime_attacks": "12"},
            "migraine_like.lifetime_attacks",
            id="text-attacks",
        ),
        pytest.param(
            {"migraine_like.location": "left"}, "migraine_like.location", id="unknown-location"
        ),
        pytest.param(
            {"migraine_like.intensities": ["unbearable"]},
            "migraine_like.intensities",
            id="unknown-intensity",
        ),
        pytest.param(
            {"medication.triptan.days_per_month": True},
            "medication.triptan.days_per_month",
            id="bool-for-days",
        ),
        pytest.param(
            {"frequency.acute_medication_days_per_month": "12"},
            "frequency.acute_medication_days_per_month",
            id="text-for-days",
        ),
        pytest.param(
            {"aura.longest_symptom_minutes": False},
            "aura.longest_symptom_minutes",
            id="bool-for-minutes",
        ),
        # negative counts and impossible numbers
        pytest.param(
            {"migraine_like.lifetime_attacks": -1},
            "migraine_like.lifetime_attacks",
            id="negative-attacks",
        ),
        pytest.param({"frequency.months": -2}, "frequency.months", id="negative-months"),
        pytest.param(
            {"frequency.headache_days_per_month": -1},
            "frequency.headache_days_per_month",
            id="negative-days",
        ),
        pytest.param(
            {"frequency.headache_days_per_month": 32, "frequency.migraine_like_days_per_month": 3},
            "frequency.headache_days_per_month",
            id="32-days-a-month",
        ),
        pytest.param(
            {"medication.triptan.days_per_month": 31.5},
            "medication.triptan.days_per_month",
            id="31.5-medication-days",
        ),
        pytest.param(
            {"migraine_like.duration_hours_min": -1},
            "migraine_like.duration_hours_min",
            id="negative-duration",
        ),
        # contradictions
        pytest.param(
            {"frequency.migraine_like_days_per_month": 4},
            "frequency.migraine_like_days_per_month",
            id="more-migraine-than-headache-days",
        ),
        pytest.param(
            {"frequency.tension_like_days_per_month": 4},
            "frequency.tension_like_days_per_month",
            id="more-tension-than-headache-days",
        ),
        pytest.param(
            {"migraine_like.duration_hours_min": 30},
            ("migraine_like.duration_hours_min", "migraine_like.duration_hours_max"),
            id="shortest-above-longest",
        ),
        pytest.param(
            {"menstrual.cycles_with_attack_in_window": 4},
            "menstrual.cycles_with_attack_in_window",
            id="more-cycles-with-attack-than-documented",
        ),
        pytest.param(
            {"migraine_like.nausea": False, "migraine_like.nausea_severity": "mild"},
            "migraine_like.nausea_severity",
            id="nausea-severity-without-nausea",
        ),
        # unknown names
        pytest.param(
            {"medication.aspirin": {"days_per_month": 3, "months": 6}},
            "medication.aspirin",
            id="unknown-medication-class",
        ),
        pytest.param(
            {"red_flags.fever_and_chills": True}, "red_flags.fever_and_chills", id="unknown-flag"
        ),
        pytest.param({"red_flags.sudden_onset": "yes"}, "red_flags.sudden_onset", id="flag-yes"),
        pytest.param({"diagnosis": "migraine"}, "diagnosis", id="unknown-top-level-key"),
        pytest.param({"migraine_like.aura": True}, "migraine_like.aura", id="unknown-nested-key"),
    ],
)
def test_malformed_history_is_refused_naming_the_field(
    changes: dict[str, object], field: str | tuple[str, ...]
) -> None:
    """Exactly one problem, and it names the answer (for a pair out of order, either one)."""
    found = problems(edit(menstrual_migraine(), changes))
    accepted = (field,) if isinstance(field, str) else field
    assert len(found) == 1, found
    assert any(names(found[0], path) for path in accepted), found


def test_every_problem_is_reported_at_once() -> None:
    history = edit(
        frequent_tth(),
        {
            "tension_like.nausea": "yes",
            "tension_like.lifetime_attacks": -3,
            "frequency.months": 2.5,
        },
    )
    assert sorted(refused(history)) == [
        "frequency.months",
        "tension_like.lifetime_attacks",
        "tension_like.nausea",
    ]


def test_aura_shortest_symptom_above_longest_is_refused() -> None:
    (found,) = problems(edit(migraine_with_aura(), {"aura.shortest_symptom_minutes": 40}))
    assert names(found, "aura.shortest_symptom_minutes")


def test_a_missing_medication_day_count_is_refused() -> None:
    assert refused(edit(migraine_without_aura(), {"medication.ergot": {"months": 6}})) == [
        "medication.ergot.days_per_month"
    ]


def test_the_history_must_be_an_object() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_intake(["migraine"])
    assert [p.field for p in caught.value.problems] == ["intake"]
