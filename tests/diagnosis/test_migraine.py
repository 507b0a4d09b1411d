"""Worked cases for migraine: 1.1, 1.5.1, 1.2, 1.2.1, 1.5.2 and 1.3 (ICHD-3).

Each case starts from a complete, typical history (tests/diagnosis/histories.py) and changes
one thing. The expected outcome is read off the published criteria in
docs/ichd3-criteria.md, not off the classifier.
"""

from __future__ import annotations

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    assess,
    chronic_migraine,
    edit,
    find,
    migraine_with_aura,
    migraine_without_aura,
    minimal_aura,
    status,
    undecided,
)

# --- 1.1 Migraine without aura, and 1.5.1 when exactly one of A–D fails -----------------------


def test_typical_history_is_migraine_without_aura() -> None:
    a = assess(migraine_without_aura())
    assert a.codes == ("1.1",)
    (diagnosis,) = a.diagnoses
    assert diagnosis.code == "1.1"
    assert not diagnosis.probable
    assert diagnosis.check.status is Status.MET
    assert [part.label for part in diagnosis.check.parts] == [
        "1.1 A",
        "1.1 B",
        "1.1 C",
        "1.1 D",
        "1.1 E",
    ]
    assert diagnosis.check.lines()[0].startswith("[met] 1.1: Migraine without aura")


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        # 1.1 A "At least five attacks"; note 1: fewer than five → 1.5.1
        pytest.param({"migraine_like.lifetime_attacks": 5}, ("1.1",), id="A-5-attacks"),
        pytest.param({"migraine_like.lifetime_attacks": 4}, ("1.5.1",), id="A-4-attacks"),
        # 1.1 B "Headache attacks lasting 4–72 hours"
        pytest.param({"migraine_like.duration_hours_min": 4}, ("1.1",), id="B-shortest-4h"),
        pytest.param({"migraine_like.duration_hours_min": 3}, ("1.5.1",), id="B-shortest-3h"),
        pytest.param({"migraine_like.duration_hours_max": 72}, ("1.1",), id="B-longest-72h"),
        pytest.param({"migraine_like.duration_hours_max": 73}, ("1.5.1",), id="B-longest-73h"),
        # 1.1 C "at least two of the following four characteristics"
        pytest.param(
            {
                "migraine_like.location": "bilateral",
                "migraine_like.quality": "pressing",
                "migraine_like.aggravated_by_activity": False,
            },
            ("1.5.1",),
            id="C-only-intensity",
        ),
        pytest.param(
            {
                "migraine_like.location": "bilateral",
                "migraine_like.quality": "pressing",
            },
            ("1.1",),
            id="C-intensity-and-activity",
        ),
        # 1.1 D "1. nausea and/or vomiting 2. photophobia and phonophobia"
        pytest.param({"migraine_like.nausea": False}, ("1.5.1",), id="D-photophobia-alone"),
        pytest.param(
            {"migraine_like.nausea": False, "migraine_like.phonophobia": True},
            ("1.1",),
            id="D-photo-and-phonophobia",
        ),
        pytest.param(
            {"migraine_like.nausea": False, "migraine_like.vomiting": True},
            ("1.1",),
            id="D-vomiting",
        ),
        pytest.param(
            {
                "migraine_like.nausea": False,
                "migraine_like.photophobia": False,
                "migraine_like.phonophobia": True,
            },
            ("1.5.1",),
            id="D-phonophobia-alone",
        ),
    ],
)
def test_migraine_without_aura_criteria(changes: dict[str, object], codes: tuple[str, ...]) -> None:
    assert assess(edit(migraine_without_aura(), changes)).codes == codes


def test_four_attacks_is_probable_and_the_trace_says_why() -> None:
    a = assess(edit(migraine_without_aura(), {"migraine_like.lifetime_attacks": 4}))
    (diagnosis,) = a.diagnoses
    assert diagnosis.code == "1.5.1"
    assert diagnosis.probable
    assert status(a, "1.1 A") is Status.NOT_MET
    assert any(line.startswith("  [not met] 1.1 A") for line in diagnosis.check.lines())
    assert "1.1 A" in diagnosis.note


@pytest.mark.parametrize(
    ("age", "shortest", "longest", "codes"),
    [
        # 1.1 note 3: under 18 years attacks may last 2–72 hours
        pytest.param(12, 3, 24, ("1.1",), id="age-12-3h"),
        pytest.param(17, 2, 24, ("1.1",), id="age-17-2h"),
        pytest.param(17, 1.5, 24, ("1.5.1",), id="age-17-1.5h"),
        pytest.param(12, 3, 73, ("1.5.1",), id="age-12-73h"),
        pytest.param(18, 3, 24, ("1.5.1",), id="age-18-3h"),
        pytest.param(None, 3, 24, ("1.5.1",), id="age-unknown-3h"),
    ],
)
def test_children_may_have_attacks_from_two_hours(
    age: int | None, shortest: float, longest: float, codes: tuple[str, ...]
) -> None:
    history = edit(
        migraine_without_aura(),
        {"migraine_like.duration_hours_min": shortest, "migraine_like.duration_hours_max": longest},
    )
    assert assess(history, age=age).codes == codes


@pytest.mark.parametrize(
    ("changes", "unknown_letter"),
    [
        pytest.param({"migraine_like.lifetime_attacks": None}, "1.1 A", id="attacks-not-asked"),
        pytest.param(
            {"migraine_like.duration_hours_min": None, "migraine_like.duration_hours_max": None},
            "1.1 B",
            id="duration-not-asked",
        ),
        pytest.param(
            {"migraine_like.nausea": None, "migraine_like.vomiting": None},
            "1.1 D",
            id="nausea-not-asked",
        ),
    ],
)
def test_missing_answers_leave_migraine_unknown_not_failed(
    changes: dict[str, object], unknown_letter: str
) -> None:
    a = assess(edit(migraine_without_aura(), changes))
    assert status(a, unknown_letter) is Status.UNKNOWN
    assert status(a, "1.1") is Status.UNKNOWN
    assert "1.1" in undecided(a)
    assert a.codes == ()  # neither 1.1 nor 1.5.1: an unknown is not a failed criterion


def test_a_longest_attack_over_72_hours_fails_b_even_without_the_shortest() -> None:
    a = assess(
        edit(
            migraine_without_aura(),
            {"migraine_like.duration_hours_min": None, "migraine_like.duration_hours_max": 80},
        )
    )
    assert status(a, "1.1 B") is Status.NOT_MET
    assert a.codes == ("1.5.1",)


def test_one_unknown_pain_feature_does_not_matter_when_two_are_met() -> None:
    a = assess(edit(migraine_without_aura(), {"migraine_like.intensities": None}))
    assert status(a, "1.1 C3") is Status.UNKNOWN
    assert status(a, "1.1 C") is Status.MET
    assert a.codes == ("1.1",)


# --- 1.2 Migraine with aura, 1.2.1 typical aura, 1.5.2 ---------------------------------------


def test_typical_aura_history_is_migraine_with_typical_aura() -> None:
    a = assess(migraine_with_aura())
    assert a.codes == ("1.2.1",)
    assert status(a, "1.2") is Status.MET
    assert status(a, "1.2 C") is Status.MET


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        # 1.2 A "At least two attacks fulfilling criteria B and C"
        pytest.param({"aura.lifetime_attacks": 2}, ("1.2.1",), id="A-2-attacks"),
        pytest.param({"aura.lifetime_attacks": 1}, ("1.5.2",), id="A-1-attack"),
        # 1.2 B "fully reversible aura symptoms"
        pytest.param({"aura.fully_reversible": False}, ("1.5.2",), id="B-not-reversible"),
        # 1.2.1 B2 "no motor, brainstem or retinal symptoms"
        pytest.param({"aura.symptoms": ["speech_language"]}, ("1.2.1",), id="typical-speech"),
        pytest.param({"aura.symptoms": ["visual", "brainstem"]}, ("1.2",), id="brainstem"),
        pytest.param({"aura.symptoms": ["retinal"]}, ("1.2",), id="retinal"),
        pytest.param({"aura.symptoms": ["visual", "motor"]}, ("1.2",), id="motor"),
    ],
)
def test_migraine_with_aura_criteria(changes: dict[str, object], codes: tuple[str, ...]) -> None:
    assert assess(edit(migraine_with_aura(), changes)).codes == codes


@pytest.mark.parametrize(
    ("changes", "c3", "codes"),
    [
        # 1.2 C3 "each individual aura symptom lasts 5–60 minutes"
        pytest.param({"aura.longest_symptom_minutes": 60}, Status.MET, ("1.2.1",), id="60-min"),
        pytest.param({"aura.longest_symptom_minutes": 61}, Status.NOT_MET, ("1.5.2",), id="61-min"),
        pytest.param({"aura.shortest_symptom_minutes": 5}, Status.MET, ("1.2.1",), id="5-min"),
        pytest.param({"aura.shortest_symptom_minutes": 4}, Status.NOT_MET, ("1.5.2",), id="4-min"),
        # note 1: "Motor symptoms may last up to 72 hours"
        pytest.param(
            {"aura.symptoms": ["visual", "motor"], "aura.longest_symptom_minutes": 120},
            Status.MET,
            ("1.2",),
            id="motor-2h",
        ),
        pytest.param(
            {"aura.symptoms": ["visual", "motor"], "aura.longest_symptom_minutes": 72 * 60},
            Status.MET,
            ("1.2",),
            id="motor-72h",
        ),
    ],
)
def test_aura_symptom_duration(
    changes: dict[str, object], c3: Status, codes: tuple[str, ...]
) -> None:
    """With only three of six C characteristics, C3 alone decides 1.2 C."""
    a = assess(edit(minimal_aura(), changes))
    assert status(a, "1.2 C3") is c3
    assert a.codes == codes


def test_sixty_one_minutes_fails_c3_but_five_other_characteristics_still_give_c() -> None:
    a = assess(edit(migraine_with_aura(), {"aura.longest_symptom_minutes": 61}))
    assert status(a, "1.2 C3") is Status.NOT_MET
    assert status(a, "1.2 C") is Status.MET
    assert a.codes == ("1.2.1",)


def test_aura_reversibility_not_asked_is_unknown() -> None:
    a = assess(edit(migraine_with_aura(), {"aura.fully_reversible": None}))
    assert status(a, "1.2 B") is Status.UNKNOWN
    assert "1.2" in undecided(a)
    assert a.codes == ()


# --- 1.3 Chronic migraine ------------------------------------------------------------------


def _chronic(changes: dict[str, object]) -> tuple[str, ...]:
    return assess(edit(chronic_migraine(), changes)).codes


def test_typical_chronic_history_is_chronic_migraine() -> None:
    a = assess(chronic_migraine())
    assert "1.3" in a.codes
    assert not [c for c in a.codes if c.startswith(("1.5", "2."))]
    assert [part.status for part in find(a, "1.3").parts] == [Status.MET] * 4


@pytest.mark.parametrize(
    ("changes", "chronic"),
    [
        # 1.3 A "Headache … on ≥15 days/month for >3 months"
        pytest.param({"frequency.headache_days_per_month": 15}, True, id="A-15-days"),
        pytest.param({"frequency.headache_days_per_month": 14}, False, id="A-14-days"),
        pytest.param({"frequency.months": 4}, True, id="4-months"),
        pytest.param({"frequency.months": 3}, False, id="3-months"),
        # 1.3 C "On ≥8 days/month for >3 months, fulfilling … criteria C and D for 1.1"
        pytest.param({"frequency.migraine_like_days_per_month": 8}, True, id="C-8-days"),
        pytest.param({"frequency.migraine_like_days_per_month": 7}, False, id="C-7-days"),
        # 1.3 B "at least five attacks fulfilling criteria B–D for 1.1"
        pytest.param({"migraine_like.lifetime_attacks": 5}, True, id="B-5-attacks"),
        pytest.param({"migraine_like.lifetime_attacks": 4}, False, id="B-4-attacks"),
    ],
)
def test_chronic_migraine_boundaries(changes: dict[str, object], chronic: bool) -> None:
    codes = _chronic(changes)
    assert ("1.3" in codes) is chronic
    if not chronic and "migraine_like.lifetime_attacks" not in changes:
        assert codes == ("1.1",)  # the episodic attacks still fulfil 1.1


def test_chronic_migraine_months_not_asked_is_unknown() -> None:
    a = assess(edit(chronic_migraine(), {"frequency.months": None}))
    assert status(a, "1.3 A") is Status.UNKNOWN
    assert status(a, "1.3 C") is Status.UNKNOWN
    assert "1.3" in undecided(a)
    assert "1.3" not in a.codes


def test_chronic_migraine_history_may_come_from_attacks_with_aura() -> None:
    """1.3 B: five attacks fulfilling 1.1 B–D *or* 1.2 B and C."""
    history = edit(chronic_migraine(), {"migraine_like.lifetime_attacks": 2})
    history["aura"] = migraine_with_aura()["aura"]
    assert status(assess(history), "1.3 B") is Status.MET
    assert "1.3" in assess(history).codes


def test_chronic_migraine_history_pools_attacks_with_and_without_aura() -> None:
    """1.3 B: "at least five attacks fulfilling criteria B–D for 1.1 … and/or criteria B and C
    for 1.2": three attacks without aura and three with aura are six such attacks."""
    history = edit(chronic_migraine(), {"migraine_like.lifetime_attacks": 3})
    history["aura"] = edit(migraine_with_aura(), {"aura.lifetime_attacks": 3})["aura"]
    a = assess(history)
    assert status(a, "1.3 B") is Status.MET
    assert "1.3" in a.codes
