"""Form handling shared by the pages: read a posted form, validate it in the API's two rounds,
and hand back per-field messages in plain words so the page can show each beside its field.

Round one is the API schema (pydantic: each field's type and range), round two the domain
object (how the fields fit together). A page never stores anything while either round finds
a problem, and it re-renders the form with what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from acurelief.errors import InvalidInput

FieldErrors = dict[str, str]
M = TypeVar("M", bound=BaseModel)


_PLAIN = (
    ("valid integer", "must be a whole number"),
    ("valid number", "must be a number"),
    ("valid datetime", "must be a date and time"),
    ("valid date", "must be a date (year-month-day)"),
    ("Field required", "is required"),
    ("Input should be", "must be"),
)


def plain(message: str) -> str:
    """A pydantic message reworded for people who never saw a type name."""
    message = message.removeprefix("Value error, ")
    message = message.replace("greater than or equal to ", "at least ")
    message = message.replace("less than or equal to ", "at most ")
    message = message.replace("String should have", "must have")
    for technical, words in _PLAIN:
        if technical in message:
            return words if technical != "Input should be" else message.replace(technical, words)
    return message


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "form"


def errors_of(exc: InvalidInput | ValidationError) -> FieldErrors:
    """Field name → first message, from either validation round."""
    found: FieldErrors = {}
    if isinstance(exc, InvalidInput):
        for p in exc.problems:
            found.setdefault(p.field, p.message)
    else:
        for e in exc.errors():
            found.setdefault(_dotted(tuple(e["loc"])), plain(str(e["msg"])))
    return found


def validate(schema: type[M], data: Mapping[str, Any]) -> tuple[M | None, FieldErrors]:
    """Round one: the API schema, or the messages of every field it refused."""
    try:
        return schema.model_validate(dict(data)), {}
    except ValidationError as exc:
        return None, errors_of(exc)


def text(form: FormData, name: str) -> str | None:
    """A text field, stripped; None when left empty."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def yes_no(form: FormData, name: str) -> bool | str | None:
    """A yes/no/unknown question: True, False, None when unanswered, or the odd value as sent
    (so that round one names the field instead of silently dropping it)."""
    value = text(form, name)
    if value is None or value == "unknown":
        return None
    return {"yes": True, "no": False}.get(value, value)


def typed(form: FormData) -> dict[str, str]:
    """Everything typed, to fill the form again after an error (never the CSRF token)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


async def posted(request: Request) -> FormData:
    """The posted form, for sync page routes (Starlette reads it once and keeps it)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted)]
