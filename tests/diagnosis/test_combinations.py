"""Worked cases for patients with more than one headache: which codes are given together.

Rules (docs/ichd3-criteria.md, "General rules for more than one diagnosis"): each distinct type
is coded ("How to use" 3; 1.1 with 1.2; 2.2 "often coexists with 1.1 … Both disorders need to
be identified"); 1.3 excludes 2.x (1.3 note 3); a definite diagnosis trumps a probable one
(1.5 comment, 2.1/2.2 note 1); a probable diagnosis needs no other disorder fulfilled (1.5 B,
2.4); between probables, migraine comes before tension-type headache (2.4).
"""

from __future__ import annotations

from typing import Any

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    History,
    assess,
    chronic_migraine,
    edit,
    frequent_tth,
    migraine_with_aura,
    migraine_without_aura,
    status,
    undecided,
)


def migraine_and_tension(migraine: dict[str, object], tension: dict[str, object]) -> History:
    """The 1.1 history (3 migraine days a month) plus the 2.2 history (6 tension-type days),
    each with ``changes`` applied."""
    history = edit(migraine_without_aura(), migraine)
    history["tension_like"] = edit(frequent_tth(), tension)["tension_like"]
    history["frequency"] = {
        "headache_days_per_month": 9,
        "migraine_like_days_per_month": 3,
        "tension_like_days_per_month": 6,
        "acute_medication_days_per_month": 6,
        "months": 12,
    }
    return history


def with_aura_history(history: History, changes: dict[str, object]) -> History:
    out = edit(history, {})
    out["aura"] = edit(migraine_with_aura(), changes)["aura"]
    return out


def test_migraine_and_frequent_tension_type_are_both_coded() -> None:
    assert assess(migraine_and_tension({}, {})).codes == ("1.1", "2.2")


def test_migraine_with_and_without_aura_are_both_coded() -> None:
    """1.2 comment (de): patients with attacks with and without aura are coded 1.2 and 1.1."""
    a = assess(with_aura_history(migraine_without_aura(), {}))
    assert a.codes == ("1.1", "1.2.1")


@pytest.mark.parametrize(
    ("migraine", "tension", "codes"),
    [
        # 1.5 comment: "a definite diagnosis always trumps a probable diagnosis"
        pytest.param({"migraine_like.lifetime_attacks": 4}, {}, ("2.2",), id="1.5.1-vs-2.2"),
        pytest.param({}, {"tension_like.lifetime_attacks": 9}, ("1.1",), id="1.1-vs-probable-2.2"),
        # 2.4: between probables, migraine before tension-type headache
        pytest.param(
            {"migraine_like.lifetime_attacks": 4},
            {"tension_like.lifetime_attacks": 9},
            ("1.5.1",),
            id="1.5.1-vs-2.4.2",
        ),
    ],
)
def test_definite_beats_probable_and_migraine_beats_tension_type(
    migraine: dict[str, object], tension: dict[str, object], codes: tuple[str, ...]
) -> None:
    a = assess(migraine_and_tension(migraine, tension))
    assert a.codes == codes
    assert [d.probable for d in a.diagnoses] == [c.startswith(("1.5", "2.4")) for c in codes]


def test_both_probable_migraines_are_coded() -> None:
    history = with_aura_history(
        edit(migraine_without_aura(), {"migraine_like.lifetime_attacks": 4}),
        {"aura.lifetime_attacks": 1},
    )
    assert assess(history).codes == ("1.5.1", "1.5.2")


def test_probable_migraine_without_aura_is_not_given_beside_definite_migraine_with_aura() -> None:
    """1.5 B: "Not fulfilling ICHD-3 criteria for any other headache disorder"."""
    history = with_aura_history(
        edit(migraine_without_aura(), {"migraine_like.lifetime_attacks": 4}), {}
    )
    assert assess(history).codes == ("1.2.1",)


@pytest.mark.parametrize(
    ("tension_days", "headache_days"),
    [
        pytest.param(8, 18, id="frequent-tension-type-days"),
        pytest.param(15, 25, id="chronic-tension-type-days"),
    ],
)
def test_chronic_migraine_excludes_tension_type_headache(
    tension_days: float, headache_days: float
) -> None:
    """1.3 note 3: "this diagnosis excludes the diagnosis of 2. Tension-type headache"."""
    history = chronic_migraine()
    history["tension_like"] = frequent_tth()["tension_like"]
    history["frequency"].update(
        headache_days_per_month=headache_days, tension_like_days_per_month=tension_days
    )
    a = assess(history)
    assert "1.3" in a.codes
    assert not [c for c in a.codes if c.startswith("2.")]


def test_chronic_migraine_excludes_tension_type_even_when_2_3_is_fulfilled() -> None:
    history = chronic_migraine()
    history["tension_like"] = frequent_tth()["tension_like"]
    history["frequency"].update(headache_days_per_month=25, tension_like_days_per_month=15)
    a = assess(history)
    assert status(a, "2.3") is Status.MET  # evaluated, fulfilled …
    assert "2.3" not in a.codes  # … and still not coded


def test_episodic_migraine_with_chronic_tension_type_headache() -> None:
    """Migraine on 3 days a month does not reach 1.3 C (≥8 days), so both 1.1 and 2.3 stand."""
    history = migraine_and_tension({}, {})
    history["frequency"].update(headache_days_per_month=19, tension_like_days_per_month=16)
    a = assess(history)
    assert status(a, "1.3 C") is Status.NOT_MET
    assert a.codes == ("1.1", "2.3")


def test_tension_type_frequency_unknown_when_only_total_days_are_given() -> None:
    """With migraine also present, total headache days do not say how many are tension-type."""
    history: dict[str, Any] = migraine_and_tension({}, {})
    history["frequency"]["tension_like_days_per_month"] = None
    a = assess(history)
    assert status(a, "2.2 A") is Status.UNKNOWN
    assert "2.2" in undecided(a)
    assert a.codes == ("1.1",)
