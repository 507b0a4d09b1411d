"""Worked cases: attacks are classified on their features, not on the intake section they were
entered in (issue 9, goal 6). ICHD-3 defines 1.1 and 2.x by the attacks' features (1.1 C–D,
2.x C–D); "migraine-like" and "tension-like" are only where the intake asks about them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    History,
    assess,
    chronic_migraine,
    chronic_tth,
    edit,
    find,
    frequent_tth,
    infrequent_tth,
    migraine_without_aura,
    status,
)

DAYS = {
    "migraine_like": "migraine_like_days_per_month",
    "tension_like": "tension_like_days_per_month",
}


def swapped(history: History) -> History:
    """The same history with the two attack sections (and their days) exchanged."""
    out = edit(history, {})
    kinds = {s: out.pop(s, None) for s in DAYS}
    days = {s: out["frequency"].pop(f, None) for s, f in DAYS.items()}
    for section, other in (("migraine_like", "tension_like"), ("tension_like", "migraine_like")):
        if kinds[other] is not None:
            out[section] = kinds[other]
        if days[other] is not None:
            out["frequency"][DAYS[section]] = days[other]
    return out


def both() -> History:
    """1.1 (3 migraine days) and 2.2 (6 tension-type days) in one patient."""
    history = migraine_without_aura()
    history["tension_like"] = frequent_tth()["tension_like"]
    history["frequency"] = {
        "headache_days_per_month": 9,
        "migraine_like_days_per_month": 3,
        "tension_like_days_per_month": 6,
        "acute_medication_days_per_month": 6,
        "months": 12,
    }
    return history


@pytest.mark.parametrize(
    ("history", "codes"),
    [
        pytest.param(migraine_without_aura, ("1.1",), id="1.1"),
        pytest.param(chronic_migraine, ("1.3",), id="1.3"),
        pytest.param(infrequent_tth, ("2.1",), id="2.1"),
        pytest.param(frequent_tth, ("2.2",), id="2.2"),
        pytest.param(chronic_tth, ("2.3",), id="2.3"),
        pytest.param(both, ("1.1", "2.2"), id="1.1+2.2"),
        pytest.param(
            lambda: edit(migraine_without_aura(), {"migraine_like.lifetime_attacks": 4}),
            ("1.5.1",),
            id="1.5.1",
        ),
        pytest.param(
            lambda: edit(frequent_tth(), {"tension_like.vomiting": True}), ("2.4.2",), id="2.4.2"
        ),
    ],
)
def test_the_same_attacks_in_either_section_get_the_same_codes(
    history: Callable[[], History], codes: tuple[str, ...]
) -> None:
    assert assess(history()).codes == codes
    assert assess(swapped(history())).codes == codes


def test_migraine_features_entered_as_tension_like_are_migraine() -> None:
    """Unilateral, pulsating, with nausea: 1.1 C and D, whatever the section."""
    attacks = migraine_without_aura()["migraine_like"]
    history = edit(frequent_tth(), {"tension_like": attacks})
    a = assess(history)
    assert a.codes == ("1.1",)
    assert find(a, "1.1").evidence == "attacks entered as tension-like"
    assert status(a, "1.1 C") is Status.MET
    assert status(a, "1.1 D") is Status.MET


def test_tension_type_features_entered_as_migraine_like_are_tension_type() -> None:
    """Bilateral, pressing, mild, no nausea: 2.2 C and D, on the days entered for them."""
    attacks = frequent_tth()["tension_like"]
    history = edit(migraine_without_aura(), {"migraine_like": attacks})
    history["frequency"]["migraine_like_days_per_month"] = 6
    history["frequency"]["headache_days_per_month"] = 6
    a = assess(history)
    assert a.codes == ("2.2",)
    assert find(a, "2.2").evidence == "attacks entered as migraine-like"
    assert status(a, "1.1") is Status.NOT_MET


def test_one_feature_decides_at_the_boundary_whatever_the_section() -> None:
    """Tension-type attacks of 1–8 h with nausea: 2.2 D fails and 1.1 fails B and C, so 2.4.2.
    Turned unilateral, 1.1 C is met and only B (≥4 h) fails: 1.5.1, which comes before 2.4.2.
    Lasting 4–8 h as well, it is 1.1. The same in either section."""
    attacks = edit(frequent_tth(), {"tension_like.nausea": True})["tension_like"]
    for section in ("migraine_like", "tension_like"):
        history = edit(frequent_tth(), {})
        del history["tension_like"]
        history[section] = attacks
        assert assess(history).codes == ("2.4.2",), section
        turned = edit(history, {f"{section}.location": "unilateral"})
        assert assess(turned).codes == ("1.5.1",), section
        longer = edit(turned, {f"{section}.duration_hours_min": 4})
        assert assess(longer).codes == ("1.1",), section


def test_tension_like_days_with_migraine_features_count_for_chronic_migraine() -> None:
    """1.3 C counts days with migraine features: 10 entered as tension-like are such days."""
    history = swapped(chronic_migraine())
    assert "migraine_like_days_per_month" not in history["frequency"]
    a = assess(history)
    assert status(a, "1.3 C") is Status.MET
    assert "10 migraine-like days/month" in find(a, "1.3 C").evidence
    assert a.codes == ("1.3",)


def tension_in_both(
    migraine_like: float, tension_like: float, headache_days: float | None = None
) -> History:
    """Tension-type attacks (2–24 h) entered in both sections, on the days given for each."""
    history = chronic_tth()
    history["migraine_like"] = dict(history["tension_like"])
    history["frequency"] = {
        "headache_days_per_month": headache_days or migraine_like + tension_like,
        "migraine_like_days_per_month": migraine_like,
        "tension_like_days_per_month": tension_like,
        "acute_medication_days_per_month": 6,
        "months": 12,
    }
    return history


@pytest.mark.parametrize(
    ("history", "codes", "days"),
    [
        pytest.param(tension_in_both(8, 8), ("2.3",), "16", id="8+8=16: chronic"),
        pytest.param(tension_in_both(7.5, 7.5), ("2.3",), "15", id="7.5+7.5=15: chronic"),
        pytest.param(tension_in_both(7, 7), ("2.2",), "14", id="7+7=14: frequent"),
        # both on the same days at times: no more than the headache days a month
        pytest.param(tension_in_both(8, 8, headache_days=12), ("2.2",), "12", id="capped"),
        pytest.param(tension_in_both(0.4, 0.6), ("2.2",), "1", id="0.4+0.6=1: frequent"),
    ],
)
def test_tension_type_days_entered_in_two_sections_are_counted_together(
    history: History, codes: tuple[str, ...], days: str
) -> None:
    """ICHD-3 2.x A counts the patient's tension-type days, however they were entered."""
    a = assess(history)
    assert a.codes == codes
    evidence = find(a, f"{codes[0]} A").evidence
    assert f"{days} days/month (entered as migraine-like and tension-like, together)" in evidence


def test_days_are_not_pooled_with_attacks_of_another_kind() -> None:
    """6 migraine days and 8 tension-type days: 1.1 and 2.2, each on its own days (14
    together would still be 2.2; the point is that the migraine days are not counted)."""
    history = tension_in_both(6, 8)
    history["migraine_like"] = migraine_without_aura()["migraine_like"]
    history["frequency"]["tension_like_days_per_month"] = 9.5  # 6 + 9.5 would be chronic
    history["frequency"]["headache_days_per_month"] = 15.5
    a = assess(history)
    assert a.codes == ("1.1", "2.2")
    assert "9.5 days/month for" in find(a, "2.2 A").evidence
