"""Worked cases for 8.2 medication-overuse headache and its subtypes 8.2.1–8.2.6.

8.2 A: headache on ≥15 days/month in a patient with a pre-existing headache disorder; B:
regular overuse for >3 months — ≥10 days/month of ergotamine (8.2.1), triptans (8.2.2),
opioids (8.2.4), combination analgesics (8.2.5); ≥15 days/month of non-opioid analgesics
(8.2.3); any combination of classes on ≥10 days/month without overuse of any single class
(8.2.6, note 2). C: not better accounted for by another ICHD-3 diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    History,
    assess,
    chronic_migraine,
    chronic_tth,
    edit,
    frequent_tth,
    medication,
    migraine_without_aura,
    overuse_codes,
    status,
    undecided,
)


def overusing(
    base: History, days: Mapping[str, float], months: int = 8, total: float | None = None
) -> History:
    """``base`` with these acute drug days per month for ``months`` months; ``total`` is the
    number of days with any acute drug (no two drugs on the same day unless it is given)."""
    history = edit(
        base,
        {
            "frequency.acute_medication_days_per_month": (
                sum(days.values()) if total is None else total
            )
        },
    )
    history["medication"] = medication(months=months, **days)
    return history


def test_chronic_migraine_with_triptan_overuse_gets_both_codes() -> None:
    """8.2: "Patients who meet criteria for both 1.3 Chronic migraine and 8.2 … should be given
    both diagnoses."""
    a = assess(overusing(chronic_migraine(), {"triptan": 12}))
    assert "1.3" in a.codes
    assert overuse_codes(a) == ("8.2.2",)
    assert [p.label for p in a.diagnoses[-1].check.parts] == [
        "8.2 A",
        "8.2 (pre-existing)",
        "8.2.2 B",
        "8.2 C",
    ]


@pytest.mark.parametrize(
    ("drug", "days", "code"),
    [
        pytest.param("ergot", 10, "8.2.1", id="ergot-10"),
        pytest.param("ergot", 9, None, id="ergot-9"),
        pytest.param("triptan", 10, "8.2.2", id="triptan-10"),
        pytest.param("triptan", 9, None, id="triptan-9"),
        pytest.param("simple_analgesic", 15, "8.2.3", id="non-opioid-15"),
        pytest.param("simple_analgesic", 14, None, id="non-opioid-14"),
        pytest.param("opioid", 10, "8.2.4", id="opioid-10"),
        pytest.param("opioid", 9, None, id="opioid-9"),
        pytest.param("combination_analgesic", 10, "8.2.5", id="combination-10"),
        pytest.param("combination_analgesic", 9, None, id="combination-9"),
    ],
)
def test_overuse_threshold_per_class(drug: str, days: float, code: str | None) -> None:
    a = assess(overusing(chronic_migraine(), {drug: days}))
    assert "1.3" in a.codes
    assert overuse_codes(a) == (() if code is None else (code,))


@pytest.mark.parametrize(
    ("months", "code"),
    [
        # B: "for >3 months"
        pytest.param(4, ("8.2.2",), id="4-months"),
        pytest.param(3, (), id="3-months"),
    ],
)
def test_overuse_for_more_than_three_months(months: int, code: tuple[str, ...]) -> None:
    a = assess(overusing(chronic_migraine(), {"triptan": 12}, months=months))
    assert overuse_codes(a) == code


def test_overuse_duration_not_asked_is_unknown() -> None:
    history = overusing(chronic_migraine(), {"triptan": 12})
    history["medication"]["triptan"]["months"] = None
    a = assess(history)
    assert status(a, "8.2.2 B") is Status.UNKNOWN
    assert "8.2.2" in undecided(a)
    assert overuse_codes(a) == ()


@pytest.mark.parametrize(
    ("days", "total", "codes"),
    [
        # 8.2.6: ≥10 days in total, no single class overused (note 2)
        pytest.param({"triptan": 6, "opioid": 5}, 11, ("8.2.6",), id="triptan-6-opioid-5"),
        pytest.param({"triptan": 6, "opioid": 5}, 10, ("8.2.6",), id="total-10"),
        pytest.param({"triptan": 6, "opioid": 5}, 9, (), id="total-9"),
        pytest.param(
            {"simple_analgesic": 8, "combination_analgesic": 4}, 12, ("8.2.6",), id="mixed"
        ),
        # a single class overused: its own code, not 8.2.6
        pytest.param({"triptan": 10, "opioid": 5}, 15, ("8.2.2",), id="triptan-10-opioid-5"),
        # 8.2 note 1: several classes overused, every code
        pytest.param(
            {"triptan": 10, "simple_analgesic": 15}, 20, ("8.2.2", "8.2.3"), id="two-classes"
        ),
    ],
)
def test_multiple_drug_classes(
    days: dict[str, float], total: float, codes: tuple[str, ...]
) -> None:
    a = assess(overusing(chronic_migraine(), days, total=total))
    assert overuse_codes(a) == codes


def test_non_opioid_analgesics_alone_are_not_multiple_classes() -> None:
    """8.2.6 is overuse of "multiple drug classes not individually overused": one class on
    14 days is below the 8.2.3 threshold ("15 or more days/month") and is no 8.2 at all;
    all non-opioid analgesics are "a single class" (8.2.3 comment)."""
    a = assess(overusing(chronic_migraine(), {"simple_analgesic": 14}))
    assert status(a, "8.2.3 B") is Status.NOT_MET
    assert overuse_codes(a) == ()


def test_multiple_classes_with_other_classes_not_asked_is_unknown() -> None:
    history = overusing(chronic_migraine(), {"triptan": 6, "opioid": 5})
    history["medication"] = {k: v for k, v in history["medication"].items() if v["days_per_month"]}
    a = assess(history)
    assert status(a, "8.2.6 C") is Status.UNKNOWN  # an unasked class may be overused
    assert "8.2.6" in undecided(a)
    assert overuse_codes(a) == ()


@pytest.mark.parametrize(
    ("days", "code"),
    [
        # 8.2 A "Headache occurring on ≥15 days per month"
        pytest.param(15, ("8.2.2",), id="15-headache-days"),
        pytest.param(14, (), id="14-headache-days"),
    ],
)
def test_overuse_needs_fifteen_headache_days(days: float, code: tuple[str, ...]) -> None:
    history = edit(
        overusing(migraine_without_aura(), {"triptan": 12}),
        {"frequency.headache_days_per_month": days, "frequency.migraine_like_days_per_month": 6},
    )
    assert assess(history).codes == ("1.1", *code)


def test_episodic_migraine_with_overuse_keeps_both_diagnoses() -> None:
    """8.2 "Coded elsewhere": a pre-existing primary headache and 8.2 are both given."""
    history = edit(
        overusing(migraine_without_aura(), {"triptan": 12}, months=12),
        {"frequency.headache_days_per_month": 16, "frequency.migraine_like_days_per_month": 6},
    )
    a = assess(history)
    assert status(a, "1.3 C") is Status.NOT_MET
    assert a.codes == ("1.1", "8.2.2")


def test_chronic_tension_type_with_analgesic_overuse_gets_both() -> None:
    """Chapter 2 comment: "both diagnoses, 2.3 … and 8.2 …, should be given in all such
    cases"."""
    a = assess(overusing(chronic_tth(), {"simple_analgesic": 16}, months=12))
    assert a.codes == ("2.3", "8.2.3")


def test_frequent_tension_type_with_analgesics_is_not_overuse_headache() -> None:
    a = assess(overusing(frequent_tth(), {"simple_analgesic": 6}, months=12))
    assert a.codes == ("2.2",)
    assert status(a, "8.2 A") is Status.NOT_MET


def test_overuse_without_a_described_headache_is_unknown() -> None:
    """8.2 A needs "a pre-existing headache disorder"; a history that describes none leaves
    it open."""
    history = overusing(chronic_migraine(), {"triptan": 12})
    del history["migraine_like"]
    a = assess(history)
    assert status(a, "8.2 (pre-existing)") is Status.UNKNOWN
    assert "8.2.2" in undecided(a)
    assert overuse_codes(a) == ()


def test_use_below_every_threshold_fails_every_subtype() -> None:
    a = assess(chronic_migraine())
    for code in ("8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5", "8.2.6"):
        assert status(a, code) is Status.NOT_MET, code
