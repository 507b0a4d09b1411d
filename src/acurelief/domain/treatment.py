"""Treatment sessions: where the needles went, how they were stimulated, and what changed."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from acurelief.domain.points import is_midline, normalise_point_code
from acurelief.domain.scales import check_rating
from acurelief.domain.text import check_text
from acurelief.errors import InvalidInput, Problems

MAX_RETENTION_MINUTES = 240
MAX_READING_MINUTES = 24 * 60


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"


class StimulationKind(StrEnum):
    MANUAL = "manual"
    ELECTRO = "electro"
    SHAM_MINIMAL = "sham_minimal"


class AdverseEventKind(StrEnum):
    BLEEDING = "bleeding"
    HAEMATOMA = "haematoma"
    PAIN = "pain"
    FAINTING = "fainting"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class NeedlePoint:
    """A needled point: its standard code and side (midline points take none)."""

    code: str
    side: Side | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        try:
            object.__setattr__(self, "code", normalise_point_code(self.code))
        except ValueError as exc:
            problems.add("code", str(exc))
        else:
            if is_midline(self.code) and self.side is not None:
                problems.add("side", f"{self.code} is a midline point and takes no side")
            if not is_midline(self.code) and self.side is None:
                problems.add("side", f"{self.code} needs a side: left, right or bilateral")
        problems.raise_if_any()


@dataclass(frozen=True, slots=True, kw_only=True)
class Stimulation:
    """How the needles were stimulated.

    Electro-acupuncture gives one frequency, or two for alternating ("dense-disperse",
    e.g. 2/100 Hz); manual and sham/minimal stimulation have none.
    """

    kind: StimulationKind
    frequencies_hz: tuple[float, ...] = ()
    intensity_ma: float | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        if self.kind is StimulationKind.ELECTRO:
            if not 1 <= len(self.frequencies_hz) <= 2:
                problems.add("frequencies_hz", "electro stimulation needs a frequency in Hz")
            elif any(not f > 0 or math.isinf(f) for f in self.frequencies_hz):
                problems.add("frequencies_hz", "each frequency must be above 0 Hz")
            if self.intensity_ma is not None and not 0 < self.intensity_ma < math.inf:
                problems.add("intensity_ma", "must be above 0 mA")
        else:
            if self.frequencies_hz:
                problems.add("frequencies_hz", f"{self.kind} stimulation has no frequency")
            if self.intensity_ma is not None:
                problems.add("intensity_ma", f"{self.kind} stimulation has no current")
        problems.raise_if_any()


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionReading:
    """Pain and mood (0–10) at a stated number of minutes after needling began.

    The reading before the session is taken at or before needling (minutes ≤ 0).
    """

    pain: int | None = None
    mood: int | None = None
    minutes_after_needling: int

    def __post_init__(self) -> None:
        problems = Problems()
        check_rating(problems, "pain", self.pain)
        check_rating(problems, "mood", self.mood)
        if not -MAX_READING_MINUTES <= self.minutes_after_needling <= MAX_READING_MINUTES:
            problems.add("minutes_after_needling", f"must be within ±{MAX_READING_MINUTES}")
        if self.pain is None and self.mood is None:
            problems.add("pain", "a reading needs pain, mood or both")
        problems.raise_if_any()


@dataclass(frozen=True, slots=True, kw_only=True)
class AdverseEvent:
    kind: AdverseEventKind
    notes: str | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        check_text(problems, "notes", self.notes)
        problems.raise_if_any()
        if self.kind is AdverseEventKind.OTHER and not (self.notes or "").strip():
            raise InvalidInput.single("notes", "describe an adverse event of kind 'other'")


def _nested(problems: Problems, prefix: str, build: InvalidInput) -> None:
    problems.extend(build.nested(prefix).problems)


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentSession:
    """One acupuncture session with its points, stimulation and before/after readings."""

    id: int | None = None
    patient_id: int
    practitioner_id: int | None
    started_at: dt.datetime
    points: Sequence[NeedlePoint] = ()
    stimulation: Stimulation
    retention_minutes: int | None = None
    de_qi: bool | None = None
    before: SessionReading | None = None
    after: SessionReading | None = None
    adverse_events: Sequence[AdverseEvent] = field(default_factory=tuple)
    notes: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", tuple(self.points))
        object.__setattr__(self, "adverse_events", tuple(self.adverse_events))
        problems = Problems()
        if self.started_at.tzinfo is None:
            problems.add("started_at", "must include a time zone offset")
        retention = self.retention_minutes
        if retention is not None and (
            isinstance(retention, bool) or not 0 < retention <= MAX_RETENTION_MINUTES
        ):
            problems.add("retention_minutes", f"must be from 1 to {MAX_RETENTION_MINUTES}")
        self._check_points(problems)
        self._check_readings(problems)
        check_text(problems, "notes", self.notes)
        problems.raise_if_any()

    def _check_points(self, problems: Problems) -> None:
        seen: set[tuple[str, Side | None]] = set()
        for index, point in enumerate(self.points):
            key = (point.code, point.side)
            if key in seen:
                problems.add(f"points.{index}", f"{point.code} is listed twice")
            seen.add(key)

    def _check_readings(self, problems: Problems) -> None:
        if self.before is not None and self.before.minutes_after_needling > 0:
            problems.add("before.minutes_after_needling", "must be 0 or less (before needling)")
        if self.after is None:
            return
        if self.before is None:
            problems.add("before", "a reading after the session needs one before it")
        elif self.after.minutes_after_needling <= self.before.minutes_after_needling:
            problems.add(
                "after.minutes_after_needling", "must be later than the reading before the session"
            )

    def pain_change(self) -> int | None:
        """Pain after minus pain before (negative is relief), when both were measured."""
        if self.before is None or self.after is None:
            return None
        if self.before.pain is None or self.after.pain is None:
            return None
        return self.after.pain - self.before.pain

    def check_not_future(self, now: dt.datetime) -> None:
        if self.started_at > now:
            raise InvalidInput.single("started_at", "must not be in the future")
