"""Session point codes go through the WHO catalogue (details: tests/knowledge)."""

from __future__ import annotations

import pytest

from acurelief.domain.points import is_midline, normalise_point_code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("gb 20", "GB20"),
        ("GB-20", "GB20"),
        ("lv3", "LR3"),
        ("SJ5", "TE5"),
        ("UB10", "BL10"),
        ("GV24+", "EX-HN3"),
        ("ex hn 5", "EX-HN5"),
        ("Taiyang", "EX-HN5"),
    ],
)
def test_spellings_and_aliases_become_standard_codes(raw: str, code: str) -> None:
    assert normalise_point_code(raw) == code


@pytest.mark.parametrize("raw", ["GB45", "XX1", "", "EX-B2", "LU12"])
def test_unknown_codes_are_refused_with_suggestions(raw: str) -> None:
    with pytest.raises(ValueError, match=r"\S") as caught:
        normalise_point_code(raw)
    assert raw in str(caught.value) or raw == ""


def test_gb45_suggests_gb44() -> None:
    with pytest.raises(ValueError, match="GB44"):
        normalise_point_code("GB45")


@pytest.mark.parametrize(
    ("code", "midline"),
    [("GV20", True), ("CV12", True), ("EX-HN3", True), ("GB20", False), ("EX-HN5", False)],
)
def test_midline(code: str, midline: bool) -> None:
    assert is_midline(code) is midline
