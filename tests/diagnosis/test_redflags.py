"""Worked cases for the SNNOOP10 red-flag screen and its effect on the diagnoses.

Any sign present means "refer first": a secondary cause must be excluded, so every "Not better
accounted for by another ICHD-3 diagnosis" criterion (1.1 E, 1.2 D, 1.3 D, 1.5 C, 2.x E, 2.4,
8.2 C) is unknown and no diagnosis is given until the clinician has excluded it.
"""

from __future__ import annotations

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    RED_FLAG_KEYS,
    assess,
    chronic_migraine,
    edit,
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
