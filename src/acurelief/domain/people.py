"""Clinics, the people who log in, and the patients they treat."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from acurelief.domain.text import check_text, text_problem
from acurelief.errors import Problems

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


class Role(StrEnum):
    """What a user is to the clinic; decides what they may see (see ``domain.access``)."""

    ADMIN = "admin"
    PRACTITIONER = "practitioner"
    PATIENT = "patient"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; raises ``ValueError`` if there is none."""
    if name not in _known_zones():
        raise ValueError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _check_name(problems: Problems, field: str, value: str) -> None:
    if (message := text_problem(value)) is not None:
        problems.add(field, message)
    elif not value.strip():
        problems.add(field, "must not be empty")
    elif len(value) > MAX_NAME_LENGTH:
        problems.add(field, f"must be at most {MAX_NAME_LENGTH} characters")


@dataclass(frozen=True, slots=True, kw_only=True)
class Clinic:
    id: int | None = None
    name: str

    def __post_init__(self) -> None:
        problems = Problems()
        _check_name(problems, "name", self.name)
        problems.raise_if_any()


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """Someone who logs in. A patient-role user is linked to exactly one patient record."""

    id: int | None = None
    clinic_id: int
    email: str
    display_name: str
    role: Role
    patient_id: int | None = None
    active: bool = True

    def __post_init__(self) -> None:
        problems = Problems()
        if len(self.email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(self.email):
            problems.add("email", "must be an e-mail address such as name@clinic.example")
        else:
            check_text(problems, "email", self.email)
        _check_name(problems, "display_name", self.display_name)
        if self.role is Role.PATIENT and self.patient_id is None and self.id is not None:
            problems.add("patient_id", "a patient login must be linked to a patient record")
        if self.role is not Role.PATIENT and self.patient_id is not None:
            problems.add("patient_id", "only a patient login is linked to a patient record")
        problems.raise_if_any()


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient:
    """A person treated by the clinic. Their time zone decides what "today" is for the diary."""

    id: int | None = None
    clinic_id: int
    practitioner_id: int | None
    name: str
    date_of_birth: dt.date
    sex: Sex
    time_zone: str

    def __post_init__(self) -> None:
        problems = Problems()
        _check_name(problems, "name", self.name)
        if self.date_of_birth < EARLIEST_BIRTH_DATE:
            problems.add("date_of_birth", f"must be on or after {EARLIEST_BIRTH_DATE}")
        try:
            zone(self.time_zone)
        except ValueError:
            problems.add("time_zone", "must be an IANA time zone such as Europe/Berlin")
        problems.raise_if_any()

    def today(self, now: dt.datetime) -> dt.date:
        """The calendar date in the patient's time zone at the instant ``now`` (aware)."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(zone(self.time_zone)).date()

    def age_on(self, date: dt.date) -> int:
        """Completed years of life on ``date`` (ICHD-3 criteria differ for children)."""
        born = self.date_of_birth
        return date.year - born.year - ((date.month, date.day) < (born.month, born.day))

    def check_dates(self, now: dt.datetime) -> None:
        """Refuse a date of birth after today in the patient's time zone."""
        problems = Problems()
        if self.date_of_birth > self.today(now):
            problems.add("date_of_birth", "must not be in the future")
        problems.raise_if_any()
