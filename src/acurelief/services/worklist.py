"""Use case: the practitioner's worklist — one row per patient of the clinic with what needs
attention: diagnosis and red flags, sessions, diary completeness, headache days now against
baseline, medication-overuse risk and the PHQ-9 item-9 alert.

The figures are those of the patient's own pages (``services.diagnosis``,
``services.outcomes``), computed for the whole clinic at once: one query per kind of data,
the diary read into arrays (``ClinicReadModel``), never one query per patient. The arithmetic
lives in ``worklist_figures``; this module authorises, searches, filters, sorts and audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from acurelief.domain import Patient
from acurelief.domain.access import Action, Actor
from acurelief.domain.audit import Outcome
from acurelief.errors import Forbidden, InvalidInput, Problems
from acurelief.outcomes.endpoints import EndpointRules
from acurelief.services.access import audit, require
from acurelief.services.ports import UnitOfWork
from acurelief.services.worklist_figures import WorklistRow, clinic_rows

__all__ = ["Sort", "Worklist", "WorklistFilters", "WorklistRow", "parse_filters", "worklist"]


class Sort(StrEnum):
    NAME = "name"
    LAST_SESSION = "last_session"  # most recent first
    HEADACHE_DAYS_CHANGE = "headache_days_change"  # largest worsening first
    COMPLETENESS = "completeness"  # lowest first
    ALERTS = "alerts"  # PHQ-9 alert, then red flags, then overuse risk


@dataclass(frozen=True, slots=True, kw_only=True)
class WorklistFilters:
    """Which patients to keep; every filter left at its default keeps everyone."""

    alert: bool = False  # only with a PHQ-9 item-9 alert
    red_flags: bool = False  # only those whose red flags say refer
    overuse: bool = False  # only those at medication-overuse risk
    sessions_within_days: int | None = None  # only with a session in the last N days
    practitioner_id: int | None = None  # only this practitioner's patients

    def __post_init__(self) -> None:
        n = self.sessions_within_days
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            raise InvalidInput.single(
                "filters.sessions_within_days", "must be a whole number of days, 1 or more"
            )


@dataclass(frozen=True, slots=True)
class Worklist:
    rows: tuple[WorklistRow, ...]
    total: int  # patients in the clinic, before search and filters
    query: str
    sort: Sort
    filters: WorklistFilters


_FLAGS = ("alert", "red_flags", "overuse")
_NUMBERS = ("sessions_within_days", "practitioner_id")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def parse_filters(raw: Mapping[str, str]) -> WorklistFilters:
    """Filters from text (a query string, CLI options); every bad one named as ``filters.x``."""
    problems = Problems()
    values: dict[str, Any] = {}
    for name, text in raw.items():
        value = text.strip().lower()
        if name in _FLAGS and value in _TRUE | _FALSE:
            values[name] = value in _TRUE
        elif name in _FLAGS:
            problems.add(f"filters.{name}", "must be true or false")
        elif name in _NUMBERS and value.isdigit():
            values[name] = int(value)
        elif name in _NUMBERS:
            problems.add(f"filters.{name}", "must be a whole number")
        else:
            problems.add(f"filters.{name}", f"is not a filter; use {', '.join(_FLAGS + _NUMBERS)}")
    problems.raise_if_any()
    return WorklistFilters(**values)


def worklist(
    uow: UnitOfWork,
    actor: Actor,
    now: dt.datetime,
    *,
    query: str = "",
    sort: str = "name",
    filters: WorklistFilters | None = None,
    rules: EndpointRules | None = None,
) -> Worklist:
    """The actor's clinic's patients whose name contains ``query`` (any case), filtered and
    sorted (ties by name); staff only. Audited once, with the number of rows."""
    require(actor, Action.READ, uow=uow, now=now)
    if not actor.is_staff:
        audit(uow, actor, now, "worklist", None, "role", outcome=Outcome.REFUSED)
        raise Forbidden(f"a {actor.role} may not see the clinic's worklist")
    order = _parse_sort(sort)
    filters = filters or WorklistFilters()
    everyone = uow.clinic_reads.patients(actor.clinic_id)
    needle = query.strip().casefold()
    chosen = [(p, by) for p, by in everyone if _searched(p, needle, filters)]
    rows = clinic_rows(uow, actor.clinic_id, chosen, now, rules or EndpointRules())
    kept = sorted((r for r in rows if _kept(r, filters)), key=_KEYS[order])
    audit(uow, actor, now, "worklist", None, f"{len(kept)} patients")
    uow.commit()
    return Worklist(tuple(kept), len(everyone), query, order, filters)


def _parse_sort(sort: str) -> Sort:
    try:
        return Sort(sort)
    except ValueError:
        choices = ", ".join(s.value for s in Sort)
        raise InvalidInput.single("sort", f"must be one of {choices}") from None


def _searched(patient: Patient, needle: str, filters: WorklistFilters) -> bool:
    """The filters that need no health data, applied before any is read."""
    if filters.practitioner_id is not None and patient.practitioner_id != filters.practitioner_id:
        return False
    return needle in patient.name.casefold()


def _kept(row: WorklistRow, filters: WorklistFilters) -> bool:
    within = filters.sessions_within_days
    return not (
        (filters.alert and not row.alerts)
        or (filters.red_flags and not row.refer)
        or (filters.overuse and not row.overuse)
        or (
            within is not None
            and (row.days_since_session is None or row.days_since_session >= within)
        )
    )


def _by_name(row: WorklistRow) -> tuple[str, int]:
    return row.name.casefold(), row.patient_id


def _last_session(row: WorklistRow) -> tuple[Any, ...]:
    last = row.last_session
    return (last is None, -(last.toordinal() if last else 0), *_by_name(row))


def _change(row: WorklistRow) -> tuple[Any, ...]:
    change = row.headache_days_change
    return (change is None, -(change or 0.0), *_by_name(row))


def _completeness(row: WorklistRow) -> tuple[Any, ...]:
    return (row.recorded_28, *_by_name(row))


def _alerts(row: WorklistRow) -> tuple[Any, ...]:
    return (not row.alerts, not row.refer, not row.overuse, *_by_name(row))


_KEYS: dict[Sort, Callable[[WorklistRow], tuple[Any, ...]]] = {
    Sort.NAME: _by_name,
    Sort.LAST_SESSION: _last_session,
    Sort.HEADACHE_DAYS_CHANGE: _change,
    Sort.COMPLETENESS: _completeness,
    Sort.ALERTS: _alerts,
}
