"""Worked cases: a code the answers neither give nor rule out is listed as undecided, with the
answers that would decide it (issue 9, goal 6). A probable diagnosis (1.5, 2.4: all lettered
criteria but one) that fails only because an answer is missing is one of them.
"""

from __future__ import annotations

from acurelief.diagnosis.classify import Assessment, Undecided
from acurelief.diagnosis.migraine import MEDICAL_ASSESSMENT
from tests.diagnosis.histories import (
    assess,
    edit,
    frequent_tth,
    migraine_with_aura,
    migraine_without_aura,
)


def open_code(a: Assessment, code: str) -> Undecided:
    (found,) = [u for u in a.undecided if u.code == code]
    return found


def test_probable_migraine_blocked_by_an_unknown_duration_is_undecided() -> None:
    """4 attacks (1.1 A not met) and the duration unanswered: 1.5.1 if B holds."""
    history = edit(
        migraine_without_aura(),
        {
            "migraine_like.lifetime_attacks": 4,
            "migraine_like.duration_hours_min": None,
            "migraine_like.duration_hours_max": None,
        },
    )
    a = assess(history)
    assert a.codes == ()
    u = open_code(a, "1.5.1")
    assert u.missing == ("migraine_like.duration_hours_min", "migraine_like.duration_hours_max")
    assert "but 1.1 A" in u.note
    assert "1.1" not in {x.code for x in a.undecided}  # 1.1 itself is ruled out by A


def test_a_known_duration_decides_it_either_way() -> None:
    four = edit(migraine_without_aura(), {"migraine_like.lifetime_attacks": 4})
    assert assess(four).codes == ("1.5.1",)
    short = edit(four, {"migraine_like.duration_hours_min": 3})  # A and B fail: two letters
    a = assess(short)
    assert a.codes == ()
    assert "1.5.1" not in {u.code for u in a.undecided}


def test_two_failed_letters_and_an_unknown_one_is_not_undecided() -> None:
    history = edit(
        migraine_without_aura(),
        {
            "migraine_like.lifetime_attacks": 4,
            "migraine_like.duration_hours_min": 3,
            "migraine_like.nausea": None,
        },
    )
    assert "1.5.1" not in {u.code for u in assess(history).undecided}


def test_probable_tension_type_headache_blocked_by_an_unknown_answer_is_undecided() -> None:
    """2.2 D fails (vomiting); the episode count is unanswered: 2.4.2 if A holds."""
    history = edit(
        frequent_tth(), {"tension_like.vomiting": True, "tension_like.lifetime_attacks": None}
    )
    a = assess(history)
    assert a.codes == ()
    assert open_code(a, "2.4.2").missing == ("tension_like.lifetime_attacks",)


def test_probable_migraine_with_aura_blocked_by_unknown_aura_answers_is_undecided() -> None:
    """1 attack (1.2 A needs 2); C has 2 of 6 met and the rest unanswered: 1.5.2 if C holds."""
    history = edit(
        migraine_with_aura(),
        {
            "aura.lifetime_attacks": 1,
            "aura.spreads_gradually": None,
            "aura.symptoms_in_succession": None,
            "aura.unilateral": None,
            "aura.positive_symptoms": None,
        },
    )
    a = assess(history)
    u = open_code(a, "1.5.2")
    assert u.missing == (
        "aura.spreads_gradually",
        "aura.symptoms_in_succession",
        "aura.unilateral",
        "aura.positive_symptoms",
    )


def test_a_red_flag_leaves_probable_migraine_undecided_pending_assessment() -> None:
    history = edit(
        migraine_without_aura(),
        {"migraine_like.lifetime_attacks": 4, "red_flags.sudden_onset": True},
    )
    a = assess(history)
    assert a.codes == ()
    assert open_code(a, "1.5.1").missing == (MEDICAL_ASSESSMENT,)


def test_a_definite_diagnosis_leaves_no_probable_undecided() -> None:
    """2.2 is met; a probable migraine could not be coded beside it (definite beats probable)."""
    history = edit(frequent_tth(), {"frequency.tension_like_days_per_month": 6})
    history["migraine_like"] = edit(
        migraine_without_aura(),
        {"migraine_like.lifetime_attacks": 4, "migraine_like.duration_hours_min": None},
    )["migraine_like"]
    a = assess(history)
    assert "2.2" in a.codes
    assert not [u for u in a.undecided if u.code.startswith(("1.5", "2.4"))]


def test_every_undecided_definite_code_names_its_missing_answers() -> None:
    history = edit(migraine_without_aura(), {"migraine_like.nausea": None})
    a = assess(history)
    assert open_code(a, "1.1").missing == ("migraine_like.nausea",)
    blank = assess({})
    assert blank.undecided
    for u in blank.undecided:
        assert u.missing, u.code


def test_probable_migraine_from_a_failed_tension_type_section_is_undecided() -> None:
    """Entered as tension-like: the same rule, with the fields of the section used."""
    attacks = edit(
        migraine_without_aura(),
        {"migraine_like.lifetime_attacks": 4, "migraine_like.vomiting": None},
    )["migraine_like"]
    attacks["nausea"] = None
    history = edit(frequent_tth(), {"tension_like": attacks})
    a = assess(history)
    assert open_code(a, "1.5.1").missing == ("tension_like.nausea", "tension_like.vomiting")
