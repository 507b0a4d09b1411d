"""Worked cases for menstrual migraine (ICHD-3 appendix A1.1.1 pure, A1.1.2 menstrually related).

A: attacks in a menstruating woman fulfilling 1.1; B: attacks on day 1 ± 2 (days −2 to +3) in
at least two out of three menstrual cycles, prospectively documented over at least three
cycles; pure: "and at no other times of the cycle"; related: "and additionally at other times
of the cycle".
"""

from __future__ import annotations

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import assess, edit, menstrual_migraine, status, undecided


def test_typical_history_is_pure_menstrual_migraine() -> None:
    a = assess(menstrual_migraine())
    assert a.codes == ("1.1", "A1.1.1")
    assert status(a, "A1.1.2") is Status.NOT_MET


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        # B "in at least two out of three menstrual cycles"
        pytest.param(
            {"menstrual.cycles_with_attack_in_window": 2}, ("1.1", "A1.1.1"), id="2-of-3-cycles"
        ),
        pytest.param({"menstrual.cycles_with_attack_in_window": 1}, ("1.1",), id="1-of-3-cycles"),
        # pure "at no other times" vs related "additionally at other times"
        pytest.param({"menstrual.attacks_outside_window": 1}, ("1.1", "A1.1.2"), id="related-1"),
        pytest.param({"menstrual.attacks_outside_window": 4}, ("1.1", "A1.1.2"), id="related-4"),
        # A "fulfilling criteria for 1.1": four attacks are 1.5.1, not 1.1
        pytest.param({"migraine_like.lifetime_attacks": 4}, ("1.5.1",), id="A-probable-only"),
    ],
)
def test_menstrual_migraine_criteria(changes: dict[str, object], codes: tuple[str, ...]) -> None:
    assert assess(edit(menstrual_migraine(), changes)).codes == codes


def test_related_with_one_of_three_cycles_is_neither() -> None:
    a = assess(
        edit(
            menstrual_migraine(),
            {"menstrual.cycles_with_attack_in_window": 1, "menstrual.attacks_outside_window": 3},
        )
    )
    assert status(a, "A1.1 B") is Status.NOT_MET
    assert a.codes == ("1.1",)


@pytest.mark.parametrize(
    "documented",
    [pytest.param(2, id="2-cycles"), pytest.param(1, id="1-cycle"), pytest.param(0, id="none")],
)
def test_fewer_than_three_cycles_documented_is_unknown(documented: int) -> None:
    a = assess(
        edit(
            menstrual_migraine(),
            {
                "menstrual.cycles_documented": documented,
                "menstrual.cycles_with_attack_in_window": documented,
            },
        )
    )
    assert status(a, "A1.1 B") is Status.UNKNOWN
    assert status(a, "A1.1.1") is Status.UNKNOWN
    assert "A1.1.1" in undecided(a)
    assert a.codes == ("1.1",)


def test_attacks_outside_window_not_asked_leaves_pure_and_related_open() -> None:
    a = assess(edit(menstrual_migraine(), {"menstrual.attacks_outside_window": None}))
    assert status(a, "A1.1.1") is Status.UNKNOWN
    assert status(a, "A1.1.2") is Status.UNKNOWN
    assert {"A1.1.1", "A1.1.2"} <= undecided(a)
    assert a.codes == ("1.1",)


def test_without_documented_cycles_menstrual_migraine_is_unknown() -> None:
    a = assess(edit(menstrual_migraine(), {"menstrual": None}))
    assert status(a, "A1.1.1") is Status.UNKNOWN
    assert a.codes == ("1.1",)


def test_menstrual_codes_follow_migraine_without_aura() -> None:
    a = assess(menstrual_migraine())
    assert [d.code for d in a.diagnoses] == ["1.1", "A1.1.1"]
    assert a.diagnoses[1].check.parts[0].label == "A1.1 A"
