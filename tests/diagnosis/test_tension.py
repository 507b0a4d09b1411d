"""Worked cases for tension-type headache: 2.1, 2.2, 2.3 and the probable 2.4.1–2.4.3.

Each case starts from a complete, typical history (tests/diagnosis/histories.py) and changes
one thing; the expected outcome follows the ICHD-3 text quoted in docs/ichd3-criteria.md.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from acurelief.diagnosis.logic import Status
from tests.diagnosis.histories import (
    History,
    assess,
    chronic_tth,
    edit,
    frequent_tth,
    infrequent_tth,
    status,
    undecided,
)


@pytest.mark.parametrize(
    ("base", "code"),
    [
        pytest.param(infrequent_tth, "2.1", id="infrequent"),
        pytest.param(frequent_tth, "2.2", id="frequent"),
        pytest.param(chronic_tth, "2.3", id="chronic"),
    ],
)
def test_typical_histories(base: Callable[[], History], code: str) -> None:
    a = assess(base())
    assert a.codes == (code,)
    assert not a.diagnoses[0].probable
    assert [part.label for part in a.diagnoses[0].check.parts] == [
        f"{code} {letter}" for letter in "ABCDE"
    ]


@pytest.mark.parametrize(
    ("days", "code"),
    [
        # 2.1 A "<1 day per month on average"; 2.2 A "1-14 days/month"; 2.3 A "≥15 days"
        pytest.param(0.9, "2.1", id="0.9-days"),
        pytest.param(1, "2.2", id="1-day"),
        pytest.param(14, "2.2", id="14-days"),
        pytest.param(15, "2.3", id="15-days"),
    ],
)
def test_frequency_decides_the_subtype(days: float, code: str) -> None:
    a = assess(edit(frequent_tth(), {"frequency.headache_days_per_month": days}))
    assert a.codes == (code,)


@pytest.mark.parametrize(
    ("episodes", "met"),
    [
        # 2.1 A / 2.2 A "At least 10 episodes"
        pytest.param(10, True, id="10-episodes"),
        pytest.param(9, False, id="9-episodes"),
    ],
)
@pytest.mark.parametrize(
    ("base", "code"),
    [pytest.param(infrequent_tth, "2.1", id="2.1"), pytest.param(frequent_tth, "2.2", id="2.2")],
)
def test_ten_episodes_are_needed(
    base: Callable[[], History], code: str, episodes: int, met: bool
) -> None:
    a = assess(edit(base(), {"tension_like.lifetime_attacks": episodes}))
    assert status(a, f"{code} A") is (Status.MET if met else Status.NOT_MET)
    assert (code in a.codes) is met


@pytest.mark.parametrize(
    ("months", "met"),
    [
        # 2.2 A "for >3 months"; 2.3 A "for >3 months"
        pytest.param(4, True, id="4-months"),
        pytest.param(3, False, id="3-months"),
    ],
)
@pytest.mark.parametrize(
    ("base", "code"),
    [pytest.param(frequent_tth, "2.2", id="2.2"), pytest.param(chronic_tth, "2.3", id="2.3")],
)
def test_more_than_three_months(
    base: Callable[[], History], code: str, months: int, met: bool
) -> None:
    a = assess(edit(base(), {"frequency.months": months}))
    assert status(a, f"{code} A") is (Status.MET if met else Status.NOT_MET)
    assert (code in a.codes) is met


@pytest.mark.parametrize(
    ("changes", "met"),
    [
        # 2.2 B "Lasting from 30 minutes to 7 days"
        pytest.param({"tension_like.duration_hours_min": 0.5}, True, id="30-min"),
        pytest.param({"tension_like.duration_hours_min": 0.4}, False, id="24-min"),
        pytest.param({"tension_like.duration_hours_max": 168}, True, id="7-days"),
        pytest.param({"tension_like.duration_hours_max": 169}, False, id="7-days-1h"),
    ],
)
def test_episode_duration(changes: dict[str, object], met: bool) -> None:
    a = assess(edit(frequent_tth(), changes))
    assert status(a, "2.2 B") is (Status.MET if met else Status.NOT_MET)
    assert ("2.2" in a.codes) is met


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        # 2.2 D "1. no nausea or vomiting 2. no more than one of photophobia or phonophobia"
        pytest.param({"tension_like.photophobia": True}, None, id="photophobia-alone"),
        pytest.param({"tension_like.phonophobia": True}, None, id="phonophobia-alone"),
        pytest.param(
            {"tension_like.photophobia": True, "tension_like.phonophobia": True},
            "2.2 D2",
            id="photo-and-phonophobia",
        ),
        pytest.param(
            {"tension_like.nausea": True, "tension_like.nausea_severity": "mild"},
            "2.2 D1",
            id="mild-nausea",
        ),
        pytest.param({"tension_like.vomiting": True}, "2.2 D1", id="vomiting"),
        # 2.2 C "at least two of … bilateral, pressing, mild or moderate, not aggravated"
        pytest.param(
            {
                "tension_like.quality": "pulsating",
                "tension_like.intensities": ["moderate", "severe"],
                "tension_like.aggravated_by_activity": True,
            },
            "2.2 C",
            id="only-bilateral",
        ),
        pytest.param(
            {"tension_like.quality": "pulsating", "tension_like.intensities": ["severe"]},
            None,
            id="bilateral-not-aggravated",
        ),
    ],
)
def test_frequent_tension_type_features(changes: dict[str, object], failed: str | None) -> None:
    a = assess(edit(frequent_tth(), changes))
    if failed is None:
        assert a.codes == ("2.2",)
    else:
        assert status(a, failed) is Status.NOT_MET
        assert "2.2" not in a.codes
        assert "2.4.2" in a.codes  # all but one of A–D (2.4)


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        # 2.3 D "1. no more than one of photophobia, phonophobia or mild nausea
        #        2. neither moderate or severe nausea nor vomiting"
        pytest.param(
            {"tension_like.nausea": True, "tension_like.nausea_severity": "mild"},
            None,
            id="mild-nausea",
        ),
        pytest.param({"tension_like.photophobia": True}, None, id="photophobia-alone"),
        pytest.param(
            {
                "tension_like.nausea": True,
                "tension_like.nausea_severity": "mild",
                "tension_like.photophobia": True,
            },
            "2.3 D1",
            id="mild-nausea-and-photophobia",
        ),
        pytest.param(
            {"tension_like.photophobia": True, "tension_like.phonophobia": True},
            "2.3 D1",
            id="photo-and-phonophobia",
        ),
        pytest.param(
            {"tension_like.nausea": True, "tension_like.nausea_severity": "moderate"},
            "2.3 D2",
            id="moderate-nausea",
        ),
        pytest.param(
            {"tension_like.nausea": True, "tension_like.nausea_severity": "severe"},
            "2.3 D2",
            id="severe-nausea",
        ),
        pytest.param({"tension_like.vomiting": True}, "2.3 D2", id="vomiting"),
    ],
)
def test_chronic_tension_type_allows_mild_nausea_only(
    changes: dict[str, object], failed: str | None
) -> None:
    a = assess(edit(chronic_tth(), changes))
    if failed is None:
        assert a.codes == ("2.3",)
    else:
        assert status(a, failed) is Status.NOT_MET
        assert a.codes == ("2.4.3",)


@pytest.mark.parametrize(
    ("changes", "d1"),
    [
        # the only one of the three: D1 holds whatever the severity, D2 is open
        pytest.param({"tension_like.nausea": True}, Status.MET, id="nausea-alone"),
        # with photophobia, mild nausea would make two of the three: D1 is open too
        pytest.param(
            {"tension_like.nausea": True, "tension_like.photophobia": True},
            Status.UNKNOWN,
            id="nausea-and-photophobia",
        ),
    ],
)
def test_chronic_nausea_without_severity_leaves_d_unknown(
    changes: dict[str, object], d1: Status
) -> None:
    """Nausea of unrecorded severity may be mild (allowed) or moderate (excluded)."""
    a = assess(edit(chronic_tth(), changes))
    assert status(a, "2.3 D1") is d1
    assert status(a, "2.3 D2") is Status.UNKNOWN
    assert status(a, "2.3 D") is Status.UNKNOWN
    assert "2.3" in undecided(a)
    assert a.codes == ()


def test_nausea_not_asked_leaves_episodic_d_unknown() -> None:
    a = assess(edit(frequent_tth(), {"tension_like.nausea": None}))
    assert status(a, "2.2 D1") is Status.UNKNOWN
    assert "2.2" in undecided(a)
    assert a.codes == ()


def test_chronic_duration_not_asked_leaves_b_unknown() -> None:
    a = assess(edit(chronic_tth(), {"tension_like.duration_hours_max": None}))
    assert status(a, "2.3 B") is Status.UNKNOWN
    assert "2.3" in undecided(a)
    assert "2.3" not in a.codes


# --- 2.4 Probable tension-type headache: the subtype whose frequency the headache has -------
# 2.4: "Tension-type-like headache missing one of the features required to fulfil all
# criteria for a type or subtype"; 2.1, 2.2 and 2.3 are told apart by frequency (A), so a
# headache on 6 days a month that misses one feature is probable *frequent* TTH only.


@pytest.mark.parametrize(
    ("base", "changes", "codes"),
    [
        pytest.param(
            infrequent_tth, {"tension_like.lifetime_attacks": 9}, ("2.4.1",), id="2.1-9-episodes"
        ),
        pytest.param(
            infrequent_tth, {"tension_like.vomiting": True}, ("2.4.1",), id="2.1-vomiting"
        ),
        pytest.param(
            frequent_tth, {"tension_like.lifetime_attacks": 9}, ("2.4.2",), id="2.2-9-episodes"
        ),
        pytest.param(frequent_tth, {"frequency.months": 3}, ("2.4.2",), id="2.2-3-months"),
        pytest.param(
            frequent_tth,
            {"tension_like.photophobia": True, "tension_like.phonophobia": True},
            ("2.4.2",),
            id="2.2-photo-and-phonophobia",
        ),
        pytest.param(
            frequent_tth,
            {"tension_like.nausea": True, "tension_like.nausea_severity": "mild"},
            ("2.4.2",),
            id="2.2-mild-nausea",
        ),
        pytest.param(
            chronic_tth,
            {"tension_like.nausea": True, "tension_like.nausea_severity": "moderate"},
            ("2.4.3",),
            id="2.3-moderate-nausea",
        ),
        pytest.param(chronic_tth, {"frequency.months": 3}, ("2.4.3",), id="2.3-3-months"),
    ],
)
def test_probable_tension_type_subtype(
    base: Callable[[], History], changes: dict[str, object], codes: tuple[str, ...]
) -> None:
    a = assess(edit(base(), changes))
    assert a.codes == codes
    assert all(d.probable for d in a.diagnoses)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {"tension_like.nausea": True, "tension_like.nausea_severity": "mild"}, id="mild-nausea"
        ),
        pytest.param({"tension_like.vomiting": True}, id="vomiting"),
    ],
)
def test_infrequent_tension_type_allows_no_nausea(changes: dict[str, object]) -> None:
    """2.1 D1 "no nausea or vomiting" — not even mild nausea, unlike 2.3."""
    a = assess(edit(infrequent_tth(), changes))
    assert status(a, "2.1 D1") is Status.NOT_MET
    assert "2.1" not in a.codes
