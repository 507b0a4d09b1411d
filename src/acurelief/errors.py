"""The one exception family of acurelief.

The core raises these; the edges translate them: the web into HTTP problems (422, 404, 403,
401), the CLI into one line on stderr and a non-zero exit code. Messages never carry patient
data, because edges may log them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class AcureliefError(Exception):
    """Base of every error acurelief raises on purpose."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one field: where it is and how to fix it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(AcureliefError):
    """Input that breaks a rule; names every bad field so all can be fixed at once."""

    def __init__(self, problems: Sequence[FieldProblem], *, where: str | None = None) -> None:
        if not problems:
            raise ValueError("InvalidInput needs at least one problem")
        self.problems = tuple(problems)
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldProblem(field, message)])

    def nested(self, prefix: str) -> InvalidInput:
        """The same problems with their field paths placed under ``prefix``."""
        return InvalidInput(
            [FieldProblem(f"{prefix}.{p.field}", p.message) for p in self.problems],
            where=self.where,
        )


class Problems:
    """Collects field problems so that a validator can report all of them together."""

    def __init__(self) -> None:
        self._items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self._items.append(FieldProblem(field, message))

    def extend(self, problems: Iterable[FieldProblem]) -> None:
        self._items.extend(problems)

    def attempt(self, prefix: str, factory: Callable[..., T], **fields: object) -> T | None:
        """``factory(**fields)``, or None with its problems recorded under ``prefix``."""
        try:
            return factory(**fields)
        except InvalidInput as exc:
            self.extend(exc.nested(prefix).problems)
            return None

    def raise_if_any(self, *, where: str | None = None) -> None:
        if self._items:
            raise InvalidInput(self._items, where=where)


class NotFound(AcureliefError):
    """The thing does not exist, or the actor may not know that it exists."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"{what} {key} not found")


class Forbidden(AcureliefError):
    """The actor may see the thing but not do this with it."""


class NotAuthenticated(AcureliefError):
    """No valid login, session or token was presented."""


class Conflict(AcureliefError):
    """The request clashes with what is stored (for example an e-mail already in use)."""


class InsufficientData(AcureliefError):
    """The data cannot answer the question; the message says what is missing."""
