"""The session chart as a form: its fields, what a protocol or the last session fills in, and
how the posted fields become the body of ``SessionCreate`` (the API's schema, round one).

Points come as numbered rows (``points.0.code``, ``points.0.side`` …); empty rows are dropped
and the rest renumbered, so that an error the domain reports for ``points.2`` is shown beside
the third row the practitioner sees. Readings before needling are taken at minute 0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from starlette.datastructures import FormData

from acurelief.domain import AdverseEventKind, NeedlePoint, Stimulation, StimulationKind
from acurelief.domain.people import zone
from acurelief.knowledge.acupoints import (
    CODE_ALIASES,
    MERIDIAN_ALIASES,
    MERIDIANS,
    NAME_ALIASES,
    UnknownPoint,
    catalogue,
)
from acurelief.web.pages.forms import FieldErrors, text, yes_no

Values = dict[str, str]
NO_SIDE = ""
SIDES: Sequence[tuple[str, str]] = (
    ("bilateral", "both"),
    ("left", "left"),
    ("right", "right"),
    (NO_SIDE, "none"),
)
STIMULATIONS: Sequence[tuple[str, str]] = (
    (StimulationKind.MANUAL.value, "Manual"),
    (StimulationKind.ELECTRO.value, "Electro"),
    (StimulationKind.SHAM_MINIMAL.value, "Sham / minimal"),
)
ADVERSE: Sequence[tuple[str, str]] = (
    (AdverseEventKind.BLEEDING.value, "Bleeding"),
    (AdverseEventKind.HAEMATOMA.value, "Haematoma"),
    (AdverseEventKind.PAIN.value, "Pain"),
    (AdverseEventKind.FAINTING.value, "Fainting"),
    (AdverseEventKind.OTHER.value, "Other"),
)
DEFAULT_MINUTES_AFTER = "30"
_ROW = re.compile(r"points\.(\d+)\.(code|side)")
_FREQUENCIES = re.compile(r"[/+;\s]+")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True, slots=True)
class PointRow:
    code: str
    side: str


@dataclass(frozen=True, slots=True)
class PointOption:
    """One entry of the point picker's list: the code, and the words browsers match on."""

    code: str
    label: str
    midline: bool


@cache
def point_options() -> tuple[PointOption, ...]:
    """Every point of the catalogue, labelled with its pinyin, meridian and legacy aliases, so
    that a browser's own autocompletion finds it by code, alias or name without scripts."""
    legacy: dict[str, list[str]] = {}
    for alias, meridian in MERIDIAN_ALIASES.items():
        legacy.setdefault(meridian, []).append(alias)
    other_names: dict[str, list[str]] = {}
    for name, code in NAME_ALIASES.items():
        other_names.setdefault(code, []).append(name)
    for alias, code in CODE_ALIASES.items():
        other_names.setdefault(code, []).append(alias)
    options = []
    for p in catalogue():
        where = f"{MERIDIANS[p.meridian]} {p.number}" if p.meridian in MERIDIANS else "extra point"
        also = [f"{a}{p.number}" for a in legacy.get(p.meridian, ())] + other_names.get(p.code, [])
        label = f"{p.pinyin} · {where}" + (f" · also {', '.join(also)}" if also else "")
        options.append(PointOption(p.code, label, p.midline))
    return tuple(options)


def suggestions(code: str, limit: int = 3) -> list[str]:
    """The catalogue's nearest valid codes for a code it does not know (none for a known one)."""
    try:
        catalogue().parse(code)
    except UnknownPoint as exc:
        return exc.suggestions[:limit]
    return []


# --- form → SessionCreate body -----------------------------------------------------------


def point_rows(form: FormData) -> list[PointRow]:
    """The point rows as typed, in their order, blank ones left out."""
    found: dict[int, dict[str, str]] = {}
    for name, value in form.items():
        if isinstance(value, str) and (match := _ROW.fullmatch(name)):
            found.setdefault(int(match[1]), {})[match[2]] = value.strip()
    rows = [PointRow(r.get("code", ""), r.get("side", NO_SIDE)) for _, r in sorted(found.items())]
    return [r for r in rows if r.code]


def _number(raw: str | None) -> str | None:
    """A number as typed, with a decimal comma read as a point; pydantic checks the rest."""
    return None if raw is None else raw.replace(",", ".")


def _started_at(raw: str | None, time_zone: str) -> str | None:
    """The local date and time typed, in the patient's time zone, as an ISO timestamp."""
    if raw is None:
        return None
    try:
        local = dt.datetime.fromisoformat(raw)
    except ValueError:
        return raw  # round one names it
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone(time_zone))
    return local.isoformat()


def _reading(form: FormData, when: str, minutes: str | None) -> dict[str, Any] | None:
    pain, mood = text(form, f"{when}.pain"), text(form, f"{when}.mood")
    if pain is None and mood is None:
        return None
    return {"pain": pain, "mood": mood, "minutes_after_needling": minutes}


def _stimulation(form: FormData) -> dict[str, Any] | None:
    kind = text(form, "stimulation.kind")
    if kind is None:
        return None
    if kind != StimulationKind.ELECTRO.value:
        return {"kind": kind}  # a frequency left in the hidden electro fields does not count
    hz = text(form, "stimulation.frequencies_hz") or ""
    return {
        "kind": kind,
        "frequencies_hz": [_number(f) for f in _FREQUENCIES.split(hz) if f],
        "intensity_ma": _number(text(form, "stimulation.intensity_ma")),
    }


def _adverse(form: FormData) -> list[dict[str, Any]]:
    kinds = [k for k in form.getlist("adverse_events") if isinstance(k, str) and k]
    note = text(form, "adverse_note")
    events: list[dict[str, Any]] = [{"kind": k} for k in kinds]
    if note is not None and events:
        other = next((e for e in events if e["kind"] == AdverseEventKind.OTHER.value), events[0])
        other["notes"] = note
    return events


def session_body(form: FormData, time_zone: str) -> dict[str, Any]:
    """The posted form as the body the API's ``SessionCreate`` takes."""
    return {
        "started_at": _started_at(text(form, "started_at"), time_zone),
        "practitioner_id": text(form, "practitioner_id"),
        "points": [{"code": r.code, "side": r.side or None} for r in point_rows(form)],
        "stimulation": _stimulation(form),
        "retention_minutes": text(form, "retention_minutes"),
        "de_qi": yes_no(form, "de_qi"),
        "before": _reading(form, "before", "0"),
        "after": _reading(form, "after", text(form, "after.minutes_after_needling")),
        "adverse_events": _adverse(form),
        "notes": text(form, "notes"),
    }


def note_without_event(form: FormData) -> FieldErrors:
    """A note on adverse events with none ticked would be lost: ask which event it describes."""
    if text(form, "adverse_note") is not None and not any(form.getlist("adverse_events")):
        return {"adverse_note": "tick the adverse event this note describes"}
    return {}


# --- messages → beside their fields --------------------------------------------------------

_MOVED: Mapping[str, str] = {
    "stimulation": "stimulation.kind",
    "before.minutes_after_needling": "before",
}


def field_errors(found: FieldErrors) -> FieldErrors:
    """Messages of both rounds keyed by the form's own fields."""
    placed: FieldErrors = {}
    for where, message in found.items():
        name = _MOVED.get(where, where)
        if name.startswith("stimulation.frequencies_hz"):
            name = "stimulation.frequencies_hz"
        elif name.startswith("adverse_events."):
            name = "adverse_note" if name.endswith(".notes") else "adverse_events"
        elif (match := re.fullmatch(r"(points\.\d+)(\.(code|side))?(\..*)?", name)) is not None:
            name = match[1] + (match[2] or "")
        if name == "stimulation.frequencies_hz" and "needs a frequency" in message:
            message = "electro stimulation needs a frequency in Hz, e.g. 2 or 2/100"
        placed.setdefault(name, message)
    return placed


# --- what fills the form -----------------------------------------------------------------


def local_now(now: dt.datetime, time_zone: str) -> str:
    return now.astimezone(zone(time_zone)).strftime(LOCAL_FORMAT)


def _hz(values: Iterable[float]) -> str:
    return "/".join(f"{v:g}" for v in values)


def filled_from(
    points: Sequence[NeedlePoint], stimulation: Stimulation, retention: int | None
) -> tuple[Values, list[PointRow]]:
    """The fields a protocol or an earlier session fills in: points, stimulation, retention."""
    values: Values = {"stimulation.kind": stimulation.kind.value}
    if stimulation.frequencies_hz:
        values["stimulation.frequencies_hz"] = _hz(stimulation.frequencies_hz)
    if stimulation.intensity_ma is not None:
        values["stimulation.intensity_ma"] = f"{stimulation.intensity_ma:g}"
    if retention is not None:
        values["retention_minutes"] = str(retention)
    rows = [PointRow(p.code, p.side.value if p.side else NO_SIDE) for p in points]
    return values, rows
