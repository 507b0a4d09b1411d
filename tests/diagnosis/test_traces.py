"""What a trace says (issue 9, goal 6): an unanswered value reads "unknown", never "None"; the
1.2.1 trace shows the aura criteria (1.2 B and C under 1.2.1 A, and 1.2.1 B1–B2), each met,
not met or unknown."""

from __future__ import annotations

import pytest

from acurelief.diagnosis.classify import Assessment
from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    History,
    assess,
    chronic_migraine,
    edit,
    find,
    frequent_tth,
    migraine_with_aura,
    migraine_without_aura,
    status,
)


def every_line(a: Assessment) -> list[str]:
    checks = [*a.traces, *(d.check for d in a.diagnoses), *(u.check for u in a.undecided)]
    return [line for c in checks for line in c.lines()] + [a.red_flags.advice()]


PARTIAL: list[History] = [
    {},
    {"migraine_like": {"lifetime_attacks": 12}},
    {"tension_like": {"location": "bilateral"}, "frequency": {"headache_days_per_month": 20}},
    {"aura": {"symptoms": ["visual"]}, "medication": {"triptan": {"days_per_month": 12}}},
    {"menstrual": {"cycles_documented": 3, "cycles_with_attack_in_window": 2}},
    edit(chronic_migraine(), {"frequency.months": None, "migraine_like.duration_hours_max": None}),
]


@pytest.mark.parametrize("history", PARTIAL)
def test_no_trace_line_says_none(history: History) -> None:
    lines = every_line(assess(history))
    assert not [line for line in lines if "None" in line]


def test_an_unanswered_duration_reads_unknown() -> None:
    a = assess(edit(migraine_without_aura(), {"migraine_like.duration_hours_max": None}))
    assert find(a, "1.1 B").evidence == "6–unknown h"
    tth = assess(edit(frequent_tth(), {"tension_like.duration_hours_min": None}))
    assert find(tth, "2.2 B").evidence == "unknown–8 h"


def test_the_1_2_1_trace_shows_its_aura_criteria() -> None:
    a = assess(migraine_with_aura())
    (diagnosis,) = a.diagnoses
    assert diagnosis.code == "1.2.1"
    labels = [line.split("] ", 1)[1].split(":", 1)[0] for line in diagnosis.check.lines()]
    for label in ("1.2.1 A", "1.2 B", "1.2 C", "1.2 C3", "1.2 C6", "1.2.1 B", "1.2.1 B1"):
        assert label in labels, label
    assert "1.2.1 B2" in labels
    assert status(a, "1.2.1 B1") is Status.MET
    assert status(a, "1.2.1 B2") is Status.MET


@pytest.mark.parametrize(
    ("symptoms", "b1", "b2", "code"),
    [
        pytest.param(["visual", "motor"], Status.MET, Status.NOT_MET, "1.2", id="motor"),
        pytest.param(["retinal"], Status.NOT_MET, Status.NOT_MET, "1.2", id="retinal-only"),
        pytest.param(["speech_language"], Status.MET, Status.MET, "1.2.1", id="speech"),
    ],
)
def test_1_2_1_b_at_its_boundaries(symptoms: list[str], b1: Status, b2: Status, code: str) -> None:
    a = assess(edit(migraine_with_aura(), {"aura.symptoms": symptoms}))
    assert status(a, "1.2.1 B1") is b1
    assert status(a, "1.2.1 B2") is b2
    assert a.codes == (code,)


def test_unknown_aura_symptoms_leave_1_2_1_b_unknown() -> None:
    a = assess(edit(migraine_with_aura(), {"aura.symptoms": None}))
    assert status(a, "1.2.1 B1") is Status.UNKNOWN
    assert status(a, "1.2.1 B2") is Status.UNKNOWN
    assert find(a, "1.2.1 B2").evidence == "aura symptoms unknown"
