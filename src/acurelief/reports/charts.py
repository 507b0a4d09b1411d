"""SVG charts shared by the web pages and the reports (matplotlib, no screen needed).

Each chart takes a small frozen description of what to draw — dates and numbers already
computed elsewhere (``Chart``) — and returns an SVG document as text; ``draw`` picks the chart
for a description, ``size_px`` gives its size before it is drawn. The figures are built with
matplotlib's object API (no pyplot state, so pages may render them from several threads),
text stays text (``svg.fonttype = none``: smaller, faster, selectable) and every id is
prefixed with the chart's name so that several charts can sit inline on one page. Rendering
is the slow part of a page, so each chart is cached on its (hashable) description: the same
numbers never need drawing twice. A first drawing is kept cheap too: each kind of chart draws
on one kept figure (``_figure``), text is measured once per process (``_canvas``), and a
hundred session ticks are one path (``_strokes``), not a hundred.

A chart is never the only way to a number: the page puts each one in a ``<figure>`` whose
``<figcaption>`` states what it shows, and describes the image.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeGuard

INK = "#1d2733"
MUTED = "#56616d"
GRID = "#e3e6ea"
BRAND = "#1f4e5f"
BEFORE = "#8a94a0"
ACCENT = "#0b6e4f"
BAD = "#a4282d"
WARN = "#9a6b00"
FONT_SIZE = 12
WIDTH_IN = 4.6  # drawn about 1:1 on a phone, about 1.6× in a desktop column
LEGEND_IN = 0.34  # room above the plot for a legend
_LOCK = threading.Lock()
_FIGURES: dict[tuple[str, float, int, float], tuple[Any, list[Any]]] = {}  # see _figure
_TEXT_SIZES: dict[tuple[str, Any, Any], tuple[float, float, float]] = {}  # see _canvas
_IDS = re.compile(r'(id="|url\(#|href="#)')
_INDENT = re.compile(r"\n\s+")
_DIGITS = re.compile(r"(\d\.\d\d)\d+")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


@dataclass(frozen=True, slots=True)
class WindowSeries:
    """Consecutive 28-day windows: each from ``first[i]`` to ``last[i]`` with its value per 28
    days (None when not evaluable); the same figure for the 28 days up to each day
    (``rolling_dates``, ``rolling``); the baseline level, the sessions and today."""

    first: tuple[dt.date, ...]
    last: tuple[dt.date, ...]
    values: tuple[float | None, ...]
    rolling_dates: tuple[dt.date, ...]
    rolling: tuple[float, ...]
    baseline: float | None
    sessions: tuple[dt.date, ...]
    today: dt.date
    ylabel: str
    baseline_label: str = "baseline"
    half_label: str = "50% of baseline"
    windows_label: str = "4-week windows"
    rolling_label: str = "rolling 28 days"

    @property
    def drawable(self) -> bool:
        return bool(self.rolling) or any(_finite(v) for v in self.values)

    @property
    def height_in(self) -> float:
        return 2.7


@dataclass(frozen=True, slots=True)
class SessionPain:
    """Pain 0–10 before and after each session (None where not measured)."""

    dates: tuple[dt.date, ...]
    before: tuple[int | None, ...]
    after: tuple[int | None, ...]

    @property
    def drawable(self) -> bool:
        return any(
            b is not None or a is not None for b, a in zip(self.before, self.after, strict=False)
        )

    @property
    def height_in(self) -> float:
        return 2.4


@dataclass(frozen=True, slots=True)
class MoodSeries:
    """Weekly mean diary mood (by the week's Monday) and mood before/after each session."""

    weeks: tuple[dt.date, ...]
    weekly: tuple[float, ...]
    session_dates: tuple[dt.date, ...]
    session_before: tuple[int | None, ...]
    session_after: tuple[int | None, ...]

    @property
    def drawable(self) -> bool:
        moods = (*self.session_before, *self.session_after)
        return bool(self.weeks) or any(m is not None for m in moods)

    @property
    def height_in(self) -> float:
        return 2.4


@dataclass(frozen=True, slots=True)
class Scores:
    """One questionnaire's totals over time, with the scale's range and band edges."""

    name: str
    dates: tuple[dt.date, ...]
    totals: tuple[int, ...]
    lowest: int
    highest: int
    cut_offs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreSeries:
    instruments: tuple[Scores, ...]

    @property
    def shown(self) -> tuple[Scores, ...]:
        """The questionnaires with at least one answer, one panel each."""
        return tuple(s for s in self.instruments if s.dates)

    @property
    def drawable(self) -> bool:
        return bool(self.shown)

    @property
    def height_in(self) -> float:
        return 0.6 + 1.15 * len(self.shown)


@dataclass(frozen=True, slots=True)
class MedicationSeries:
    """Days with acute medication per 28 days by window, and the ICHD-3 8.2 lines."""

    first: tuple[dt.date, ...]
    last: tuple[dt.date, ...]
    values: tuple[float | None, ...]
    thresholds: tuple[tuple[int, str], ...]
    sessions: tuple[dt.date, ...]
    today: dt.date

    @property
    def drawable(self) -> bool:
        return any(_finite(v) for v in self.values)

    @property
    def height_in(self) -> float:
        return 2.4


Chart = WindowSeries | SessionPain | MoodSeries | ScoreSeries | MedicationSeries


def _finite(value: float | None) -> TypeGuard[float]:
    return value is not None and math.isfinite(value)


def size_px(data: Chart) -> tuple[int, int]:
    """The chart's width and height in CSS pixels (96 to the inch; the SVG states its size in
    points), for an ``<img>`` that keeps its room on the page while the chart is on its way."""
    return round(WIDTH_IN * 96), round(data.height_in * 96)


def draw(data: Chart, name: str) -> str | None:
    """The chart ``data`` describes, as an SVG document whose ids start with ``name``; None
    when there is nothing to draw."""
    if isinstance(data, WindowSeries):
        return windows_chart(data, name)
    if isinstance(data, SessionPain):
        return session_pain_chart(data, name)
    if isinstance(data, MoodSeries):
        return mood_chart(data, name)
    if isinstance(data, ScoreSeries):
        return scores_chart(data, name)
    return medication_chart(data, name)


def forget() -> None:
    """Empty the memo of drawn charts (benchmarks measure a first drawing with it)."""
    for chart in (windows_chart, session_pain_chart, mood_chart, scores_chart, medication_chart):
        chart.cache_clear()


@lru_cache(maxsize=1)
def _configure() -> None:
    """Text as text, and ids that do not change from one run to the next."""
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "acurelief"
    matplotlib.rcParams["font.family"] = "sans-serif"
    # Measured with DejaVu Sans (shipped with matplotlib); a browser without it uses the next.
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Verdana", "Arial", "Helvetica"]


@lru_cache(maxsize=1)
def _canvas() -> Any:
    """matplotlib's SVG canvas, with text measured once per process rather than once per
    drawing: laying out a chart measures every tick label, title and legend entry, and the
    same string in the same font is the same size every time (matplotlib's own cache of
    these sizes lives only as long as one drawing)."""
    from matplotlib.backends import backend_mixed, backend_svg

    mixed: Any = backend_mixed  # neither is typed
    svg_backend: Any = backend_svg

    class Renderer(svg_backend.RendererSVG):  # type: ignore[misc]
        def get_text_width_height_descent(
            self, s: str, prop: Any, ismath: Any
        ) -> tuple[float, float, float]:
            key = (s, prop.copy(), ismath)  # FontProperties compare by their hash, as mpl's
            size = _TEXT_SIZES.get(key)
            if size is None:
                if len(_TEXT_SIZES) >= 4096:
                    _TEXT_SIZES.clear()
                size = _TEXT_SIZES[key] = super().get_text_width_height_descent(s, prop, ismath)
            return size

    class Canvas(svg_backend.FigureCanvasSVG):  # type: ignore[misc]
        def print_svg(
            self,
            filename: Any,
            *,
            bbox_inches_restore: Any = None,
            metadata: Any = None,
            **_ignored: Any,  # the figure's colours and orientation, set before this is called
        ) -> None:
            """``FigureCanvasSVG.print_svg`` into a text buffer, with the renderer above."""
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            svg = Renderer(width * 72, height * 72, filename, image_dpi=dpi, metadata=metadata)
            renderer = mixed.MixedModeRenderer(
                self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore
            )
            self.figure.draw(renderer)
            renderer.finalize()

    return Canvas


def _figure(kind: str, height: float, rows: int = 1, top_in: float = 0.12) -> tuple[Any, list[Any]]:
    """A figure ``height`` inches tall with ``rows`` axes, margins fixed in inches (drawing
    once, without a tight bounding box, is half the work of drawing).

    Building a figure and its axes, and their ticks on the first draw, costs as much as
    drawing it, so each kind of chart keeps one figure (used under ``_LOCK`` only) and clears
    what the previous chart drew on it: everything a chart sets is set again every time, and
    the SVG is the same as from a new figure."""
    key = (kind, height, rows, top_in)
    kept = _FIGURES.get(key)
    if kept is not None:
        fig, axes = kept
        for legend in list(fig.legends):
            legend.remove()
        for ax in axes:
            for artist in [*ax.lines, *ax.collections, *ax.texts, *ax.patches]:
                artist.remove()
            ax.set_prop_cycle(None)
        return fig, axes
    from matplotlib.figure import Figure

    _configure()
    fig = Figure(figsize=(WIDTH_IN, height), dpi=72)
    _canvas()(fig)  # the figure's canvas from now on
    fig.subplots_adjust(
        left=0.6 / WIDTH_IN, right=0.97, bottom=0.38 / height, top=1 - top_in / height
    )
    axes = [fig.add_subplot(rows, 1, i + 1) for i in range(rows)]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.spines[["left", "bottom"]].set_color(MUTED)
        ax.tick_params(colors=INK, labelsize=FONT_SIZE - 1, length=3)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
    _FIGURES[key] = (fig, axes)
    return fig, axes


def _dates(ax: Any, start: dt.date, stop: dt.date) -> None:
    """A date axis from ``start`` to ``stop``: days of the month over a few weeks, months over
    a year, quarters beyond (with the year where it changes)."""
    import matplotlib.dates
    from matplotlib.ticker import FuncFormatter

    mdates: Any = matplotlib.dates  # its locators are not typed
    span = (stop - start).days
    pad = dt.timedelta(days=max(3, span // 25))  # room for the first and last labels
    ax.set_xlim(start - pad, stop + pad)
    if span <= 130:
        days = (1, 15) if span <= 70 else (1,)
        _fix_ticks(ax, mdates.MonthLocator(bymonthday=days))

        def day_month(x: float, _pos: int | None) -> str:
            date = mdates.num2date(x)
            return f"{date.day} {date:%b}"

        ax.xaxis.set_major_formatter(FuncFormatter(day_month))
        return
    months = (
        None if span <= 200 else (1, 4, 7, 10) if span <= 550 else (1, 7) if span <= 1200 else (1,)
    )
    locator = mdates.MonthLocator(bymonth=months)
    _fix_ticks(ax, locator)
    concise = mdates.ConciseDateFormatter(locator, show_offset=False)
    ax.xaxis.set_major_formatter(concise)


def _fix_ticks(ax: Any, locator: Any) -> None:
    """The x ticks ``locator`` places within the limits already set, placed once: drawing asks
    the locator again and again, and a date locator walks the calendar every time."""
    from matplotlib.ticker import FixedLocator

    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_locator(FixedLocator(locator()))


def _legend(ax: Any, columns: int, extra: Sequence[tuple[Any, str]] = ()) -> None:
    """The legend in one row along the top of the figure, across its whole width: the
    labelled artists in the order drawn, then ``extra`` (handle, label) entries."""
    handles, labels = ax.get_legend_handles_labels()
    handles += [handle for handle, _ in extra]
    labels += [label for _, label in extra]
    ax.figure.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.01, 0.995),
        ncols=columns,
        frameon=False,
        fontsize=FONT_SIZE - 2,
        borderaxespad=0,
        handlelength=1.2,
        handletextpad=0.4,
        columnspacing=0.9,
        borderpad=0,
    )


def _strokes(
    ax: Any,
    xs: Sequence[dt.date],
    lows: Sequence[float],
    highs: Sequence[float],
    colour: str,
    width: float,
    zorder: float,
) -> None:
    """A vertical stroke at each x from low to high, drawn as what ``ax.vlines`` draws (butt
    ends, clipped to the plot) but as one path: a collection writes, and styles, one SVG path
    per stroke, which for a hundred sessions is a good part of drawing the chart."""
    import matplotlib.dates
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    mdates: Any = matplotlib.dates
    vertices = [
        point
        for x, low, high in zip(mdates.date2num(list(xs)), lows, highs, strict=True)
        for point in ((x, low), (x, high))
    ]
    codes = [Path.MOVETO, Path.LINETO] * len(xs)
    stroke = PathPatch(
        Path(vertices, codes),
        fill=False,
        edgecolor=colour,
        linewidth=width,
        capstyle="butt",
        joinstyle="miter",
        zorder=zorder,
    )
    ax.add_patch(stroke)


def _session_rug(ax: Any, sessions: Sequence[dt.date], top: float) -> list[tuple[Any, str]]:
    """Each session as a short tick along the bottom of the plot; returns its legend entry
    (a handle that looks like what ``ax.vlines`` would have put in the legend)."""
    if not sessions:
        return []
    from matplotlib.collections import LineCollection

    _strokes(ax, sessions, [0.0] * len(sessions), [top * 0.07] * len(sessions), ACCENT, 1.4, 3)
    return [(LineCollection([], color=ACCENT, linewidth=1.4, zorder=3), "session")]


def _svg(fig: Any, name: str) -> str:
    """The figure as an SVG document (served as an image; its ids start with ``name``, so
    several may also sit inline on one page)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = _METADATA.sub("", text, count=1)
    text = _INDENT.sub("\n", text)
    text = _DIGITS.sub(_first_group, text)  # a hundredth of a point is finer than any screen
    return _IDS.sub(lambda m: f"{m.group(1)}{name}-", text)


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)  # faster than the template r"\1" on thousands of numbers


def _steps(
    first: Sequence[dt.date], last: Sequence[dt.date], values: Sequence[float | None]
) -> tuple[list[dt.date], list[float]]:
    """One level per window as a single stepped path, broken (NaN) where there is no value."""
    xs: list[dt.date] = []
    ys: list[float] = []
    for a, b, v in zip(first, last, values, strict=True):
        level = v if v is not None and math.isfinite(v) else math.nan
        xs += [a, b + dt.timedelta(days=1)]
        ys += [level, level]
    return xs, ys


def _edge_label(ax: Any, x: dt.date, y: float, text: str, colour: str) -> None:
    """A reference line's name at its right end, on a white ground over whatever is behind."""
    ax.text(
        x,
        y,
        text,
        color=colour,
        fontsize=FONT_SIZE - 2,
        ha="right",
        va="bottom",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85},
        zorder=4,
    )


@lru_cache(maxsize=512)
def windows_chart(data: WindowSeries, name: str = "headache-chart") -> str | None:
    """Headache days per 28 days: each complete 28-day window as a level with a dot at its
    middle, the 28 days up to each day as a thin line, the baseline level, the 50%-of-baseline
    line (a responder's target) and the sessions as ticks along the bottom."""
    if not data.drawable:
        return None
    points = [
        (a + (b - a) / 2, v)
        for a, b, v in zip(data.first, data.last, data.values, strict=True)
        if _finite(v)
    ]
    with _LOCK:
        fig, (ax,) = _figure("windows", data.height_in, top_in=LEGEND_IN)
        values = [v for _, v in points] + list(data.rolling)
        top = max([*values, data.baseline or 0, 4.0]) * 1.15
        if data.rolling:
            ax.plot(
                list(data.rolling_dates),
                list(data.rolling),
                color="#7d9aa8",
                linewidth=1.1,
                label=data.rolling_label,
            )
        xs, ys = _steps(data.first, data.last, data.values)
        ax.plot(xs, ys, color=BRAND, linewidth=1.6, solid_capstyle="butt")
        if points:
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                "o",
                color=BRAND,
                markersize=5,
                label=data.windows_label,
            )
        if data.baseline is not None and data.baseline > 0:
            ax.axhline(data.baseline, color=MUTED, linestyle="--", linewidth=1.2)
            ax.axhline(data.baseline / 2, color=ACCENT, linestyle=":", linewidth=1.6)
            right = data.today + dt.timedelta(days=2)
            _edge_label(ax, right, data.baseline, data.baseline_label, MUTED)
            _edge_label(ax, right, data.baseline / 2, data.half_label, ACCENT)
        rug = _session_rug(ax, data.sessions, top)
        ax.set_ylim(0, top)
        ax.set_ylabel(data.ylabel, fontsize=FONT_SIZE - 2, color=INK)
        start = min([*data.first[:1], *data.rolling_dates[:1]])
        _dates(ax, start, data.today)
        _legend(ax, 3, rug)
        return _svg(fig, name)


@lru_cache(maxsize=512)
def session_pain_chart(data: SessionPain, name: str = "pain-chart") -> str | None:
    """Pain before (grey) and after (dark) each session, joined by a line per session."""
    pairs = [
        (d, b, a)
        for d, b, a in zip(data.dates, data.before, data.after, strict=True)
        if b is not None or a is not None
    ]
    if not data.drawable:
        return None
    with _LOCK:
        fig, (ax,) = _figure("pain", data.height_in, top_in=LEGEND_IN)
        both = [(d, b, a) for d, b, a in pairs if b is not None and a is not None]
        if both:
            _strokes(
                ax,
                [d for d, _, _ in both],
                [b for _, b, _ in both],
                [a for _, _, a in both],
                "#c3cad2",
                2,
                zorder=2,  # a collection's, under the dots
            )
        ax.plot(
            [d for d, b, _ in pairs if b is not None],
            [b for _, b, _ in pairs if b is not None],
            "o",
            color=BEFORE,
            markersize=5,
            label="before needling",
        )
        ax.plot(
            [d for d, _, a in pairs if a is not None],
            [a for _, _, a in pairs if a is not None],
            "o",
            color=BRAND,
            markersize=5,
            label="after",
        )
        ax.set_ylim(-0.4, 10.4)
        ax.set_yticks([0, 2, 4, 6, 8, 10])
        ax.set_ylabel("pain 0–10", fontsize=FONT_SIZE - 2)
        _legend(ax, 2)
        _dates(ax, pairs[0][0], pairs[-1][0])
        return _svg(fig, name)


@lru_cache(maxsize=512)
def mood_chart(data: MoodSeries, name: str = "mood-chart") -> str | None:
    """Weekly mean diary mood as a line; session mood before and after as dots."""
    after = [
        (d, m) for d, m in zip(data.session_dates, data.session_after, strict=True) if m is not None
    ]
    before = [
        (d, m)
        for d, m in zip(data.session_dates, data.session_before, strict=True)
        if m is not None
    ]
    if not data.drawable:
        return None
    with _LOCK:
        fig, (ax,) = _figure("mood", data.height_in, top_in=LEGEND_IN)
        if data.weeks:
            ax.plot(
                [w + dt.timedelta(days=3) for w in data.weeks],
                list(data.weekly),
                color=BRAND,
                linewidth=1.6,
                label="diary, weekly",
            )
        if before:
            ax.plot(
                [d for d, _ in before],
                [m for _, m in before],
                "o",
                color=BEFORE,
                markersize=4,
                label="before session",
            )
        if after:
            ax.plot(
                [d for d, _ in after],
                [m for _, m in after],
                "o",
                color=ACCENT,
                markersize=4,
                label="after",
            )
        dates = [*data.weeks, *data.session_dates]
        ax.set_ylim(0, 10.4)
        ax.set_yticks([0, 2, 4, 6, 8, 10])
        ax.set_ylabel("mood 0–10", fontsize=FONT_SIZE - 2)
        _legend(ax, 3)
        _dates(ax, min(dates), max(dates) + dt.timedelta(days=6))
        return _svg(fig, name)


@lru_cache(maxsize=512)
def scores_chart(data: ScoreSeries, name: str = "scores-chart") -> str | None:
    """One small panel per questionnaire: its totals over time on its own scale, with its band
    edges as faint lines (higher is worse on every one of them)."""
    shown = data.shown
    if not shown:
        return None
    with _LOCK:
        fig, axes = _figure("scores", data.height_in, rows=len(shown), top_in=0.3)
        start = min(min(s.dates) for s in shown)
        stop = max(max(s.dates) for s in shown)
        if stop - start < dt.timedelta(days=28):
            start, stop = start - dt.timedelta(days=14), stop + dt.timedelta(days=14)
        for ax, s in zip(axes, shown, strict=True):
            for cut in s.cut_offs:
                ax.axhline(cut, color=GRID, linewidth=1)
            ax.plot(s.dates, s.totals, color=BRAND, marker="o", markersize=5, linewidth=1.6)
            ax.annotate(
                str(s.totals[-1]),
                (s.dates[-1], s.totals[-1]),
                xytext=(5, 2),
                textcoords="offset points",
                fontsize=FONT_SIZE - 1,
                va="bottom",
            )
            ax.set_ylim(s.lowest, s.highest)
            ax.set_yticks([s.lowest, s.highest])
            ax.set_title(s.name, fontsize=FONT_SIZE - 1, loc="left", color=INK, pad=7)
            _dates(ax, start, stop)
            if ax is not axes[-1]:
                ax.tick_params(labelbottom=False)
        fig.subplots_adjust(hspace=0.75)
        return _svg(fig, name)


@lru_cache(maxsize=512)
def medication_chart(data: MedicationSeries, name: str = "medication-chart") -> str | None:
    """Days with acute medication per 28 days by window, against the ICHD-3 8.2 lines."""
    if not data.drawable:
        return None
    bars = [v for v in data.values if _finite(v)]
    with _LOCK:
        fig, (ax,) = _figure("medication", data.height_in, top_in=LEGEND_IN)
        xs, ys = _steps(data.first, data.last, data.values)
        ax.fill_between(xs, ys, 0, color=BRAND, alpha=0.8, linewidth=0, label="4-week windows")
        top = max(bars + [t for t, _ in data.thresholds]) * 1.22
        right = data.today + dt.timedelta(days=2)
        for level, label in data.thresholds:
            ax.axhline(level, color=BAD, linestyle="--", linewidth=1.1)
            _edge_label(ax, right, level, label, BAD)
        rug = _session_rug(ax, data.sessions, top)
        ax.set_ylim(0, top)
        ax.set_ylabel("medication days / 28", fontsize=FONT_SIZE - 2)
        _legend(ax, 2, rug)
        _dates(ax, data.first[0], data.today)
        return _svg(fig, name)
