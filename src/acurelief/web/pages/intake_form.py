"""The intake form: the questions of ``acurelief.diagnosis.questions`` as form fields, turned
into the ``Intake`` model's data and back.

Every yes/no question is answered yes, no or "not asked"; an unanswered question and an
empty number stay unknown (``None``), never "no".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import FormData

from acurelief.diagnosis.intake import Intake
from acurelief.diagnosis.questions import QUESTIONS as _QUESTIONS
from acurelief.diagnosis.questions import SECTIONS, Kind, Question, question_of
from acurelief.web.pages.forms import FieldErrors, text, yes_no

__all__ = ["SECTIONS", "Values", "field_errors", "intake_data", "question_of", "typed_values"]

Values = dict[str, str | list[str]]
UNKNOWN = "unknown"
_INTEGERS = frozenset(
    [q.name for q in _QUESTIONS.values() if q.integer]
    + [q.upto for q in _QUESTIONS.values() if q.integer and q.upto]
    + [r.months for s in SECTIONS for r in s.medication]
)
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


# --- form → model data -------------------------------------------------------------------


def _number(raw: str | None, integer: bool) -> int | float | str | None:
    """A typed number, or the text as typed (so that the model names the field)."""
    if raw is None:
        return None
    if not _NUMBER.fullmatch(raw):
        return raw
    cleaned = raw.replace(",", ".")
    if integer:
        return int(cleaned) if "." not in cleaned else raw
    return float(cleaned)


def _answer(form: FormData, q: Question) -> object:
    if q.kind is Kind.YES_NO:
        return yes_no(form, q.name)
    if q.kind is Kind.CHOICE:
        value = text(form, q.name)
        return None if value == UNKNOWN else value
    if q.kind is Kind.MULTI:
        chosen = [v for v in form.getlist(q.name) if isinstance(v, str) and v]
        return chosen or None
    return _number(text(form, q.name), q.integer)


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[1]


def intake_data(form: FormData) -> dict[str, Any]:
    """The intake as JSON-like data: only what was answered, every part as the model nests it."""
    data: dict[str, Any] = {}
    for section in SECTIONS:
        part: dict[str, Any] = {}
        if section.medication:
            for row in section.medication:
                use = {
                    "days_per_month": _number(text(form, row.days), False),
                    "months": _number(text(form, row.months), True),
                }
                if any(v is not None for v in use.values()):
                    part[row.drug] = {k: v for k, v in use.items() if v is not None}
        for q in section.questions:
            if q.show_if and text(form, q.show_if.split("=")[0]) == "no":
                continue  # how bad the nausea is, when there is none: not asked
            names = [q.name, q.upto] if q.upto else [q.name]
            for name in names:
                value = _answer(form, q) if name == q.name else _number(text(form, name), q.integer)
                if value is not None:
                    part[_leaf(name)] = value
        if part or not section.optional:
            data[section.key] = part
    return data


def typed_values(form: FormData) -> Values:
    """What was typed or ticked, to show the form again (several values for tick boxes)."""
    values: Values = {}
    for section in SECTIONS:
        for name in section.fields():
            q = _QUESTIONS.get(name)
            if q is not None and q.kind is Kind.MULTI:
                values[name] = [v for v in form.getlist(name) if isinstance(v, str)]
            elif isinstance(raw := form.get(name), str):
                values[name] = raw
    return values


# --- model → form ------------------------------------------------------------------------


def _shown(value: object) -> str | list[str] | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return str(value)


def values_of(intake: Intake) -> Values:
    """The form filled in from a stored intake; what it does not know stays empty."""
    data = intake.model_dump(mode="json")
    values: Values = {}
    for section in SECTIONS:
        for name in section.fields():
            node: Any = data
            for part in name.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if (shown := _shown(node)) is not None:
                values[name] = shown
    return values


# --- the model's messages → beside their fields ------------------------------------------

_KNOWN = frozenset(n for s in SECTIONS for n in s.fields())
_IDENTIFIER = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")


def _clash(part: str, message: str) -> tuple[str, str] | None:
    """A rule across fields of one part, reported by the model on the part: which field it is
    about (the first the message names) and the plain words for it."""
    first = _IDENTIFIER.search(message)
    if first is None:
        return None
    name = f"{part}.{first.group(0)}"
    q = _QUESTIONS.get(name)
    if q is None:
        q = next((x for x in _QUESTIONS.values() if x.upto == name), None)
        name = q.name if q is not None else name
    if name not in _KNOWN:
        return None
    return name, (q.clash if q is not None and q.clash else message.replace("_", " "))


def _required(name: str) -> str:
    if name.endswith(".days_per_month"):
        return "give the days a month too, or clear this row"
    return "needed too, when this part is filled in"


def field_errors(found: FieldErrors) -> FieldErrors:
    """The model's messages keyed by form field: ``migraine_like.intensities.0`` belongs to
    ``migraine_like.intensities``; a rule on a whole part goes beside the field it is about."""
    placed: FieldErrors = {}
    for where, message in found.items():
        name = where
        while name not in _KNOWN and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in _KNOWN:
            placed.setdefault(name, _required(name) if message == "is required" else message)
        elif (clash := _clash(where, message)) is not None:
            placed.setdefault(*clash)
        else:
            placed.setdefault("form", message)
    return placed


def answered(values: Values, names: Sequence[str]) -> int:
    """How many of ``names`` have an answer (for the progress shown beside each part)."""
    return sum(1 for n in names if values.get(n) not in (None, "", [], UNKNOWN))
