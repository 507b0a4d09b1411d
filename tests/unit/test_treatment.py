"""Needle points, stimulation, readings and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from acurelief.domain.treatment import (
    AdverseEvent,
    AdverseEventKind,
    NeedlePoint,
    SessionReading,
    Side,
    Stimulation,
    StimulationKind,
    TreatmentSession,
)
from acurelief.errors import InvalidInput

STARTED = dt.datetime(2026, 6, 14, 9, 0, tzinfo=dt.UTC)
MANUAL = Stimulation(kind=StimulationKind.MANUAL)


def _fields(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [p.field for p in exc.value.problems]


def test_needle_point_normalises_its_code() -> None:
    assert NeedlePoint(code="gb 20", side=Side.LEFT).code == "GB20"


@pytest.mark.parametrize("code", ["GV20", "cv 12"])
@pytest.mark.parametrize("side", list(Side))
def test_midline_points_take_no_side(code: str, side: Side) -> None:
    with pytest.raises(InvalidInput) as caught:
        NeedlePoint(code=code, side=side)
    assert _fields(caught) == ["side"]
    assert NeedlePoint(code=code).side is None


def test_bilateral_meridian_needs_a_side() -> None:
    with pytest.raises(InvalidInput) as caught:
        NeedlePoint(code="LI4")
    assert _fields(caught) == ["side"]


def test_extra_points_follow_the_catalogue_on_sides() -> None:
    assert NeedlePoint(code="ex-hn5", side=Side.BILATERAL).code == "EX-HN5"
    with pytest.raises(InvalidInput, match="side"):
        NeedlePoint(code="EX-HN5")  # Taiyang is paired
    assert NeedlePoint(code="GV24+").code == "EX-HN3"  # Yintang is on the midline
    with pytest.raises(InvalidInput, match="side"):
        NeedlePoint(code="EX-HN3", side=Side.LEFT)


@pytest.mark.parametrize("code", ["GB45", "XX1", "hello"])
def test_invalid_code_is_reported_under_code(code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        NeedlePoint(code=code, side=Side.LEFT)
    assert _fields(caught) == ["code"]


@pytest.mark.parametrize("freqs", [(2.0,), (2.0, 100.0)])
def test_electro_takes_one_or_two_frequencies(freqs: tuple[float, ...]) -> None:
    stim = Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=freqs, intensity_ma=1.5)
    assert stim.frequencies_hz == freqs


@pytest.mark.parametrize(
    ("freqs", "intensity", "fields"),
    [
        ((), None, ["frequencies_hz"]),
        ((2.0, 15.0, 100.0), None, ["frequencies_hz"]),
        ((0.0,), None, ["frequencies_hz"]),
        ((2.0, -100.0), None, ["frequencies_hz"]),
        ((2.0,), 0.0, ["intensity_ma"]),
        ((), -1.0, ["frequencies_hz", "intensity_ma"]),
    ],
)
def test_electro_refuses(
    freqs: tuple[float, ...], intensity: float | None, fields: list[str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=freqs, intensity_ma=intensity)
    assert _fields(caught) == fields


@pytest.mark.parametrize("kind", [StimulationKind.MANUAL, StimulationKind.SHAM_MINIMAL])
def test_manual_and_sham_have_no_frequency_or_current(kind: StimulationKind) -> None:
    with pytest.raises(InvalidInput) as caught:
        Stimulation(kind=kind, frequencies_hz=(2.0,), intensity_ma=1.0)
    assert _fields(caught) == ["frequencies_hz", "intensity_ma"]


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (10, True), (11, False)])
@pytest.mark.parametrize("field", ["pain", "mood"])
def test_reading_rating_boundaries(field: str, value: int, ok: bool) -> None:
    other = "mood" if field == "pain" else "pain"
    kwargs: dict[str, Any] = {field: value, other: 5, "minutes_after_needling": 0}
    if ok:
        assert getattr(SessionReading(**kwargs), field) == value
    else:
        with pytest.raises(InvalidInput) as caught:
            SessionReading(**kwargs)
        assert _fields(caught) == [field]


@pytest.mark.parametrize("value", [True, 4.0])
def test_reading_refuses_bools_and_floats(value: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        SessionReading(pain=value, mood=value, minutes_after_needling=0)
    assert _fields(caught) == ["pain", "mood"]


def test_reading_needs_pain_or_mood_and_minutes_within_a_day() -> None:
    assert SessionReading(mood=3, minutes_after_needling=-1440).pain is None
    with pytest.raises(InvalidInput) as caught:
        SessionReading(minutes_after_needling=1441)
    assert _fields(caught) == ["minutes_after_needling", "pain"]


def _session(**changes: Any) -> TreatmentSession:
    fields: dict[str, Any] = {
        "patient_id": 1,
        "practitioner_id": 2,
        "started_at": STARTED,
        "stimulation": MANUAL,
    }
    fields.update(changes)
    return TreatmentSession(**fields)


def _session_refused(**changes: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        _session(**changes)
    return _fields(caught)


def _reading(minutes: int, pain: int | None = 5) -> SessionReading:
    return SessionReading(pain=pain, minutes_after_needling=minutes)


def test_before_reading_is_taken_at_or_before_needling() -> None:
    assert _session(before=_reading(0)).before == _reading(0)
    assert _session_refused(before=_reading(1)) == ["before.minutes_after_needling"]


@pytest.mark.parametrize("after", [-10, -5])
def test_after_must_be_later_than_before(after: int) -> None:
    assert _session_refused(before=_reading(-5), after=_reading(after)) == [
        "after.minutes_after_needling"
    ]


def test_after_without_before_is_refused() -> None:
    assert _session_refused(after=_reading(30)) == ["before"]


def test_duplicate_point_is_refused_by_position() -> None:
    points = [
        NeedlePoint(code="GB20", side=Side.LEFT),
        NeedlePoint(code="gb-20", side=Side.LEFT),
        NeedlePoint(code="GB20", side=Side.RIGHT),
    ]
    assert _session_refused(points=points) == ["points.1"]
    assert len(_session(points=[points[0], points[2]]).points) == 2


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (240, True), (241, False)])
def test_retention_from_1_to_240_minutes(minutes: int, ok: bool) -> None:
    if ok:
        assert _session(retention_minutes=minutes).retention_minutes == minutes
    else:
        assert _session_refused(retention_minutes=minutes) == ["retention_minutes"]


def test_naive_start_is_refused_with_other_problems() -> None:
    fields = _session_refused(started_at=STARTED.replace(tzinfo=None), retention_minutes=0)
    assert fields == ["started_at", "retention_minutes"]


def test_sequences_are_frozen_to_tuples() -> None:
    events = [AdverseEvent(kind=AdverseEventKind.BLEEDING)]
    session = _session(points=[NeedlePoint(code="GV20")], adverse_events=events)
    events.append(AdverseEvent(kind=AdverseEventKind.PAIN))
    assert isinstance(session.points, tuple)
    assert session.adverse_events == (AdverseEvent(kind=AdverseEventKind.BLEEDING),)


def test_adverse_event_other_needs_notes() -> None:
    with pytest.raises(InvalidInput) as caught:
        AdverseEvent(kind=AdverseEventKind.OTHER, notes="  ")
    assert _fields(caught) == ["notes"]


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (_reading(0, pain=7), _reading(30, pain=3), -4),
        (_reading(0, pain=2), _reading(30, pain=5), 3),
        (SessionReading(mood=4, minutes_after_needling=0), _reading(30, pain=3), None),
        (None, None, None),
    ],
)
def test_pain_change(
    before: SessionReading | None, after: SessionReading | None, change: int | None
) -> None:
    assert _session(before=before, after=after).pain_change() == change


def test_session_not_future() -> None:
    session = _session()
    session.check_not_future(STARTED)
    with pytest.raises(InvalidInput) as caught:
        session.check_not_future(STARTED - dt.timedelta(seconds=1))
    assert _fields(caught) == ["started_at"]
