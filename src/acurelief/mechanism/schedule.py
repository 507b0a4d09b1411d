"""A course of treatment: which days, how stimulated, how long the needles stay in."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from acurelief.domain import Stimulation, StimulationKind
from acurelief.errors import InvalidInput, Problems

MANUAL = Stimulation(kind=StimulationKind.MANUAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """Session days counted from the first session (day 0), with one stimulation for all."""

    session_days: tuple[int, ...]
    stimulation: Stimulation = MANUAL
    needling_minutes: float = 30.0
    reading_minutes: float = 30.0

    def __post_init__(self) -> None:
        problems = Problems()
        days = self.session_days
        if not days:
            problems.add("session_days", "a course needs at least one session")
        elif days[0] != 0 or any(b <= a for a, b in pairwise(days)):
            problems.add("session_days", "must start at day 0 and increase strictly")
        if not 0 < self.needling_minutes <= 240:
            problems.add("needling_minutes", "must be from above 0 to 240 minutes")
        if not 0 <= self.reading_minutes <= 24 * 60:
            problems.add("reading_minutes", "must be from 0 to 1440 minutes after needling")
        problems.raise_if_any(where="Schedule")

    @classmethod
    def evenly(
        cls,
        sessions: int,
        weeks: float,
        stimulation: Stimulation = MANUAL,
        needling_minutes: float = 30.0,
    ) -> Schedule:
        """``sessions`` spread evenly over ``weeks`` (e.g. 12 over 8 weeks, as in ART)."""
        if sessions < 1:
            raise InvalidInput.single("sessions", f"must be at least 1, got {sessions}")
        if not weeks > 0 or sessions > weeks * 7:
            raise InvalidInput.single("weeks", "must be above 0 and leave a day per session")
        step = weeks * 7 / sessions
        days = tuple(round(i * step) for i in range(sessions))
        return cls(session_days=days, stimulation=stimulation, needling_minutes=needling_minutes)

    @property
    def last_day(self) -> int:
        return self.session_days[-1]
