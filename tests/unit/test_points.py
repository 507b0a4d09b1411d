"""Point codes: spelling, per-meridian ranges and the WHO count of 361."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acurelief.domain.points import MERIDIAN_POINT_COUNTS, is_midline, normalise_point_code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("gb 20", "GB20"),
        ("GB-20", "GB20"),
        ("gb_20", "GB20"),
        ("lr3", "LR3"),
        ("LR03", "LR3"),
        ("ex hn 5", "EX-HN5"),
        ("EX-HN5", "EX-HN5"),
        ("ex-b 2", "EX-B2"),
    ],
)
def test_normalise_spelling(raw: str, code: str) -> None:
    assert normalise_point_code(raw) == code


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("GB44", True),
        ("GB45", False),
        ("LU11", True),
        ("LU12", False),
        ("BL67", True),
        ("BL68", False),
        ("GV28", True),
        ("GV29", False),
        ("CV24", True),
        ("CV25", False),
        ("GB0", False),
    ],
)
def test_meridian_upper_bounds(code: str, ok: bool) -> None:
    if ok:
        assert normalise_point_code(code) == code
    else:
        with pytest.raises(ValueError, match="has points 1 to"):
            normalise_point_code(code)


def test_unknown_meridian_lists_the_meridians() -> None:
    with pytest.raises(ValueError, match="unknown meridian 'XX'") as caught:
        normalise_point_code("XX1")
    assert all(m in str(caught.value) for m in MERIDIAN_POINT_COUNTS)


@pytest.mark.parametrize("raw", ["", "GB", "20", "GB200", "G20", "EX-XY5", "EX-HN0", "GB20!"])
def test_malformed_codes_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=r"is not a point code|EX-HN5|has points|unknown meridian"):
        normalise_point_code(raw)


def test_who_2008_has_361_points_over_14_meridians() -> None:
    assert len(MERIDIAN_POINT_COUNTS) == 14
    assert sum(MERIDIAN_POINT_COUNTS.values()) == 361


@st.composite
def _standard_points(draw: st.DrawFn) -> tuple[str, int]:
    meridian = draw(st.sampled_from(sorted(MERIDIAN_POINT_COUNTS)))
    return meridian, draw(st.integers(1, MERIDIAN_POINT_COUNTS[meridian]))


@given(_standard_points())
def test_every_valid_point_normalises_and_is_idempotent(point: tuple[str, int]) -> None:
    meridian, number = point
    code = normalise_point_code(f"{meridian.lower()} {number}")
    assert code == f"{meridian}{number}"
    assert normalise_point_code(code) == code


@st.composite
def _points_past_the_count(draw: st.DrawFn) -> tuple[str, int]:
    meridian = draw(st.sampled_from(sorted(MERIDIAN_POINT_COUNTS)))
    return meridian, draw(st.integers(MERIDIAN_POINT_COUNTS[meridian] + 1, 99))


@given(_points_past_the_count())
def test_numbers_past_the_count_are_refused(point: tuple[str, int]) -> None:
    meridian, number = point
    with pytest.raises(ValueError, match=f"{meridian} has points 1 to"):
        normalise_point_code(f"{meridian.lower()}{number}")


@pytest.mark.parametrize(("code", "midline"), [("GV20", True), ("CV12", True), ("GB20", False)])
def test_is_midline(code: str, midline: bool) -> None:
    assert is_midline(code) is midline
