"""The charts: inline SVG labelled by its caption, ids of its own, nothing drawn from nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from acurelief.reports import charts

D = dt.date(2026, 3, 1)


def _series(values: tuple[float | None, ...]) -> charts.WindowSeries:
    first = tuple(D + dt.timedelta(days=28 * i) for i in range(len(values)))
    return charts.WindowSeries(
        first=first,
        last=tuple(f + dt.timedelta(days=27) for f in first),
        values=values,
        rolling_dates=(),
        rolling=(),
        baseline=values[0],
        sessions=(D + dt.timedelta(days=28), D + dt.timedelta(days=35)),
        today=D + dt.timedelta(days=28 * len(values) - 1),
        ylabel="headache days / 28",
    )


def test_a_chart_is_an_svg_document_of_its_size_with_prefixed_ids() -> None:
    data = _series((9.0, 6.0, None, 4.0))
    svg = charts.draw(data, "one")
    assert svg is not None
    assert svg.startswith("<svg ")
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    width, height = charts.size_px(data)
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert box is not None
    points = (float(box.group(1)), float(box.group(2)))
    assert points == pytest.approx((width * 0.75, height * 0.75), abs=0.5)  # rounded to a pixel
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids
    assert all(i.startswith("one-") for i in ids)
    assert all(r.startswith("#one-") for r in re.findall(r'href="(#[^"]+)"', svg))
    assert "<text" in svg  # text stays text
    assert "baseline" in svg


def test_the_same_numbers_are_drawn_once() -> None:
    data = _series((8.0, 5.0))
    first = charts.windows_chart(data, "memo")
    assert charts.windows_chart(data, "memo") is first


def test_nothing_to_draw_gives_no_chart() -> None:
    empty: tuple[charts.Chart, ...] = (
        _series((None, None)),
        charts.SessionPain((D,), (None,), (None,)),
        charts.MoodSeries((), (), (D,), (None,), (None,)),
        charts.ScoreSeries((charts.Scores("PHQ-9", (), (), 0, 27),)),
        charts.MedicationSeries((D,), (D,), (None,), ((10, "10"),), (), D),
    )
    for data in empty:
        assert not data.drawable, data
        assert charts.draw(data, "empty") is None, data


def test_a_mood_of_zero_is_drawn() -> None:
    """0 is the lowest mood, not a missing one."""
    data = charts.MoodSeries((), (), (D,), (0,), (None,))
    assert data.drawable
    svg = charts.draw(data, "zero")
    assert svg is not None
    assert "before session" in svg


def test_every_chart_draws_its_data() -> None:
    pain = charts.session_pain_chart(charts.SessionPain((D, D + dt.timedelta(7)), (6, 5), (3, 4)))
    mood = charts.mood_chart(charts.MoodSeries((D,), (6.5,), (D,), (5,), (7,)))
    scores = charts.scores_chart(
        charts.ScoreSeries((charts.Scores("PHQ-9", (D, D + dt.timedelta(60)), (12, 6), 0, 27),))
    )
    medication = charts.medication_chart(
        charts.MedicationSeries((D,), (D + dt.timedelta(27),), (6.0,), ((10, "10"),), (), D)
    )
    for svg in (pain, mood, scores, medication):
        assert svg is not None
        assert svg.count("<svg") == 1
