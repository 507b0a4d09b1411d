"""Worked cases for the SNNOOP10 red-flag screen and its effect on the diagnoses.

Any sign present means "refer first": a secondary cause must be excluded, so every "Not better
accounted for by another ICHD-3 diagnosis" criterion (1.1 E, 1.2 D, 1.3 D, 1.5 C, 2.x E, 2.4,
8.2 C) is unknown and no diagnosis is given until the clinician has excluded it. The one
exception is painkiller overuse when the medication answers fulfil 8.2: it still refers, and
8.2.x is coded with the primary headache beside it (docs/ichd3-criteria.md, decision table).
"""

from __future__ import annotations

import pytest

from acurelief.diagnosis.logic import Status
from acurelief.diagnosis.redflags import RedFlag, check_against_age
from acurelief.errors import InvalidInput
from tests.diagnosis.histories import (
    RED_FLAG_KEYS,
    assess,
    chronic_migraine,
    chronic_tth,
    edit,
    find,
    frequent_tth,
    medication,
    migraine_with_aura,
    migraine_without_aura,
    no_red_flags,
    status,
    undecided,
)


@pytest.mark.parametrize("flag", RED_FLAG_KEYS)
def test_any_red_flag_means_refer_and_no_definite_diagnosis(flag: str) -> None:
    a = assess(edit(migraine_without_aura(), {f"red_flags.{flag}": True}))
    assert a.refer
    assert a.red_flags.refer
    assert [f.value for f in a.red_flags.present] == [flag]
    assert a.red_flags.not_screened == ()
    assert a.red_flags.advice().startswith("Refer before treating:")
    assert status(a, "1.1 E") is Status.UNKNOWN
    assert "1.1" in undecided(a)
    assert a.codes == ()


def test_no_flags_asked_lists_all_fifteen_as_not_screened() -> None:
    history = migraine_without_aura()
    del history["red_flags"]
    a = assess(history)
    assert not a.refer
    assert a.red_flags.present == ()
    assert [f.value for f in a.red_flags.not_screened] == list(RED_FLAG_KEYS)
    assert "15 not yet screened" in a.red_flags.advice()


def test_all_flags_asked_and_absent() -> None:
    a = assess(migraine_without_aura())
    assert not a.refer
    assert a.red_flags.present == ()
    assert a.red_flags.not_screened == ()
    assert a.red_flags.advice() == "No red flags (all SNNOOP10 signs screened)."
    assert status(a, "1.1 E") is Status.MET


def test_partly_screened_names_what_is_left() -> None:
    asked = dict.fromkeys(RED_FLAG_KEYS[:5], False)
    a = assess(edit(migraine_without_aura(), {"red_flags": asked}))
    assert not a.refer
    assert [f.value for f in a.red_flags.not_screened] == list(RED_FLAG_KEYS[5:])
    assert "10 not yet screened" in a.red_flags.advice()


def test_two_flags_are_both_reported() -> None:
    a = assess(
        edit(
            migraine_without_aura(),
            {"red_flags.sudden_onset": True, "red_flags.papilloedema": True},
        )
    )
    assert [f.value for f in a.red_flags.present] == ["sudden_onset", "papilloedema"]
    advice = a.red_flags.advice()
    assert "thunderclap" in advice
    assert "Papilloedema" in advice


def test_a_red_flag_leaves_every_not_better_accounted_criterion_unknown() -> None:
    history = edit(chronic_migraine(), {"red_flags.neurological_deficit": True})
    history["aura"] = migraine_with_aura()["aura"]
    history["tension_like"] = frequent_tth()["tension_like"]
    history["frequency"]["tension_like_days_per_month"] = 8
    a = assess(history)
    for label in ("1.1 E", "1.2 D", "1.3 D", "2.1 E", "2.2 E", "2.3 E"):
        assert status(a, label) is Status.UNKNOWN, label
    assert {"1.1", "1.2", "1.3"} <= undecided(a)
    assert a.codes == ()


@pytest.mark.parametrize(
    ("changes", "probable"),
    [
        pytest.param({"migraine_like.lifetime_attacks": 4}, "1.5.1", id="1.5.1"),
        pytest.param({"migraine_like.duration_hours_min": 3}, "1.5.1", id="1.5.1-short"),
    ],
)
def test_a_red_flag_also_withholds_probable_migraine(
    changes: dict[str, object], probable: str
) -> None:
    """1.5 C: "Not better accounted for by another ICHD-3 diagnosis" — unknown while a red
    flag asks for a secondary cause to be excluded."""
    base = edit(migraine_without_aura(), changes)
    assert assess(base).codes == (probable,)
    flagged = assess(edit(base, {"red_flags.sudden_onset": True}))
    assert flagged.refer
    assert flagged.codes == ()


def test_a_red_flag_also_withholds_probable_tension_type_headache() -> None:
    base = edit(frequent_tth(), {"tension_like.vomiting": True})
    assert assess(base).codes == ("2.4.2",)
    flagged = assess(edit(base, {"red_flags.systemic_symptoms": True}))
    assert flagged.codes == ()


def test_a_red_flag_also_withholds_medication_overuse_headache() -> None:
    """8.2 C: "Not better accounted for by another ICHD-3 diagnosis"."""
    history = edit(
        chronic_migraine(),
        {
            "red_flags.neurological_deficit": True,
            "frequency.acute_medication_days_per_month": 12,
        },
    )
    history["medication"] = medication(months=8, triptan=12)
    a = assess(history)
    assert a.refer
    assert a.codes == ()


def test_flags_answered_no_do_not_refer() -> None:
    history = edit(frequent_tth(), {"red_flags": no_red_flags()})
    assert not assess(history).refer


# Goal 6 of issue 9: the painkiller-overuse sign points to 8.2 itself. ICHD-3 codes 8.2 beside
# the pre-existing primary headache (8.2 "coded elsewhere"; 1.3 + 8.2 both; 2.3 + 8.2 "in all
# such cases"), so a "yes" still refers but keeps 8.2.x and the headache it complicates.
OVERUSE = "painkiller_overuse_or_new_drug"


def chronic_migraine_with_triptan_overuse() -> dict[str, object]:
    history = edit(chronic_migraine(), {"frequency.acute_medication_days_per_month": 12})
    history["medication"] = medication(months=8, triptan=12)
    return history


def test_painkiller_overuse_refers_and_keeps_8_2_and_chronic_migraine() -> None:
    history = chronic_migraine_with_triptan_overuse()
    assert assess(history).codes == ("1.3", "8.2.2")
    a = assess(edit(history, {f"red_flags.{OVERUSE}": True}))
    assert a.refer
    assert a.red_flags.advice().startswith("Refer before treating:")
    assert a.codes == ("1.3", "8.2.2")
    assert status(a, "8.2 C") is Status.MET
    assert status(a, "1.3 D") is Status.MET
    assert "8.2" in find(a, "1.3 D").evidence


def test_painkiller_overuse_keeps_chronic_tension_type_headache_and_8_2_3() -> None:
    history = edit(
        chronic_tth(),
        {f"red_flags.{OVERUSE}": True, "frequency.acute_medication_days_per_month": 16},
    )
    history["medication"] = medication(months=12, simple_analgesic=16)
    a = assess(history)
    assert a.refer
    assert a.codes == ("2.3", "8.2.3")


def test_painkiller_overuse_one_day_short_of_8_2_withholds_every_code() -> None:
    """Triptans on 9 days (< 10): no 8.2 explains the "yes", which may mean a new drug at
    onset, so a secondary cause must be excluded first, as for any other sign."""
    history = edit(chronic_migraine_with_triptan_overuse(), {f"red_flags.{OVERUSE}": True})
    history["medication"] = medication(months=8, triptan=9)
    a = assess(history)
    assert a.refer
    assert a.codes == ()
    assert status(a, "1.3 D") is Status.UNKNOWN
    assert "1.3" in undecided(a)


def test_painkiller_overuse_with_another_sign_withholds_8_2_too() -> None:
    history = edit(
        chronic_migraine_with_triptan_overuse(),
        {f"red_flags.{OVERUSE}": True, "red_flags.papilloedema": True},
    )
    a = assess(history)
    assert a.refer
    assert a.codes == ()
    assert status(a, "8.2 C") is Status.UNKNOWN


# "Onset after 50" cannot be true of a patient not yet 50: a contradiction, never a flag.
@pytest.mark.parametrize(("age", "present"), [(24, False), (49, False), (50, True), (None, True)])
def test_onset_after_50_is_checked_against_the_age(age: int | None, present: bool) -> None:
    a = assess(edit(migraine_without_aura(), {"red_flags.onset_after_50": True}), age=age)
    assert a.refer is present
    assert (RedFlag.OLDER_AGE_ONSET in a.red_flags.present) is present
    assert (a.red_flags.contradicted == (RedFlag.OLDER_AGE_ONSET,)) is not present
    if present:
        assert a.codes == ()
    else:
        assert a.codes == ("1.1",)
        assert RedFlag.OLDER_AGE_ONSET in a.red_flags.not_screened
        assert "Contradiction: “Onset after 50 years of age”" in a.red_flags.advice()
        assert "younger than 50" in a.red_flags.advice()


def test_onset_after_50_answered_no_is_no_contradiction_at_24() -> None:
    a = assess(migraine_without_aura(), age=24)
    assert a.red_flags.contradicted == ()
    assert "Contradiction" not in a.red_flags.advice()


def test_saving_onset_after_50_for_a_patient_under_50_names_the_field() -> None:
    answers = {RedFlag.OLDER_AGE_ONSET: True}
    with pytest.raises(InvalidInput) as caught:
        check_against_age(answers, 49)
    (problem,) = caught.value.problems
    assert problem.field == "red_flags.onset_after_50"
    assert "younger than 50" in problem.message
    check_against_age(answers, 50)
    check_against_age(answers, None)
    check_against_age({RedFlag.OLDER_AGE_ONSET: False}, 24)
