"""The headache diary: one record per patient-day, and optional finer-grained attacks.

A recorded "no headache" day is data; a day without a record is missing. The two are never
confused: a ``DiaryDay`` with ``headache=False`` is a recorded answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from acurelief.domain.people import Patient
from acurelief.domain.scales import HOURS_PER_DAY, check_range, check_rating
from acurelief.domain.text import check_text
from acurelief.errors import FieldProblem, InvalidInput, Problems

MAX_NOTES_LENGTH = 2000
MAX_INTAKES_PER_DAY = 24
MAX_ATTACK_DAYS = 31


class MedicationClass(StrEnum):
    """Acute medication classes, as ICHD-3 8.2 (medication-overuse headache) separates them."""

    TRIPTAN = "triptan"
    ERGOT = "ergot"
    SIMPLE_ANALGESIC = "simple_analgesic"
    COMBINATION_ANALGESIC = "combination_analgesic"
    OPIOID = "opioid"
    OTHER = "other"


class HeadacheSide(StrEnum):
    UNILATERAL = "unilateral"
    BILATERAL = "bilateral"


class PainQuality(StrEnum):
    PULSATING = "pulsating"
    PRESSING = "pressing"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class HeadacheFeatures:
    """The ICHD-3 features of a headache; ``None`` means "not recorded", never "absent"."""

    side: HeadacheSide | None = None
    quality: PainQuality | None = None
    aggravated_by_activity: bool | None = None
    nausea: bool | None = None
    vomiting: bool | None = None
    photophobia: bool | None = None
    phonophobia: bool | None = None
    aura: bool | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)


def _frozen_intakes(value: Mapping[MedicationClass, int]) -> Mapping[MedicationClass, int]:
    return MappingProxyType(dict(value))


def intake_problem(count: object) -> str | None:
    """What is wrong with a number of intakes of one medication class, or None."""
    if isinstance(count, bool) or not isinstance(count, int):
        return "must be a whole number of intakes"
    if not 0 <= count <= MAX_INTAKES_PER_DAY:
        return f"must be from 0 to {MAX_INTAKES_PER_DAY} intakes, got {count}"
    return None


def _check_intakes(problems: Problems, intakes: Mapping[MedicationClass, int]) -> None:
    for cls, count in intakes.items():
        if not isinstance(cls, MedicationClass):
            problems.add(f"medications.{cls}", "is not a medication class")
        elif (message := intake_problem(count)) is not None:
            problems.add(f"medications.{cls}", message)


@dataclass(frozen=True, slots=True, kw_only=True)
class DiaryDay:
    """One patient's diary entry for one calendar date (in the patient's time zone)."""

    patient_id: int
    date: dt.date
    headache: bool
    peak_pain: int | None = None
    headache_hours: float | None = None
    features: HeadacheFeatures = field(default_factory=HeadacheFeatures)
    medications: Mapping[MedicationClass, int] = field(default_factory=dict)
    menstruation: bool | None = None
    mood: int | None = None
    sleep_hours: float | None = None
    stress: int | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "medications", _frozen_intakes(self.medications))
        problems = Problems()
        check_rating(problems, "peak_pain", self.peak_pain)
        check_rating(problems, "mood", self.mood)
        check_rating(problems, "stress", self.stress)
        check_range(problems, "headache_hours", self.headache_hours, 0, HOURS_PER_DAY, "hours")
        check_range(problems, "sleep_hours", self.sleep_hours, 0, HOURS_PER_DAY, "hours")
        _check_intakes(problems, self.medications)
        if not self.headache:
            if self.peak_pain:
                problems.add("peak_pain", "must be empty or 0 on a day without headache")
            if self.headache_hours:
                problems.add("headache_hours", "must be empty or 0 on a day without headache")
            if not self.features.is_empty():
                problems.add("features", "must be empty on a day without headache")
        if self.notes is not None and len(self.notes) > MAX_NOTES_LENGTH:
            problems.add("notes", f"must be at most {MAX_NOTES_LENGTH} characters")
        check_text(problems, "notes", self.notes)
        problems.raise_if_any()

    def took_acute_medication(self) -> bool:
        """Whether any acute medication was taken on this day."""
        return any(count > 0 for count in self.medications.values())

    def check_not_future(self, patient: Patient, now: dt.datetime) -> None:
        """Refuse a date after "today" in the patient's time zone at instant ``now``."""
        today = patient.today(now)
        if self.date > today:
            raise InvalidInput(
                [FieldProblem("date", f"{self.date} is after today ({today}) for this patient")]
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Attack:
    """A single headache attack with its start and (once over) end, both timezone-aware."""

    id: int | None = None
    patient_id: int
    start: dt.datetime
    end: dt.datetime | None = None
    peak_pain: int | None = None
    features: HeadacheFeatures = field(default_factory=HeadacheFeatures)
    medications: Mapping[MedicationClass, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "medications", _frozen_intakes(self.medications))
        problems = Problems()
        if self.start.tzinfo is None:
            problems.add("start", "must include a time zone offset")
        if self.end is not None:
            if self.end.tzinfo is None:
                problems.add("end", "must include a time zone offset")
            elif self.start.tzinfo is not None and self.end <= self.start:
                problems.add("end", "must be after start")
            elif self.start.tzinfo is not None and self.duration_hours() > MAX_ATTACK_DAYS * 24:
                problems.add("end", f"an attack cannot last more than {MAX_ATTACK_DAYS} days")
        check_rating(problems, "peak_pain", self.peak_pain)
        _check_intakes(problems, self.medications)
        problems.raise_if_any()

    def duration_hours(self) -> float:
        """Hours from start to end; raises if the attack is still going on."""
        if self.end is None:
            raise ValueError("the attack has not ended")
        return (self.end - self.start).total_seconds() / 3600

    def check_not_future(self, now: dt.datetime) -> None:
        """Refuse an attack that starts or ends after ``now``."""
        problems = Problems()
        if self.start > now:
            problems.add("start", "must not be in the future")
        if self.end is not None and self.end > now:
            problems.add("end", "must not be in the future")
        problems.raise_if_any()
