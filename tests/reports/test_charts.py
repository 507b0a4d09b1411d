"""The charts: inline SVG labelled by its caption, ids of its own, nothing drawn from nothing."""

from __future__ import annotations

import datetime as dt
import re

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


def test_a_chart_is_an_svg_labelled_by_its_caption_with_prefixed_ids() -> None:
    svg = charts.windows_chart(_series((9.0, 6.0, None, 4.0)), "one")
    assert svg is not None
    assert svg.startswith('<svg role="img" aria-labelledby="one-caption" focusable="false"')
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
    assert charts.windows_chart(_series((None, None)), "empty") is None
    assert charts.session_pain_chart(charts.SessionPain((D,), (None,), (None,))) is None
    assert charts.mood_chart(charts.MoodSeries((), (), (), (), ())) is None
    assert charts.scores_chart(charts.ScoreSeries(())) is None


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
