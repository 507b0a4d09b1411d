"""View-models of the patient dashboard (practitioner) and My progress (patient).

A page hands ``services.overview.patient_dashboard``'s result to ``dashboard_view`` or
``progress_view`` and renders what comes back: every figure already in words with the window
it covers, the charts described (``reports.charts``; drawn when the browser asks for them,
``web.chart_images``) with their text alternatives, and the calendar's cells with the text a
screen reader says. Nothing is estimated here.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from acurelief.analysis.prevention import RateRatio
from acurelief.analysis.relief import ReliefReport
from acurelief.domain import Instrument, MedicationClass, TreatmentSession
from acurelief.domain.people import zone
from acurelief.outcomes.endpoints import OVERUSE_DAYS
from acurelief.outcomes.questionnaires import BANDS
from acurelief.reports import charts
from acurelief.reports.wording import (
    Verdict,
    date_span,
    days_span,
    days_word,
    long_date,
    patient_window_name,
    per_28,
    ratio,
    short_date,
    verdict,
    window_name,
)
from acurelief.services.outcomes import WindowRow
from acurelief.services.overview import DayStatus, MonthDay, PatientDashboard

CHARTED = (Instrument.PHQ9, Instrument.GAD7, Instrument.HIT6, Instrument.MIDAS)
PLAIN_NAMES = {
    Instrument.PHQ9: "Low mood (PHQ-9)",
    Instrument.GAD7: "Worry and anxiety (GAD-7)",
    Instrument.HIT6: "Headache impact (HIT-6)",
    Instrument.MIDAS: "Days lost to headache (MIDAS)",
}
SEVERE_FROM = 7  # the calendar's dark cells: peak pain 7–10


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart and its text alternative. ``chart`` describes what to draw (None when there is
    nothing to draw); the page links it as an image, drawn when the browser asks for it."""

    name: str
    title: str
    chart: charts.Chart | None
    caption: str

    @classmethod
    def of(cls, name: str, title: str, data: charts.Chart, caption: str) -> Figure:
        return cls(name, title, data if data.drawable else None, caption)


@dataclass(frozen=True, slots=True)
class Stat:
    """A key figure: the number, what it counts, and the window and days it rests on."""

    value: str
    label: str
    basis: str


@dataclass(frozen=True, slots=True)
class WindowLine:
    name: str
    dates: str
    recorded: str
    headache: str
    migraine: str
    medication: str
    pain: str
    not_evaluable: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One calendar day. ``text`` is what the cell prints (pain, "–" no headache, "?" missing);
    ``label`` what a screen reader says; only recorded and missing days take the focus."""

    date: dt.date
    css: str
    text: str
    label: str
    session: bool
    focusable: bool


@dataclass(frozen=True, slots=True)
class Calendar:
    title: str
    caption: str
    weeks: tuple[tuple[Cell | None, ...], ...]
    previous: tuple[str, str] | None  # (?month= value, "May 2026")
    next: tuple[str, str] | None
    this_month: str | None  # ?month= of today's month when another month is shown


@dataclass(frozen=True, slots=True)
class SessionLine:
    when: str
    practitioner: str
    points: str
    stimulation: str
    pain: str
    mood: str
    notes: str
    adverse: str


@dataclass(frozen=True, slots=True)
class DashboardView:
    verdict: Verdict
    figures_line: str  # the numbers the verdict rests on, each with its window
    ratio_line: str | None
    follow_up_line: str | None
    latest_line: str | None
    stats: tuple[Stat, ...]
    headache: Figure
    pain: Figure
    mood: Figure
    scores: Figure
    medication: Figure
    overuse: tuple[str, ...]
    windows: tuple[WindowLine, ...]
    calendar: Calendar
    sessions: tuple[SessionLine, ...]
    alerts: tuple[str, ...]

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (self.headache, self.pain, self.mood, self.scores, self.medication)


@dataclass(frozen=True, slots=True)
class BigNumber:
    value: str
    words: str


@dataclass(frozen=True, slots=True)
class ProgressView:
    verdict: Verdict
    before: BigNumber | None
    now: BigNumber | None
    waiting: str | None  # why there is nothing to compare yet, kindly
    headache: Figure
    mood: Figure
    scores: Figure
    score_lines: tuple[str, ...]
    details: tuple[str, ...]
    sessions: int
    calendar: Calendar

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (self.headache, self.mood, self.scores)


# --- shared pieces ---------------------------------------------------------------------------


def _one(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def _between(low: float, high: float, digits: int = 1) -> str:
    """An interval: "0.8–2.1", or "−0.3 to 0.6" when a bound is negative."""
    a, b = f"{low:.{digits}f}", f"{high:.{digits}f}"
    if low < 0 or high < 0:
        return f"{a.replace('-', '−')} to {b.replace('-', '−')}"
    return f"{a}–{b}"


def _ratio_window(d: PatientDashboard) -> tuple[str, str, str]:
    """The rate ratio's window: its name, its dates and its name for the patient."""
    span = d.outcomes.rate_ratio_days
    if span is None or d.outcomes.first_session is None:
        return "weeks 1–12", "", "your first 12 weeks of treatment"
    return (
        window_name(*span),
        days_span(d.outcomes.first_session, *span),
        patient_window_name(*span),
    )


def _verdict(d: PatientDashboard) -> Verdict:
    name, _, plain = _ratio_window(d)
    return verdict(d.outcomes.rate_ratio, name, plain)


def _latest(d: PatientDashboard) -> WindowRow | None:
    """The latest treatment or follow-up window with an evaluable headache-day figure."""
    rows = [w for w in d.outcomes.windows[1:] if not math.isnan(w.headache_days)]
    return rows[-1] if rows else None


def _window_dates(d: PatientDashboard, w: WindowRow) -> str:
    first = d.outcomes.first_session
    return days_span(first, w.start, w.stop) if first is not None else ""


def _session_dates(d: PatientDashboard) -> tuple[dt.date, ...]:
    tz = zone(d.patient.time_zone)
    return tuple(s.started_at.astimezone(tz).date() for s in d.sessions)


def _window_series(d: PatientDashboard, *, plain: bool) -> charts.WindowSeries:
    base = d.outcomes.windows[0].headache_days if d.outcomes.windows else math.nan
    return charts.WindowSeries(
        first=tuple(b.first for b in d.blocks),
        last=tuple(b.last for b in d.blocks),
        values=tuple(None if math.isnan(b.headache_days) else b.headache_days for b in d.blocks),
        rolling_dates=tuple(r.date for r in d.rolling),
        rolling=tuple(round(r.headache_days, 2) for r in d.rolling),
        baseline=None if math.isnan(base) else base,
        sessions=_session_dates(d),
        today=d.today,
        ylabel="headache days in 4 weeks" if plain else "headache days / 28",
        baseline_label="before treatment" if plain else f"baseline {base:.1f}",
        half_label="half of before" if plain else f"50% of baseline {base / 2:.1f}",
        windows_label="every 4 weeks" if plain else "4-week windows",
        rolling_label="day by day" if plain else "rolling 28 days",
    )


def _headache_caption(d: PatientDashboard, *, plain: bool) -> str:
    shown = [b for b in d.blocks if not math.isnan(b.headache_days)]
    if not shown:
        return "No 4-week stretch of the diary has enough days filled in to count yet."
    unit = "headache days in 4 weeks" if plain else "headache days per 28 recorded days"
    parts = [
        f"{unit.capitalize()}, for each 4 weeks from {short_date(shown[0].first)} to "
        f"{short_date(shown[-1].last)} ({len(shown)} periods with enough diary)."
    ]
    if d.outcomes.windows and not math.isnan(d.outcomes.windows[0].headache_days):
        base = d.outcomes.windows[0].headache_days
        who = "Before treatment" if plain else "Baseline"
        parts.append(f"{who}: {base:.1f}; the dotted line is half of it ({base / 2:.1f}).")
    low = min(shown, key=lambda b: b.headache_days)
    high = max(shown, key=lambda b: b.headache_days)
    last = shown[-1]
    parts.append(
        f"Latest: {last.headache_days:.1f} ({date_span(last.first, last.last)}); lowest "
        f"{low.headache_days:.1f} ({date_span(low.first, low.last)}); highest "
        f"{high.headache_days:.1f} ({date_span(high.first, high.last)})."
    )
    if d.rolling and d.rolling[-1].date == d.today:
        now = d.rolling[-1].headache_days
        span = date_span(d.today - dt.timedelta(days=27), d.today)
        parts.append(
            f"The thin line counts the 28 days up to each day: {now:.1f} for {span}."
            if not plain
            else f"The thin line counts the 4 weeks up to each day: {now:.1f} for {span}."
        )
    if d.sessions:
        dates = _session_dates(d)
        parts.append(
            f"Ticks along the bottom: {len(dates)} sessions, {date_span(dates[0], dates[-1])}."
        )
    return " ".join(parts)


def _headache_figure(d: PatientDashboard, *, plain: bool) -> Figure:
    name = "progress-headache" if plain else "headache-chart"
    title = "Headache days in each 4 weeks" if plain else "Headache days per 28 days"
    return Figure.of(name, title, _window_series(d, plain=plain), _headache_caption(d, plain=plain))


def _mood_figure(d: PatientDashboard, *, plain: bool) -> Figure:
    mood = d.outcomes.mood
    series = charts.MoodSeries(
        weeks=tuple(w.start for w in d.weekly_mood),
        weekly=tuple(round(w.mean, 2) for w in d.weekly_mood),
        session_dates=_session_dates(d),
        session_before=tuple(s.before.mood if s.before else None for s in d.sessions),
        session_after=tuple(s.after.mood if s.after else None for s in d.sessions),
    )
    name = "progress-mood" if plain else "mood-chart"
    parts = []
    if d.weekly_mood:
        first, last = d.weekly_mood[0], d.weekly_mood[-1]
        parts.append(
            f"Mood in the diary (0–10, 10 best), weekly average over {len(d.weekly_mood)} weeks: "
            f"{first.mean:.1f} in the week of {short_date(first.start)}, {last.mean:.1f} in the "
            f"week of {short_date(last.start)}."
        )
    else:
        parts.append("No week has mood rated on 4 or more days yet.")
    lift = mood.session_lift
    if mood.n_sessions and not math.isnan(lift.estimate):
        if plain:
            points = "point" if round(abs(lift.estimate), 1) == 1 else "points"
            parts.append(
                f"Across {mood.n_sessions} sessions your mood after a session was on average "
                f"{abs(lift.estimate):.1f} {points} "
                f"{'higher' if lift.estimate >= 0 else 'lower'} than before it."
            )
        else:
            ci = (
                f" (95% CI {lift.low:+.1f} to {lift.high:+.1f})" if not math.isnan(lift.low) else ""
            )
            parts.append(
                f"Session mood after − before: {lift.estimate:+.1f}{ci} over "
                f"{mood.n_sessions} sessions."
            )
    return Figure.of(name, "Mood", series, " ".join(parts))


def _scores(d: PatientDashboard) -> list[tuple[Instrument, list[tuple[dt.date, int, str]]]]:
    found = d.outcomes.mood.scores
    return [(i, [(s.date, s.total, s.band) for s in found[i]]) for i in CHARTED if found.get(i)]


def _score_lines(d: PatientDashboard, *, plain: bool) -> tuple[str, ...]:
    lines = []
    for instrument, rows in _scores(d):
        name = PLAIN_NAMES[instrument] if plain else str(instrument)
        first, last = rows[0], rows[-1]
        if len(rows) == 1:
            text = f"{name}: {first[1]} ({first[2]}) on {short_date(first[0])}"
        else:
            text = (
                f"{name}: {first[1]} ({first[2]}) on {short_date(first[0])} → {last[1]} "
                f"({last[2]}) on {short_date(last[0])}, {len(rows)} answers"
            )
        lines.append(text + (" — lower is better." if plain else "."))
    return tuple(lines)


def _scores_figure(d: PatientDashboard, *, plain: bool) -> Figure:
    series = charts.ScoreSeries(
        tuple(
            charts.Scores(
                name=PLAIN_NAMES[i] if plain else f"{i} (higher is worse)",
                dates=tuple(r[0] for r in rows),
                totals=tuple(r[1] for r in rows),
                lowest=BANDS[i][0].lowest,
                highest=BANDS[i][-1].highest,
                cut_offs=tuple(b.lowest for b in BANDS[i][1:]),
            )
            for i, rows in _scores(d)
        )
    )
    name = "progress-scores" if plain else "scores-chart"
    lines = _score_lines(d, plain=plain)
    caption = " ".join(lines) if lines else "No questionnaire answered yet."
    return Figure.of(name, "Questionnaires", series, caption)


# --- the practitioner's dashboard -----------------------------------------------------------


def _figures_line(d: PatientDashboard) -> tuple[str, str | None]:
    """ "Headache days per 28 days: 9.1 at baseline (…) → 4.2 in weeks 1–12 (…)" and the rate
    ratio of the same two windows, so that the numbers and the ratio cannot disagree."""
    o = d.outcomes
    rr = o.rate_ratio
    if rr is None or o.first_session is None or o.rate_ratio_days is None:
        recent = f"{d.recorded_last_28} of the last 28 days recorded"
        return f"No treatment session yet; {recent}.", None
    name, dates, _ = _ratio_window(d)
    span = o.rate_ratio_days[1] - o.rate_ratio_days[0]
    base_dates = days_span(o.first_session, -28, 0)
    line = (
        f"Headache days per 28 days: {_one(per_28(rr.baseline_events, rr.baseline_days))} at "
        f"baseline ({rr.baseline_days} of 28 days recorded, {base_dates}) → "
        f"{_one(per_28(rr.window_events, rr.window_days))} in {name} ({rr.window_days} of "
        f"{span} days recorded, {dates})."
    )
    if not rr.evaluable:
        return line, None
    return line, (
        f"Rate ratio {name} vs baseline {ratio(rr.estimate)} (95% CI {ratio(rr.low)}–"
        f"{ratio(rr.high)}; {rr.method})."
    )


def _follow_up_line(d: PatientDashboard) -> str | None:
    o, rr = d.outcomes, d.outcomes.follow_up_rate_ratio
    if rr is None or o.follow_up_days is None or o.first_session is None:
        return None
    start, stop = o.follow_up_days
    dates = days_span(o.first_session, start, stop)
    text = (
        f"Follow-up after the last session ({dates}): "
        f"{_one(per_28(rr.window_events, rr.window_days))} headache days per 28 "
        f"({rr.window_days} of {stop - start} days recorded)"
    )
    if rr.evaluable:
        return (
            f"{text}; rate ratio follow-up vs baseline {ratio(rr.estimate)} (95% CI "
            f"{ratio(rr.low)}–{ratio(rr.high)})."
        )
    return f"{text}; not evaluable: {'; '.join(rr.caveats)}."


def _latest_line(d: PatientDashboard) -> str | None:
    w = _latest(d)
    if w is None:
        return None
    return (
        f"Latest complete 4 weeks ({w.name}, {_window_dates(d, w)}): "
        f"{_one(w.headache_days)} headache days per 28 ({w.recorded_days} of 28 days recorded)."
    )


def _stats(d: PatientDashboard) -> tuple[Stat, ...]:
    o = d.outcomes
    out = []
    if o.windows:
        base = o.windows[0]
        out.append(
            Stat(
                _one(base.headache_days),
                "headache days / 28, baseline",
                f"{_window_dates(d, base)} · {base.recorded_days} of 28 days",
            )
        )
    rr = o.rate_ratio
    if rr is not None and o.rate_ratio_days is not None:
        name, dates, _ = _ratio_window(d)
        span = o.rate_ratio_days[1] - o.rate_ratio_days[0]
        out.append(
            Stat(
                _one(per_28(rr.window_events, rr.window_days)),
                f"headache days / 28, {name}",
                f"{dates} · {rr.window_days} of {span} days",
            )
        )
    latest = _latest(d)
    if latest is not None:
        out.append(
            Stat(
                _one(latest.headache_days),
                f"headache days / 28, {latest.name} (latest)",
                f"{_window_dates(d, latest)} · {latest.recorded_days} of 28 days",
            )
        )
    relief = o.relief
    if relief is not None and relief.n_sessions:
        out.append(_relief_stat(relief))
    carry = o.carry_over
    if carry is not None and carry.identified_:
        low, high = carry.half_life_interval_
        book = f" · book by {short_date(o.book_by)}" if o.book_by else ""
        if o.book_by and o.book_by < d.today:
            book += " (passed)"
        out.append(
            Stat(
                f"{carry.half_life_:.0f} d",
                "half-life of a session's protection",
                f"95% CI {low:.0f}–{high:.0f} days{book} · {'; '.join(carry.caveats_)}",
            )
        )
    out.append(
        Stat(
            f"{d.recorded_last_28}/28",
            "diary days recorded",
            f"last 28 days, {date_span(d.today - dt.timedelta(days=27), d.today)}",
        )
    )
    return tuple(out)


def _relief_stat(relief: ReliefReport) -> Stat:
    """Relief in sessions that started with a headache: the only ones with pain to relieve."""
    label = (
        "points less pain just after a session that started with a headache "
        f"(pain ≥{relief.min_start_pain})"
    )
    ache = relief.with_headache
    if ache is None:
        return Stat("–", label, f"none of {relief.n_sessions} sessions started that high")
    drop = ache.mean_drop
    ci = f"95% CI {_between(drop.low, drop.high)} · " if not math.isnan(drop.low) else ""
    return Stat(
        f"{drop.estimate:.1f}", label, f"{ci}{ache.n_sessions} of {relief.n_sessions} sessions"
    )


def _headache_relief_words(relief: ReliefReport) -> str:
    """The caption's sentences on sessions that started with a headache, and those below."""
    ache, t = relief.with_headache, relief.min_start_pain
    if ache is None:
        words = (
            f"No session started with pain {t} or more, so relief during a headache cannot be "
            "shown yet. "
        )
    else:
        drop = ache.mean_drop
        ci = f" (95% CI {_between(drop.low, drop.high)})" if not math.isnan(drop.low) else ""
        words = (
            f"Sessions that started with a headache (pain {t} or more): {ache.n_sessions} of "
            f"{relief.n_sessions}, on average {drop.estimate:.1f} points lower after{ci}, a "
            f"meaningful drop in {ache.meaningful_count} of {ache.n_sessions}; after high pain "
            "part of a drop is regression to the mean. "
        )
    if relief.started_below:
        words += f"{relief.below_note()}. "
    return words


def _pain_figure(d: PatientDashboard) -> Figure:
    data = charts.SessionPain(
        dates=_session_dates(d),
        before=tuple(s.before.pain if s.before else None for s in d.sessions),
        after=tuple(s.after.pain if s.after else None for s in d.sessions),
    )
    relief = d.outcomes.relief
    if relief is None or not relief.n_sessions:
        caption = "No session has pain measured both before and after needling yet."
    else:
        drop = relief.all_sessions.mean_drop
        ci = f" (95% CI {_between(drop.low, drop.high)})" if not math.isnan(drop.low) else ""
        both = [
            (date, s)
            for date, s in zip(data.dates, d.sessions, strict=True)
            if s.before and s.after and s.before.pain is not None and s.after.pain is not None
        ]
        date, last = both[-1]
        assert last.before is not None
        assert last.after is not None
        caption = (
            f"Pain 0–10 before and after each of {relief.n_sessions} sessions with both "
            f"readings: on average {drop.estimate:.1f} points lower after{ci}; a meaningful drop "
            f"(≥2 points and ≥30%) in {relief.all_sessions.meaningful_count} of "
            f"{relief.n_sessions}. {_headache_relief_words(relief)}"
            f"Latest: {last.before.pain} → {last.after.pain} on {short_date(date)}."
        )
    return Figure.of("pain-chart", "Pain before and after each session", data, caption)


def _medication_figure(d: PatientDashboard) -> Figure:
    thresholds = sorted(set(OVERUSE_DAYS.values()))
    simple = OVERUSE_DAYS[MedicationClass.SIMPLE_ANALGESIC]
    data = charts.MedicationSeries(
        first=tuple(b.first for b in d.blocks),
        last=tuple(b.last for b in d.blocks),
        values=tuple(
            None if math.isnan(b.acute_medication_days) else b.acute_medication_days
            for b in d.blocks
        ),
        thresholds=tuple(
            (t, f"{t} days/month" + (": simple analgesics" if t == simple else ": other classes"))
            for t in thresholds
        ),
        sessions=_session_dates(d),
        today=d.today,
    )
    shown = [b for b in d.blocks if not math.isnan(b.acute_medication_days)]
    if shown:
        high = max(shown, key=lambda b: b.acute_medication_days)
        caption = (
            f"Days with any acute medication per 28 recorded days, each 4 weeks from "
            f"{short_date(shown[0].first)}: latest {shown[-1].acute_medication_days:.1f} "
            f"({date_span(shown[-1].first, shown[-1].last)}), highest "
            f"{high.acute_medication_days:.1f} ({date_span(high.first, high.last)}). Dashed "
            f"lines: the ICHD-3 8.2 overuse thresholds per class and month, "
            f"{' and '.join(str(t) for t in thresholds)} days."
        )
    else:
        caption = "No 4-week stretch of the diary has enough days filled in to count yet."
    return Figure.of("medication-chart", "Acute medication and overuse risk", data, caption)


def _overuse(d: PatientDashboard) -> tuple[str, ...]:
    """Classes at or over the ICHD-3 8.2 threshold, with the 30-day months concerned."""
    o = d.outcomes
    if o.first_session is None:
        return ()
    start = o.first_session - dt.timedelta(days=28)  # the months count from the baseline
    lines = []
    for cls, per_month, sustained in o.overuse:
        threshold = OVERUSE_DAYS[MedicationClass(cls)]
        months = [
            f"{days} days in {days_span(start, 30 * i, 30 * i + 30)}"
            for i, days in enumerate(per_month)
            if days >= threshold
        ]
        lasting = "more than 3 consecutive months" if sustained else "not yet more than 3 months"
        lines.append(
            f"{cls.replace('_', ' ')}: at or over {threshold} days/month in {len(months)} of "
            f"{len(per_month)} months ({'; '.join(months)}); {lasting}."
        )
    return tuple(lines)


def _windows(d: PatientDashboard) -> tuple[WindowLine, ...]:
    return tuple(
        WindowLine(
            name=w.name,
            dates=_window_dates(d, w),
            recorded=f"{w.recorded_days} of 28",
            headache=_one(w.headache_days),
            migraine=_one(w.migraine_days),
            medication=_one(w.acute_medication_days),
            pain=_one(w.mean_peak_pain),
            not_evaluable=w.not_evaluable,
        )
        for w in d.outcomes.windows
    )


def _cell(day: MonthDay) -> Cell:
    e = day.entry
    session = bool(day.sessions)
    tail = ", session" if session else ""
    date = long_date(day.date)
    if day.status is DayStatus.MISSING:
        return Cell(day.date, "missing", "?", f"{date}: not recorded{tail}", session, True)
    if day.status in (DayStatus.BEFORE, DayStatus.FUTURE):
        css = day.status.value
        label = f"{date}: {'before the diary began' if css == 'before' else 'still to come'}"
        return Cell(day.date, css, "", label + tail, session, session)
    assert e is not None
    if not e.headache:
        return Cell(day.date, "none", "–", f"{date}: no headache{tail}", session, True)
    pain = e.peak_pain
    css = "severe" if pain is not None and pain >= SEVERE_FROM else "ache"
    text = "H" if pain is None else str(pain)
    said = "pain not rated" if pain is None else f"pain {pain}"
    return Cell(day.date, css, text, f"{date}: headache, {said}{tail}", session, True)


def _calendar(d: PatientDashboard) -> Calendar:
    c = d.calendar
    cells: list[Cell | None] = [None] * c.month.weekday()
    cells.extend(_cell(day) for day in c.days)
    cells.extend([None] * (-len(cells) % 7))
    weeks = tuple(tuple(cells[i : i + 7]) for i in range(0, len(cells), 7))
    recorded = c.count(DayStatus.NONE, DayStatus.ACHE)
    pains = [
        day.entry.peak_pain
        for day in c.days
        if day.entry is not None and day.entry.headache and day.entry.peak_pain is not None
    ]
    ache = c.count(DayStatus.ACHE)
    parts = [
        f"{c.month:%B %Y}: {days_word(recorded)} recorded",
        f"{c.count(DayStatus.MISSING)} missing",
        f"{ache} with headache"
        + (f" (mean peak pain {statistics.fmean(pains):.1f})" if pains else ""),
        f"{c.session_count} {'session' if c.session_count == 1 else 'sessions'}",
    ]
    if c.count(DayStatus.FUTURE):
        parts.append(f"{days_word(c.count(DayStatus.FUTURE))} still to come")
    if c.count(DayStatus.BEFORE):
        parts.append(f"{days_word(c.count(DayStatus.BEFORE))} before the diary began")

    def link(month: dt.date | None) -> tuple[str, str] | None:
        return None if month is None else (f"{month:%Y-%m}", f"{month:%B %Y}")

    return Calendar(
        title=f"{c.month:%B %Y}",
        caption=", ".join(parts) + ".",
        weeks=weeks,
        previous=link(c.previous),
        next=link(c.next),
        this_month=None if c.month == c.last_month else f"{c.last_month:%Y-%m}",
    )


def _side(point_side: str | None) -> str:
    return {"left": " L", "right": " R", "bilateral": " both"}.get(point_side or "", "")


def _session_line(d: PatientDashboard, s: TreatmentSession) -> SessionLine:
    tz = zone(d.patient.time_zone)
    stim = s.stimulation
    parts = [stim.kind.value]
    if stim.frequencies_hz:
        parts.append("/".join(f"{f:g}" for f in stim.frequencies_hz) + " Hz")
    if stim.intensity_ma is not None:
        parts.append(f"{stim.intensity_ma:g} mA")
    if s.retention_minutes is not None:
        parts.append(f"{s.retention_minutes} min retention")
    if s.de_qi is not None:
        parts.append("de qi" if s.de_qi else "no de qi")

    def pair(before: int | None, after: int | None) -> str:
        return f"{'–' if before is None else before} → {'–' if after is None else after}"

    b, a = s.before, s.after
    pain = pair(b.pain if b else None, a.pain if a else None)
    if a is not None and a.pain is not None:
        pain += f" at {a.minutes_after_needling} min"
    who = (
        d.practitioners.get(s.practitioner_id, "former practitioner")
        if s.practitioner_id is not None
        else "not recorded"
    )
    return SessionLine(
        when=s.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        practitioner=who,
        points=", ".join(f"{p.code}{_side(p.side.value if p.side else None)}" for p in s.points)
        or "–",
        stimulation=", ".join(parts),
        pain=pain,
        mood=pair(b.mood if b else None, a.mood if a else None),
        notes=s.notes or "",
        adverse="; ".join(
            e.kind.value + (f" ({e.notes})" if e.notes else "") for e in s.adverse_events
        ),
    )


def dashboard_view(d: PatientDashboard) -> DashboardView:
    figures, ratio_line = _figures_line(d)
    return DashboardView(
        verdict=_verdict(d),
        figures_line=figures,
        ratio_line=ratio_line,
        follow_up_line=_follow_up_line(d),
        latest_line=_latest_line(d),
        stats=_stats(d),
        headache=_headache_figure(d, plain=False),
        pain=_pain_figure(d),
        mood=_mood_figure(d, plain=False),
        scores=_scores_figure(d, plain=False),
        medication=_medication_figure(d),
        overuse=_overuse(d),
        windows=_windows(d),
        calendar=_calendar(d),
        sessions=tuple(_session_line(d, s) for s in reversed(d.sessions)),
        alerts=tuple(f"{a.instrument} of {short_date(a.date)}: {a.text}" for a in d.alerts),
    )


# --- My progress (the patient) ---------------------------------------------------------------


def _whole(value: float) -> str:
    """Headache days in 4 weeks for a patient: one decimal below 10, whole numbers above."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _before(d: PatientDashboard) -> BigNumber | None:
    o = d.outcomes
    if not o.windows or o.first_session is None or math.isnan(o.windows[0].headache_days):
        return None
    base = o.windows[0]
    return BigNumber(
        _whole(base.headache_days),
        f"headache days in the 4 weeks before treatment ({_window_dates(d, base)}), from "
        f"{base.recorded_days} of 28 diary days filled in",
    )


def _now(d: PatientDashboard) -> BigNumber | None:
    w = _latest(d)
    if w is None:
        return None
    first = d.outcomes.first_session
    assert first is not None
    ended = first + dt.timedelta(days=w.stop - 1)
    when = (
        "the latest 4 weeks"
        if (d.today - ended).days < 7
        else f"weeks {w.start // 7 + 1} to {w.stop // 7} of your treatment, the latest 4 weeks "
        "with enough diary days"
    )
    return BigNumber(
        _whole(w.headache_days),
        f"headache days in {when} ({_window_dates(d, w)}), from {w.recorded_days} of 28 diary "
        "days filled in",
    )


def _waiting(d: PatientDashboard, v: Verdict) -> str | None:
    if v.evaluable and _before(d) is not None and _now(d) is not None:
        return None
    if d.outcomes.first_session is None:
        return v.patient
    if _now(d) is None and _before(d) is not None:
        return (
            "Keep filling in your diary: once 4 weeks since your first treatment have enough "
            "days filled in, you will see them here next to the 4 weeks before it."
        )
    return v.patient


def _details(d: PatientDashboard, rr: RateRatio | None) -> tuple[str, ...]:
    lines = []
    figures, ratio_line = _figures_line(d)
    lines.append(figures)
    if ratio_line:
        lines.append(ratio_line)
    elif rr is not None and rr.caveats:
        lines.append(f"Rate ratio not evaluable: {'; '.join(rr.caveats)}.")
    follow = _follow_up_line(d)
    if follow:
        lines.append(follow)
    carry = d.outcomes.carry_over
    if carry is not None and not carry.identified_:
        lines.append(f"How long a session's protection lasts: {'; '.join(carry.caveats_[1:])}.")
    lines.append(
        "Headache days are counted per 28 days that were filled in; days left empty are not "
        "counted as headache-free."
    )
    return tuple(lines)


def progress_view(d: PatientDashboard) -> ProgressView:
    v = _verdict(d)
    return ProgressView(
        verdict=v,
        before=_before(d),
        now=_now(d),
        waiting=_waiting(d, v),
        headache=_headache_figure(d, plain=True),
        mood=_mood_figure(d, plain=True),
        scores=_scores_figure(d, plain=True),
        score_lines=_score_lines(d, plain=True),
        details=_details(d, d.outcomes.rate_ratio),
        sessions=len(d.sessions),
        calendar=_calendar(d),
    )
